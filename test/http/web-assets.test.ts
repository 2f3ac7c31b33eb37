// The web bundle as the real app serves it (issue 18): hashed assets compressed (brotli or gzip, as accepted) and
// cached for a year, index.html and client routes `no-cache`, API answers still `no-store`.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { webDistDir } from '../../src/http/app.ts';
import { IMMUTABLE } from '../../src/http/web-assets.ts';
import { createTestStore, type TestStore } from '../../src/store/testing.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

let store: TestStore;
let t: TestApp;
let script: string;

before(async () => {
  store = await createTestStore('sqlite');
  t = createTestApp(store);
  // npm test builds the web app first; the bundle's name carries its content hash.
  const name = readdirSync(join(webDistDir, 'assets')).find((f) => /^index-.+\.js$/.test(f));
  assert.ok(name, 'web/dist has no built bundle: run npm run build');
  script = `/assets/${name}`;
});

after(async () => {
  await store.dispose();
});

const get = (path: string, encoding?: string) =>
  t.app.request(path, { headers: encoding === undefined ? {} : { 'accept-encoding': encoding } });

test('a hashed asset: brotli when accepted, else gzip, else as is; immutable for a year', async () => {
  const raw = readFileSync(join(webDistDir, script));
  const br = await get(script, 'gzip, deflate, br');
  assert.equal(br.status, 200);
  assert.equal(br.headers.get('content-encoding'), 'br');
  assert.equal(br.headers.get('cache-control'), IMMUTABLE);
  assert.equal(br.headers.get('vary'), 'Accept-Encoding');
  assert.match(br.headers.get('content-type') ?? '', /^text\/javascript/);
  const brBody = Buffer.from(await br.arrayBuffer());
  assert.ok(brBody.length < raw.length / 3, `brotli ${brBody.length} of ${raw.length} bytes`);
  assert.ok(brotliDecompressSync(brBody).equals(raw));

  const gz = await get(script, 'gzip');
  assert.equal(gz.headers.get('content-encoding'), 'gzip');
  assert.ok(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(raw));

  const plain = await get(script);
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.equal(plain.headers.get('cache-control'), IMMUTABLE);
  assert.ok(Buffer.from(await plain.arrayBuffer()).equals(raw));
});

test('index.html and client routes are no-cache; the API stays no-store; no path leaves the assets', async () => {
  const html = readFileSync(join(webDistDir, 'index.html'));
  for (const path of ['/', '/orders/123']) {
    const page = await get(path, 'gzip');
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cache-control'), 'no-cache', path);
    const body = Buffer.from(await page.arrayBuffer());
    const text = page.headers.get('content-encoding') === 'gzip' ? gunzipSync(body) : body;
    assert.ok(text.equals(html), path);
  }
  const api = await get('/api/openapi.json');
  assert.equal(api.headers.get('cache-control'), 'no-store');
  const missing = await get('/api/orders');
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get('cache-control'), 'no-store');
  // A path out of the assets directory is the web page, never the file.
  const escape = await get('/assets/%2e%2e/%2e%2e/package.json');
  assert.equal(escape.headers.get('cache-control'), 'no-cache');
  assert.doesNotMatch(await escape.text(), /"name":\s*"tradeloop"/);
});
