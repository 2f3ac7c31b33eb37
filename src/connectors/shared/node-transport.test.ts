import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { nodeTransport } from './node-transport.ts';
import { startTestServer, type TestServer } from './test-server.ts';

// What the client relied on fetch for, now that node:http sends its calls (node-transport.ts).
const servers: TestServer[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(handler);
  servers.push(s);
  return s;
}

test('a body goes with its Content-Length (not chunked), an empty POST with 0, a GET with none', async () => {
  const server = await serve((_req, res) => {
    res.end('{}');
  });
  const body = JSON.stringify({ name: 'Café' });
  await nodeTransport(new URL(`${server.url}/a`), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await nodeTransport(new URL(`${server.url}/b`), { method: 'POST', headers: {} });
  await nodeTransport(new URL(`${server.url}/c?q=1`), { method: 'GET', headers: {} });
  const [a, b, c] = server.requests;
  assert.equal(a?.body, body);
  assert.equal(a?.headers['content-length'], String(Buffer.byteLength(body)));
  assert.equal(a?.headers['transfer-encoding'], undefined);
  assert.equal(b?.headers['content-length'], '0');
  assert.equal(c?.headers['content-length'], undefined);
  assert.equal(c?.url, '/c?q=1');
});

test('the reply: status, repeated headers, a redirect not followed, gzip decoded, UTF-8 without its BOM', async () => {
  const server = await serve((req, res) => {
    if (req.path === '/moved') {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
      return;
    }
    res.setHeader('set-cookie', ['a=1', 'b=2']);
    res.writeHead(201, { 'content-encoding': 'gzip', 'x-rate': '7' });
    res.end(gzipSync(Buffer.from('\uFEFF{"name":"Café"}', 'utf8')));
  });
  const reply = await nodeTransport(new URL(`${server.url}/x`), { method: 'GET', headers: {} });
  assert.equal(reply.status, 201);
  assert.equal(reply.headers.get('x-rate'), '7');
  assert.deepEqual(reply.headers.getSetCookie(), ['a=1', 'b=2']);
  assert.equal(await reply.text(), '{"name":"Café"}');
  const moved = await nodeTransport(new URL(`${server.url}/moved`), { method: 'GET', headers: {} });
  assert.equal(moved.status, 302);
  assert.equal(moved.headers.get('location'), '/elsewhere');
  assert.equal(server.requests.length, 2);
});

test('a refused connection is a TypeError whose cause has the code; an abort mid-reply rejects', async () => {
  const refused = await nodeTransport(new URL('http://127.0.0.1:1/'), { method: 'GET', headers: {} }).catch(
    (error: unknown) => error,
  );
  assert.ok(refused instanceof TypeError);
  assert.equal((refused.cause as { code?: string }).code, 'ECONNREFUSED');

  const server = await serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"partial":');
  });
  const controller = new AbortController();
  const pending = nodeTransport(new URL(`${server.url}/slow`), {
    method: 'GET',
    headers: {},
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, TypeError);
});
