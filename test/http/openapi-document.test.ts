/**
 * The rules every route of the document keeps, so a new route keeps them too: an operationId (a verb and a
 * noun, unique); times as ISO 8601 (`Timestamp`); lists paged the one way (`limit` + `offset` in, `total` out);
 * replies fully described (no schema that accepts anything, except JSON that is not ours: `JsonValue`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestStore, type TestStore } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

type Json = Record<string, any>;

let store: TestStore;
let doc: Json;
before(async () => {
  store = await createTestStore('sqlite');
  doc = (await createTestApp(store).call('GET', '/api/openapi.json')).body;
});
after(() => store.dispose());

function operations(): Array<{ name: string; op: Json }> {
  return Object.entries(doc['paths'] as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op: op as Json })),
  );
}

/** Every schema node of the replies (components included), with where it is. */
function replyNodes(): Array<{ at: string; node: Json; key: string }> {
  const nodes: Array<{ at: string; node: Json; key: string }> = [];
  const walk = (node: unknown, at: string, key: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`, key));
    if (node === null || typeof node !== 'object') return;
    nodes.push({ at, node: node as Json, key });
    for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`, k === 'properties' ? key : k);
    for (const [name, v] of Object.entries(((node as Json)['properties'] ?? {}) as Json))
      nodes.push({ at: `${at}/properties/${name}`, node: v as Json, key: name });
  };
  for (const { name, op } of operations())
    for (const [status, response] of Object.entries(op['responses'] as Json))
      if (name !== 'GET /api/openapi.json') walk((response as Json)['content'], `${name} ${status}`, '');
  for (const [id, schema] of Object.entries(doc['components']['schemas'] as Json))
    if (!id.startsWith('Json')) walk(schema, `#/components/schemas/${id}`, '');
  return nodes;
}

test('every operation has an operationId: a verb and a noun, used once', () => {
  const ids = operations().map(({ name, op }) => {
    assert.match(String(op['operationId']), /^[a-z]+[A-Z][A-Za-z]*$/, `${name}: operationId ${op['operationId']}`);
    return op['operationId'] as string;
  });
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('every time is a Timestamp (ISO 8601): fields named …At, …Until or since', () => {
  const isTimestamp = (schema: Json): boolean =>
    schema['$ref'] === '#/components/schemas/Timestamp' ||
    (Array.isArray(schema['anyOf']) && (schema['anyOf'] as Json[]).some(isTimestamp));
  const loose = replyNodes()
    .filter(({ at, key }) => /(At|Until)$|^since$/.test(key) && at.endsWith(`/properties/${key}`))
    // A time the source system wrote (a NuORDER order's createdAt) is kept as it sent it, and says so.
    .filter(({ node }) => !isTimestamp(node) && !/as (the source|it) sent it/.test(String(node['description'])))
    .map(({ at }) => at);
  assert.deepEqual([...new Set(loose)], []);
});

test('every list pages the one way: limit and offset in, total out', () => {
  for (const { name, op } of operations()) {
    const query = ((op['parameters'] ?? []) as Json[]).filter((p) => p['in'] === 'query').map((p) => p['name']);
    if (query.includes('limit') && name !== 'GET /api/connections/{id}/catalog')
      assert.ok(query.includes('offset'), `${name} takes limit but not offset`);
  }
  for (const [id, schema] of Object.entries(doc['components']['schemas'] as Json)) {
    const properties = Object.keys((schema as Json)['properties'] ?? {});
    // A count of items (an order's `total` is its amount in words).
    if ((schema as Json)['properties']?.['total']?.['type'] === 'integer')
      assert.deepEqual(
        ['limit', 'offset'].filter((p) => !properties.includes(p)),
        [],
        `${id} says its total but not its page`,
      );
  }
});

test('replies are fully described: no schema that accepts anything', () => {
  const anything = replyNodes()
    .filter(({ node }) => Object.keys(node).filter((k) => k !== 'description').length === 0)
    .map(({ at }) => at)
    // Error details say more about each code, in its own shape: any JSON.
    .filter((at) => !at.includes('/properties/details'));
  assert.deepEqual([...new Set(anything)], []);
});
