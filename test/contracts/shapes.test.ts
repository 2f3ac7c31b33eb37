import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffShape, fixture, fixtureVariants, interaction, recorded, type Shape } from './support/shapes.ts';

// The tools the contract suite is built on must themselves be able to fail.

test('every recorded shape generates fixtures that fit it, in every variant', () => {
  for (const system of ['nuorder', 'lightspeed-r', 'lightspeed-x-2026-07-sales'] as const) {
    const file = recorded(system);
    const shapes: Shape[] = [
      ...file.interactions.filter((i) => i.shape && typeof i.shape !== 'string').map((i) => i.shape),
      ...(file.bodiesWithoutRequest ?? []).map((b) => b.shape),
    ];
    assert.ok(shapes.length > 0, system);
    for (const shape of shapes)
      for (const variant of fixtureVariants(shape))
        assert.deepEqual(diffShape(variant.value, shape), [], `${system} ${variant.name}`);
  }
});

test('variants cover one-or-many, optional keys absent, unions and empty strings', () => {
  const shape = interaction('lightspeed-r', 'GET', '/API/Account/{accountID}/Order.json').shape;
  const variants = fixtureVariants(shape).map((v) => v.value as { Order: unknown });
  assert.ok(variants.some((v) => Array.isArray(v.Order)));
  assert.ok(variants.some((v) => !Array.isArray(v.Order) && typeof v.Order === 'object'));
  assert.ok(variants.some((v) => !Array.isArray(v.Order) && !('orderedDate' in (v.Order as object))));
  const vendorShape = { accountNumber: 'string | string:empty' };
  assert.deepEqual(
    fixtureVariants(vendorShape).map((v) => (v.value as { accountNumber: string }).accountNumber === ''),
    [false, false, false, false, true, true, true, true, false],
  );
});

test('diffShape names a missing key, a wrong type and an unknown key, and honours allowed extras', () => {
  const shape: Shape = { id: 'string:int', 'note?': 'string', Lines: { $oneOrMany: { qty: 'string:int' } } };
  assert.deepEqual(diffShape({ id: '1', Lines: { qty: '2' } }, shape), []);
  assert.deepEqual(diffShape({ id: 1, Lines: [{ qty: '2' }, {}], extra: true }, shape), [
    { path: 'id', problem: 'type', expected: 'string:int', got: 'number 1' },
    { path: 'Lines[1].qty', problem: 'missing', expected: 'string:int', got: 'absent' },
    { path: 'extra', problem: 'unexpected', expected: 'absent (not in the recorded shape)', got: 'boolean true' },
  ]);
  assert.deepEqual(diffShape({ id: '1', Lines: [{ qty: '2', x: 1 }] }, shape, { allowExtra: ['Lines.x'] }), []);
  assert.deepEqual(
    diffShape(fixture({ when: 'string:iso8601+offset' }), { when: 'string:iso8601Z.ms' })[0]?.path,
    'when',
  );
});
