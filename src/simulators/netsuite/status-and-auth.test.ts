/**
 * Contract gaps of netsuite.test.ts closed (acceptance 1 of the simulators issue): every sales-order status
 * code A–H as the REST record and SuiteQL show it (C and H included, which no API call can produce), the
 * transforms a cancelled or closed order refuses, a request signed with HMAC-SHA1 refused as NetSuite does
 * since 2023.1, and the whole state read and replaced through the control API over HTTP.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SimClock } from '../shared/clock.ts';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createNetsuiteSimulator, defaultAccountId, defaultCredentials } from './index.ts';
import { salesOrderStatuses, type SalesOrderStatus } from './model.ts';

// A small OAuth 1.0 signer of the test's own (no connector code), with the signature method as a parameter.
const enc = (v: string): string =>
  encodeURIComponent(v).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

function sign(method: string, url: string, algorithm: 'sha256' | 'sha1', timestamp: number): string {
  const u = new URL(url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: defaultCredentials.consumerKey,
    oauth_token: defaultCredentials.tokenId,
    oauth_signature_method: algorithm === 'sha256' ? 'HMAC-SHA256' : 'HMAC-SHA1',
    oauth_timestamp: String(timestamp),
    oauth_nonce: randomBytes(12).toString('hex'),
    oauth_version: '1.0',
  };
  const params = [...u.searchParams.entries(), ...Object.entries(oauth)]
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const base = `${method}&${enc(`${u.protocol}//${u.host}${u.pathname}`)}&${enc(params)}`;
  const key = `${enc(defaultCredentials.consumerSecret)}&${enc(defaultCredentials.tokenSecret)}`;
  const signature = createHmac(algorithm, key).update(base).digest('base64');
  const header = { realm: defaultAccountId, ...oauth, oauth_signature: signature };
  return `OAuth ${Object.entries(header)
    .map(([k, v]) => `${k}="${k === 'realm' ? v : enc(v)}"`)
    .join(',')}`;
}

let server: RunningServer;
let clock: SimClock;

before(async () => {
  clock = new SimClock();
  const sim = createNetsuiteSimulator({ clock });
  sim.seedScenario('demo', {});
  server = await serveApp(sim.app, 0);
});
after(async () => {
  await server.close();
});

async function api(
  method: string,
  path: string,
  body?: unknown,
  algorithm: 'sha256' | 'sha1' = 'sha256',
  headers: Record<string, string> = {},
): Promise<Response> {
  const url = `${server.url}${path}`;
  return fetch(url, {
    method,
    headers: {
      Authorization: sign(method, url, algorithm, Math.floor(clock.now() / 1000)),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function suiteql(q: string): Promise<{ items: Array<Record<string, string>>; totalResults: number }> {
  const res = await api('POST', '/services/rest/query/v1/suiteql?limit=1000', { q }, 'sha256', { Prefer: 'transient' });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { items: Array<Record<string, string>>; totalResults: number };
}

describe('token-based auth', () => {
  it('refuses a request signed with HMAC-SHA1 (NetSuite accepts only HMAC-SHA256), and accepts the same with SHA-256', async () => {
    const sha1 = await api('GET', '/services/rest/record/v1/location/1', undefined, 'sha1');
    assert.equal(sha1.status, 401);
    assert.match(sha1.headers.get('x-sim-auth-reason') ?? '', /signature method HMAC-SHA1/);
    const body = (await sha1.json()) as Record<string, any>;
    assert.equal(body['o:errorDetails'][0]['o:errorCode'], 'INVALID_LOGIN');
    assert.equal((await api('GET', '/services/rest/record/v1/location/1')).status, 200);
  });
});

describe('sales-order status codes A–H', () => {
  it('the demo holds each code; the record shows the code in orderStatus and its name in status, SuiteQL filters by SalesOrd:X', async () => {
    const rows = await suiteql("SELECT id, tranid, status FROM transaction WHERE type = 'SalesOrd' ORDER BY id");
    const byCode = new Map<string, string>();
    for (const row of rows.items) {
      const record = (await (await api('GET', `/services/rest/record/v1/salesOrder/${row.id}`)).json()) as Record<
        string,
        any
      >;
      // The real record's split (divergences.md F1): `orderStatus` {id: code, refName: code}, `status` display text.
      const code = record.orderStatus.id as SalesOrderStatus;
      assert.equal(record.orderStatus.refName, code, `${row.tranid}`);
      assert.deepEqual(record.status, { id: salesOrderStatuses[code], refName: salesOrderStatuses[code] });
      assert.equal(row.status, code, 'SuiteQL shows the letter');
      byCode.set(code, String(row.id));
    }
    assert.deepEqual([...byCode.keys()].sort(), Object.keys(salesOrderStatuses), 'every code A–H is present');
    for (const code of Object.keys(salesOrderStatuses)) {
      const filtered = await suiteql(
        `SELECT id FROM transaction WHERE type = 'SalesOrd' AND status = 'SalesOrd:${code}'`,
      );
      assert.ok(filtered.totalResults >= 1, `SalesOrd:${code}`);
      assert.ok(filtered.items.some((r) => String(r.id) === byCode.get(code)));
    }

    // A cancelled (C) or closed (H) order cannot be fulfilled or billed; billed (G) cannot be billed again.
    for (const [code, transform] of [
      ['C', 'itemFulfillment'],
      ['C', 'invoice'],
      ['H', 'itemFulfillment'],
      ['G', 'invoice'],
    ] as const) {
      const res = await api(
        'POST',
        `/services/rest/record/v1/salesOrder/${byCode.get(code)}/!transform/${transform}`,
        {},
      );
      assert.equal(res.status, 400, `!transform/${transform} from ${code}`);
      const err = (await res.json()) as Record<string, any>;
      assert.equal(err.title, 'Bad Request');
      assert.ok(err['o:errorDetails'][0]['o:errorCode'], 'a NetSuite error code');
    }
    // And a cancelled order cannot be reopened through orderStatus.
    const reopen = await api('PATCH', `/services/rest/record/v1/salesOrder/${byCode.get('C')}`, {
      orderStatus: { id: 'B' },
    });
    assert.equal(reopen.status, 400);
  });
});

describe('control API over HTTP', () => {
  it('GET /_sim/state returns the whole state and PUT /_sim/state replaces another simulator with it', async () => {
    const state = (await (await fetch(`${server.url}/_sim/state`)).json()) as Record<string, unknown>;
    const other = createNetsuiteSimulator({ clock });
    const running = await serveApp(other.app, 0);
    try {
      const put = await fetch(`${running.url}/_sim/state`, { method: 'PUT', body: JSON.stringify(state) });
      assert.equal(put.status, 200);
      assert.deepEqual(JSON.parse(JSON.stringify(other.exportState())), state);
      const bad = await fetch(`${running.url}/_sim/state`, { method: 'PUT', body: JSON.stringify({ nonsense: true }) });
      assert.equal(bad.status, 400);
    } finally {
      await running.close();
    }
  });
});
