import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  hmacBase64,
  nuorderLegacyBaseString,
  oauth1Authorizer,
  percentEncode,
  signNuorderLegacy,
  signRfc5849,
  signatureBaseString,
  signingKey,
  type OAuth1SignatureMethod,
} from './oauth1.ts';
import { oauth1Vectors, oauth1VectorsFromReference, type RfcVector } from '../../../test/support/oauth1-vectors.ts';

const vectors = oauth1Vectors();

test('the local copy of the vector table matches the reference (when present)', (t) => {
  const reference = oauth1VectorsFromReference();
  if (!reference) {
    t.skip('shared/reference is not next to this checkout');
    return;
  }
  assert.deepEqual(vectors, reference);
});

test('the reference table has every vector (1–9d)', () => {
  const ids = vectors.map((v) => v.id);
  for (const id of [
    '1',
    '2',
    '3',
    '3-https',
    '4',
    '5',
    '6',
    '6-v1',
    '6-x',
    '7',
    '7-123456',
    '8',
    '9a',
    '9b',
    '9c',
    '9d',
  ]) {
    assert.ok(ids.includes(id), `vector ${id} present`);
  }
});

for (const v of vectors) {
  if (v.scheme === 'rfc5849') {
    test(`RFC 5849 vector ${v.id}: base string${v.signature ? ' and signature' : ''}`, () => {
      // The vectors give decoded params; vector 5's come from the query and a form body, which is equivalent.
      const base = signatureBaseString({ method: v.method, url: v.url, params: v.params, oauth: v.oauth });
      assert.equal(base, v.base_string);
      if (v.signature !== null && v.consumer_secret !== null) {
        const alg = v.oauth.find(([k]) => k === 'oauth_signature_method')?.[1] as OAuth1SignatureMethod;
        assert.equal(hmacBase64(alg, signingKey(v.consumer_secret, v.token_secret ?? ''), base), v.signature);

        // The same through the high-level signer (which builds the oauth params itself).
        const o = Object.fromEntries(v.oauth);
        const signed = signRfc5849({
          method: v.method,
          url: v.url,
          params: v.params,
          consumerKey: o.oauth_consumer_key ?? '',
          consumerSecret: v.consumer_secret,
          token: o.oauth_token,
          tokenSecret: v.token_secret ?? '',
          signatureMethod: alg,
          timestamp: o.oauth_timestamp,
          nonce: o.oauth_nonce,
          version: o.oauth_version === undefined ? null : '1.0',
          callback: o.oauth_callback,
          verifier: o.oauth_verifier,
          realm: v.realm,
        });
        assert.equal(signed.baseString, v.base_string);
        assert.equal(signed.signature, v.signature);
        assert.ok(signed.header.includes(`oauth_signature="${percentEncode(v.signature)}"`));
      }
    });
  } else {
    test(`NuORDER legacy vector ${v.id}: base string and hex signature`, () => {
      const input = {
        method: v.method,
        url: v.url,
        consumerKey: v.consumer_key,
        consumerSecret: v.consumer_secret,
        token: v.token,
        tokenSecret: v.token_secret,
        timestamp: v.timestamp,
        nonce: v.nonce,
        callback: v.extra.oauth_callback,
        verifier: v.extra.oauth_verifier,
      };
      assert.equal(nuorderLegacyBaseString(input), v.base_string);
      const signed = signNuorderLegacy(input);
      assert.equal(signed.signature, v.signature_hex);
    });
  }
}

test('vector 5 also signs a real query string and a form body the same way', () => {
  const v = vectors.find((x) => x.id === '5') as RfcVector;
  const base = signatureBaseString({
    method: 'POST',
    url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
    params: [...new URLSearchParams('c2&a3=2+q')],
    oauth: v.oauth,
  });
  assert.equal(base, v.base_string);
});

test('vector 8: the NetSuite header, realm first and unsigned', () => {
  const signed = signRfc5849({
    method: 'GET',
    url: 'https://9876543-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/123?expandSubResources=true',
    consumerKey: 'CONSUMER_KEY_VALUE',
    consumerSecret: 'CONSUMER_SECRET_VALUE',
    token: 'TOKEN_ID_VALUE',
    tokenSecret: 'TOKEN_SECRET_VALUE',
    signatureMethod: 'HMAC-SHA256',
    timestamp: '1234567890',
    nonce: 'asdfasdf',
    realm: '9876543_SB1',
  });
  assert.equal(
    signed.header,
    'OAuth realm="9876543_SB1",oauth_consumer_key="CONSUMER_KEY_VALUE",oauth_token="TOKEN_ID_VALUE",oauth_signature_method="HMAC-SHA256",oauth_timestamp="1234567890",oauth_nonce="asdfasdf",oauth_version="1.0",oauth_signature="cId0B3hP0sFVQw%2FgjQ%2FP6YiOSx76u0WfyO8umOlq3gg%3D"',
  );
});

test('vectors 9a/9b: the NuORDER legacy headers as jacobsvante/nuorder writes them', () => {
  const common = {
    consumerKey: 'CONSUMER_KEY',
    consumerSecret: 'CONSUMER_SECRET',
    timestamp: '1700000000',
    nonce: 'abcdef0123456789',
  };
  const a = signNuorderLegacy({
    ...common,
    method: 'GET',
    url: 'https://wholesale.nuorder.com/api/orders/approved/detail',
    token: 'TOKEN',
    tokenSecret: 'TOKEN_SECRET',
  });
  assert.equal(
    a.header,
    'OAuth oauth_consumer_key=CONSUMER_KEY,oauth_token=TOKEN,oauth_timestamp=1700000000,oauth_nonce=abcdef0123456789,oauth_version=1.0,oauth_signature_method=HMAC-SHA1,oauth_signature=9172f63a39764c3e041bcdb31cf2190b930f35e9',
  );
  const b = signNuorderLegacy({
    ...common,
    method: 'GET',
    url: 'https://wholesale.nuorder.com/api/initiate',
    token: '',
    tokenSecret: '',
    callback: 'oob',
    applicationName: 'My App',
  });
  assert.ok(
    b.header.endsWith(
      ',oauth_signature=db3b809bd7d4489f6a0f358e7f49ddb0b4b270fb,application_name=My App,oauth_callback=oob',
    ),
  );
});

test('percent-encoding follows RFC 3986 (unreserved only; UTF-8; upper-case hex)', () => {
  assert.equal(percentEncode("abcXYZ019-._~ !*'()+/=&%é"), 'abcXYZ019-._~%20%21%2A%27%28%29%2B%2F%3D%26%25%C3%A9');
});

test('the authorizer signs the query and form body of the actual request', async () => {
  const authorize = oauth1Authorizer({
    credentials: { consumerKey: 'ck', consumerSecret: 'cs', token: 't', tokenSecret: 'ts' },
    signatureMethod: 'HMAC-SHA256',
    realm: 'R',
    now: () => 1_700_000_000_000,
    nonce: () => 'nonce1',
  });
  const url = new URL('https://host.example/api/x?b=2&a=1');
  const headers = await authorize({ method: 'POST', url, form: [['f', 'v w']] });
  const expected = signRfc5849({
    method: 'POST',
    url,
    params: [['f', 'v w']],
    consumerKey: 'ck',
    consumerSecret: 'cs',
    token: 't',
    tokenSecret: 'ts',
    signatureMethod: 'HMAC-SHA256',
    timestamp: '1700000000',
    nonce: 'nonce1',
    realm: 'R',
  });
  assert.equal(headers.authorization, expected.header);
  assert.ok(expected.baseString.includes('f%3Dv%2520w'));
});
