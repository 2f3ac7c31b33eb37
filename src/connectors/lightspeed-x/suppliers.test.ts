/**
 * Supplier lookups by the version cursor (§2.5): the first lists every supplier, later ones read only what changed
 * since, so a store already seen costs one call, and a supplier added or deleted meanwhile is still seen.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startXHarness, type XHarness } from './harness.test-util.ts';

const LIST = 'GET /api/2.0/suppliers';
let h: XHarness;

before(async () => {
  h = await startXHarness();
});
after(async () => h.close());

test('a later lookup reads one page of changes and sees what others added, renamed or deleted', async () => {
  const pos = h.makePos();
  const mine = await pos.createSupplier({ name: 'Cursor Brand', sourceBrandId: 'brand-cursor', currency: 'USD' });
  await h.resetCounts();
  const first = await pos.findSupplier({ name: 'Cursor Brand', sourceBrandId: 'brand-cursor' });
  assert.deepEqual(first, [{ id: mine.id, name: 'Cursor Brand', matchedBy: 'source_id' }]);
  assert.equal(await h.count(LIST), 2, 'the first lookup lists them all (a page, then the empty one)');

  await h.resetCounts();
  assert.deepEqual(await pos.findSupplier({ name: 'Cursor Brand', sourceBrandId: 'brand-cursor' }), first);
  assert.equal(await h.count(LIST), 1, 'nothing changed: one empty page');

  // Another client adds a supplier, then deletes ours.
  const other = await h.api('/api/2.0/suppliers', 'POST', { name: 'Elsewhere Brand' });
  assert.equal(other.status, 200);
  const otherId = other.body.data as string;
  const seen = await pos.findSupplier({ name: 'Elsewhere Brand', sourceBrandId: 'brand-elsewhere' });
  assert.deepEqual(seen, [{ id: otherId, name: 'Elsewhere Brand', matchedBy: 'name' }], 'a new supplier is seen');
  assert.equal((await h.api(`/api/2.0/suppliers/${mine.id}`, 'DELETE')).status < 300, true);
  await h.resetCounts();
  assert.deepEqual(
    await pos.findSupplier({ name: 'Cursor Brand', sourceBrandId: 'brand-cursor' }),
    [],
    'a deleted supplier is gone',
  );
  assert.equal(await h.count(LIST), 2, 'the change, then the empty page');
  assert.ok((await pos.listSuppliers!()).every((s) => s.id !== mine.id));
});
