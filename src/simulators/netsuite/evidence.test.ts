/**
 * The simulator where real evidence corrected it (recorded-shapes/divergences.md, NetSuite): inventory numbers with
 * a `locations` sublist and no top-level stock (F6), SuiteQL joins through `transactionline` and the refusal of
 * `transaction.createdfrom` (F7), the metadata catalog that says which custom fields exist (F8), and the concurrency
 * limit by service tier with NetSuite's 429 body (F11).
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SimClock } from '../shared/clock.ts';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createNetsuiteSimulator, defaultAccountId, defaultCredentials, type Simulator } from './index.ts';

// A signer of the test's own (no connector code).
const enc = (v: string): string =>
  encodeURIComponent(v).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

function sign(method: string, url: string, timestamp: number): string {
  const u = new URL(url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: defaultCredentials.consumerKey,
    oauth_token: defaultCredentials.tokenId,
    oauth_signature_method: 'HMAC-SHA256',
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
  const signature = createHmac('sha256', key).update(base).digest('base64');
  return `OAuth ${Object.entries({ realm: defaultAccountId, ...oauth, oauth_signature: signature })
    .map(([k, v]) => `${k}="${k === 'realm' ? v : enc(v)}"`)
    .join(',')}`;
}

let server: RunningServer;
let sim: Simulator;
const clock = new SimClock();

before(async () => {
  sim = createNetsuiteSimulator({ clock });
  sim.seedScenario('small', {});
  server = await serveApp(sim.app, 0);
});
after(async () => {
  await server.close();
});

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const url = `${server.url}${path}`;
  return fetch(url, {
    method,
    headers: {
      Authorization: sign(method, url, Math.floor(clock.now() / 1000)),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function suiteql(q: string): Promise<{ status: number; body: any }> {
  const res = await api('POST', '/services/rest/query/v1/suiteql', { q }, { Prefer: 'transient' });
  return { status: res.status, body: await res.json() };
}

const control = async (method: string, path: string, body?: unknown): Promise<any> =>
  (
    await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    })
  ).json();

describe('inventory numbers (F6)', () => {
  it('have a locations sublist and no top-level location, bin or quantity', async () => {
    const state = sim.exportState() as { inventoryNumbers: Record<string, { inventoryNumber: string }> };
    const [id] = Object.entries(state.inventoryNumbers).find(([, n]) => n.inventoryNumber === 'SW-00021') ?? [];
    const res = await api('GET', `/services/rest/record/v1/inventoryNumber/${id}?expandSubResources=true`);
    const body = (await res.json()) as Record<string, any>;
    assert.equal(body.inventoryNumber, 'SW-00021');
    for (const key of ['location', 'binNumber', 'quantityOnHand']) assert.equal(key in body, false, key);
    assert.equal(body.locations.totalResults, 1);
    assert.deepEqual(Object.keys(body.locations.items[0]).sort(), [
      'location',
      'quantityAvailable',
      'quantityInTransit',
      'quantityOnHand',
      'quantityOnOrder',
    ]);
    assert.equal(body.locations.items[0].location.refName, 'Warehouse');
  });

  it('are read in one SuiteQL query through inventorynumberlocation; bins through inventorybalance', async () => {
    const numbers = await suiteql(
      "SELECT n.id, n.inventorynumber, n.item, l.location, l.quantityavailable FROM inventorynumber n JOIN inventorynumberlocation l ON l.inventorynumber = n.id JOIN item i ON i.id = n.item WHERE i.itemid = 'TL-BALM-BEESWAX' ORDER BY n.inventorynumber",
    );
    assert.equal(numbers.status, 200, JSON.stringify(numbers.body));
    assert.deepEqual(
      numbers.body.items.map((r: any) => [r.inventorynumber, r.location]),
      [
        ['LOT-2026-A', '1'],
        ['LOT-2026-B', '2'],
        ['LOT-2026-C', '3'],
      ],
    );
    const bins = await suiteql(
      "SELECT b.item, b.binnumber, BUILTIN.DF(b.binnumber) AS bin, b.quantityonhand FROM inventorybalance b JOIN item i ON i.id = b.item WHERE i.itemid = 'TL-TOTE-CANVAS' AND b.location = 3 ORDER BY b.binnumber",
    );
    assert.deepEqual(
      bins.body.items.map((r: any) => [r.bin, r.quantityonhand]),
      [
        ['A-01-01', 15],
        ['B-02-01', 25],
      ],
    );
  });
});

describe('SuiteQL joins and createdfrom (F7)', () => {
  it('finds what was made from an order through transactionline; refuses transaction.createdfrom as NetSuite does', async () => {
    const made = await control('POST', '/_sim/sales-orders', {
      customer: '201',
      items: [{ item: 'TL-TOTE-CANVAS' }],
      location: 'Main Street',
      status: 'G',
    });
    const children = await suiteql(
      `SELECT t.id, t.type FROM transaction t JOIN transactionline tl ON tl.transaction = t.id WHERE tl.createdfrom = ${made.id} AND tl.mainline = 'T' ORDER BY t.id`,
    );
    assert.deepEqual(
      children.body.items.map((r: any) => r.type),
      ['ItemShip', 'CustInvc'],
    );
    const refused = await suiteql(`SELECT t.id FROM transaction t WHERE t.createdfrom = ${made.id}`);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body['o:errorDetails'], [
      {
        detail:
          "Invalid search query. Detailed unprocessed description follows. Search error occurred: Unknown identifier 't.createdfrom'. Available identifiers are: {t=transaction}.",
        'o:errorQueryParam': 'q',
        'o:errorCode': 'INVALID_PARAMETER',
      },
    ]);
    // Refused before any row is read: a query that would match nothing is refused too.
    assert.equal((await suiteql('SELECT id FROM transaction WHERE createdfrom = 1 AND id = 0')).status, 400);
  });
});

describe('custom fields (F8)', () => {
  it('the metadata catalog lists the account’s custom fields, marked x-ns-custom-field', async () => {
    const res = await api('GET', '/services/rest/record/v1/metadata-catalog/salesorder', undefined, {
      Accept: 'application/schema+json',
    });
    assert.equal(res.status, 200);
    const schema = (await res.json()) as { properties: Record<string, Record<string, unknown>> };
    assert.equal(schema.properties.custbody_tl_xseries_sale_id?.['x-ns-custom-field'], true);
    assert.equal(schema.properties.custbody_other, undefined);
  });
});

describe('concurrency by service tier (F11)', () => {
  it('defaults to 15 (standard + one SuiteCloud Plus licence), follows the tier and licences, and answers NetSuite’s 429', async () => {
    assert.equal((await control('GET', '/_sim/config')).effectiveConcurrencyLimit, 15);
    const tier1 = await control('PUT', '/_sim/config', { serviceTier: 'tier1', suiteCloudPlusLicenses: 5 });
    assert.equal(tier1.effectiveConcurrencyLimit, 65);
    const refused = await fetch(`${server.url}/_sim/config`, {
      method: 'PUT',
      body: JSON.stringify({ serviceTier: 'platinum' }),
    });
    assert.equal(refused.status, 400);
    await control('PUT', '/_sim/config', {
      serviceTier: 'shared',
      suiteCloudPlusLicenses: 0,
      processingMs: 150,
    });
    const results = await Promise.all(
      Array.from({ length: 7 }, () => api('GET', '/services/rest/record/v1/location/1')),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 429, 429]);
    const limited = results.find((r) => r.status === 429) as Response;
    assert.equal(limited.headers.get('retry-after'), null);
    assert.deepEqual(await limited.json(), {
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
      title: 'Bad Request',
      status: 429,
      'o:errorDetails': [
        { detail: 'Concurrent request limit exceeded. Request blocked.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' },
      ],
    });
    await control('PUT', '/_sim/config', {
      serviceTier: 'standard',
      suiteCloudPlusLicenses: 1,
      processingMs: 0,
    });
  });
});
