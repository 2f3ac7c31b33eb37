/**
 * Acceptance 3: the simulator's OAuth 1.0a verifier against the published vectors (the machine-readable table
 * of shared/reference/oauth1-test-vectors.md §6, through test/support/oauth1-vectors.ts, whose copy is checked
 * against the reference by the signer's test), and the NuORDER vectors end to end: the published signatures, sent in an
 * Authorization header over real loopback HTTP, are accepted by a simulator whose clock stands at the vectors'
 * timestamp — and refused once replayed or stale.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SimClock } from '../shared/clock.ts';
import { serveApp, type RunningServer } from '../shared/server.ts';
import { createNuorderSimulator } from './index.ts';
import { oauth1Vectors, type LegacyVector, type RfcVector } from '../../../test/support/oauth1-vectors.ts';
import { legacyBaseString, legacySignature, rfc5849BaseString, rfc5849Signature, verifySignature } from './oauth.ts';

const vectors = oauth1Vectors();
const isSha1 = (v: RfcVector): boolean =>
  v.oauth.some(([k, val]) => k === 'oauth_signature_method' && val === 'HMAC-SHA1');

describe('the verifier against every HMAC-SHA1 vector of the reference table', () => {
  it('the table holds the vectors NuORDER signing depends on', () => {
    const ids = vectors.map((v) => v.id);
    for (const id of ['1', '2', '3', '4', '5', '6', '9a', '9b', '9c', '9d'])
      assert.ok(ids.includes(id), `vector ${id}`);
  });

  for (const v of vectors) {
    if (v.scheme === 'rfc5849' && isSha1(v)) {
      it(`RFC 5849 vector ${v.id}`, () => {
        const base = rfc5849BaseString(v.method, v.url, [...v.params, ...v.oauth]);
        assert.equal(base, v.base_string);
        if (v.signature === null || v.consumer_secret === null) return; // vector 5: base string only
        const tokenSecret = v.token_secret ?? '';
        assert.equal(rfc5849Signature(base, v.consumer_secret, tokenSecret), v.signature);
        const req = {
          method: v.method,
          urls: [v.url],
          header: new Map<string, string>([...v.oauth, ['oauth_signature', v.signature]]),
          params: v.params,
          consumerSecret: v.consumer_secret,
          tokenSecret,
        };
        assert.equal(verifySignature(req), 'rfc5849');
        assert.equal(verifySignature({ ...req, tokenSecret: `${tokenSecret}x` }), null, 'wrong token secret');
        assert.equal(verifySignature({ ...req, method: v.method === 'GET' ? 'POST' : 'GET' }), null, 'other method');
        const tampered = v.params.length
          ? [[v.params[0]?.[0] ?? '', 'tampered'] as [string, string], ...v.params.slice(1)]
          : [['x', '1'] as [string, string]];
        assert.equal(verifySignature({ ...req, params: tampered }), null, 'tampered parameters');
      });
    }
    if (v.scheme === 'nuorder-legacy-hex') {
      it(`NuORDER legacy hex vector ${v.id}`, () => {
        const inputs = {
          method: v.method,
          url: v.url,
          consumerKey: v.consumer_key,
          token: v.token,
          timestamp: v.timestamp,
          nonce: v.nonce,
          ...(v.extra.oauth_callback !== undefined ? { callback: v.extra.oauth_callback } : {}),
          ...(v.extra.oauth_verifier !== undefined ? { verifier: v.extra.oauth_verifier } : {}),
        };
        const base = legacyBaseString(inputs);
        assert.equal(base, v.base_string);
        assert.equal(legacySignature(base, v.consumer_secret, v.token_secret), v.signature_hex);
        const header = new Map<string, string>([
          ['oauth_consumer_key', v.consumer_key],
          ['oauth_token', v.token],
          ['oauth_timestamp', v.timestamp],
          ['oauth_nonce', v.nonce],
          ['oauth_version', '1.0'],
          ['oauth_signature_method', 'HMAC-SHA1'],
          ...Object.entries(v.extra),
          ['oauth_signature', v.signature_hex],
        ]);
        const req = {
          method: v.method,
          urls: [v.url],
          header,
          params: [],
          consumerSecret: v.consumer_secret,
          tokenSecret: v.token_secret,
        };
        assert.equal(verifySignature(req), 'legacy');
        assert.equal(
          verifySignature({ ...req, header: new Map([...header, ['oauth_signature', v.signature_hex.toUpperCase()]]) }),
          'legacy',
          'hex in any case',
        );
        assert.equal(verifySignature({ ...req, consumerSecret: 'wrong' }), null);
        assert.equal(
          verifySignature({ ...req, header: new Map([...header, ['oauth_nonce', 'other']]) }),
          null,
          'nonce is signed',
        );
      });
    }
  }
});

describe('the published NuORDER signatures over loopback HTTP', () => {
  const servers: RunningServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  const legacy = (id: string): LegacyVector => vectors.find((v) => v.id === id) as LegacyVector;
  const rfc = (id: string): RfcVector => vectors.find((v) => v.id === id) as RfcVector;

  /** A simulator that answers as wholesale.nuorder.com, at the vectors' instant, holding their credentials. */
  async function simAtVectorTime(): Promise<{ url: string; clock: SimClock }> {
    const v = legacy('9a');
    const clock = new SimClock();
    clock.set(Number(v.timestamp) * 1000, true);
    const sim = createNuorderSimulator({ clock, publicUrl: 'https://wholesale.nuorder.com' });
    sim.seedScenario('demo', {});
    sim.seedData({
      consumers: [{ key: v.consumer_key, secret: v.consumer_secret, name: 'Vector app' }],
      access_tokens: [{ consumer_key: v.consumer_key, token: v.token, secret: v.token_secret }],
    });
    const server = await serveApp(sim.app, 0);
    servers.push(server);
    return { url: server.url, clock };
  }

  const header = (pairs: Array<[string, string]>): string =>
    `OAuth ${pairs.map(([k, val]) => `${k}="${encodeURIComponent(val)}"`).join(', ')}`;
  const legacyHeader = (v: LegacyVector, extra: Array<[string, string]> = []): string =>
    header([
      ['oauth_consumer_key', v.consumer_key],
      ['oauth_token', v.token],
      ['oauth_timestamp', v.timestamp],
      ['oauth_nonce', v.nonce],
      ['oauth_version', '1.0'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ...(Object.entries(v.extra) as Array<[string, string]>),
      ...extra,
      ['oauth_signature', v.signature_hex],
    ]);

  it('vector 9a (legacy hex) reads approved orders; the same nonce again, or 5 minutes later, is refused', async () => {
    const { url } = await simAtVectorTime();
    const v = legacy('9a');
    const path = new URL(v.url).pathname;
    const ok = await fetch(`${url}${path}`, { headers: { authorization: legacyHeader(v) } });
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.equal(
      ((await ok.json()) as unknown[]).length,
      15,
      'the demo has 15 approved orders: 12 of the demo store, 3 of another',
    );
    const replay = await fetch(`${url}${path}`, { headers: { authorization: legacyHeader(v) } });
    assert.equal(replay.status, 401);
    assert.equal(((await replay.json()) as { code: number }).code, 401);

    const fresh = await simAtVectorTime();
    fresh.clock.advance(301_000);
    const stale = await fetch(`${fresh.url}${path}`, { headers: { authorization: legacyHeader(v) } });
    assert.equal(stale.status, 401, 'a timestamp more than 300 s off is refused');
  });

  it('a PLAINTEXT signature (the secrets themselves) is refused: only HMAC-SHA1 is accepted', async () => {
    const { url } = await simAtVectorTime();
    const v = legacy('9a');
    const plaintext = header([
      ['oauth_consumer_key', v.consumer_key],
      ['oauth_token', v.token],
      ['oauth_timestamp', v.timestamp],
      ['oauth_nonce', 'plaintext-nonce'],
      ['oauth_version', '1.0'],
      ['oauth_signature_method', 'PLAINTEXT'],
      ['oauth_signature', `${v.consumer_secret}&${v.token_secret}`],
    ]);
    const res = await fetch(`${url}${new URL(v.url).pathname}`, { headers: { authorization: plaintext } });
    assert.equal(res.status, 401);
    assert.match(((await res.json()) as { message: string }).message, /^Unauthorized/);
  });

  it('vector 9d (the same request signed the RFC 5849 way) is accepted', async () => {
    const { url } = await simAtVectorTime();
    const v = rfc('9d');
    const ok = await fetch(`${url}${new URL(v.url).pathname}`, {
      headers: { authorization: header([...v.oauth, ['oauth_signature', v.signature ?? '']]) },
    });
    assert.equal(ok.status, 200, await ok.clone().text());
    const bad = await fetch(`${url}${new URL(v.url).pathname}`, {
      headers: {
        authorization: header([
          ...v.oauth.map(([k, val]): [string, string] => [k, k === 'oauth_nonce' ? 'another-nonce' : val]),
          ['oauth_signature', v.signature ?? ''],
        ]),
      },
    });
    assert.equal(bad.status, 401, 'a signature over other parameters is refused');
  });

  it('vector 9b (initiate, empty token, oob) gets a request token', async () => {
    const { url } = await simAtVectorTime();
    const v = legacy('9b');
    const res = await fetch(`${url}${new URL(v.url).pathname}`, {
      headers: { authorization: legacyHeader(v, [['application_name', 'Vector app']]) },
    });
    assert.equal(res.status, 200, await res.clone().text());
    const body = (await res.json()) as {
      oauth_token: string;
      oauth_token_secret: string;
      oauth_callback_confirmed: boolean;
    };
    assert.equal(body.oauth_token.length, 16);
    assert.equal(body.oauth_token_secret.length, 24);
    assert.equal(body.oauth_callback_confirmed, true);
  });
});
