import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { PointOfSale } from '../../core/ports/pos.ts';
import { startHarness, type Harness } from './harness.test-util.ts';
import { createLightspeedRPos } from './pos.ts';

let h: Harness;
let pos: PointOfSale;

before(async () => {
  h = await startHarness('small');
  const { client } = await h.connect();
  pos = createLightspeedRPos(client, { currency: 'USD' });
});
after(() => h.close());
beforeEach(async () => {
  await h.ctl('DELETE', '/_sim/faults');
  await h.ctl('DELETE', '/_sim/requests');
});

const requests = async () =>
  (await h.ctl<{ recent: Array<{ method: string; path: string; status: number }> }>('GET', '/_sim/requests?limit=500'))
    .recent;

test('doctor: every read the export makes fits, against the simulator, and nothing is written', async () => {
  assert.ok(pos.doctor);
  const checks = await pos.doctor();
  assert.deepEqual(
    checks.filter((c) => c.outcome !== 'ok').map((c) => `${c.call}: ${c.outcome} ${c.detail ?? ''}`),
    [],
  );
  assert.deepEqual(
    checks.map((c) => c.call),
    [
      'GET /API/V3/Account.json',
      'GET Shop.json?archived=true',
      'GET Item.json?archived=true&sort=timeStamp&timeStamp=>=,…',
      'GET Item.json?itemID=IN,[…]&archived=true',
      'GET Item.json?upc=IN,[…] (and ean, customSku)',
      'GET ItemMatrix.json',
      'GET ItemAttributeSet.json',
      'GET Manufacturer.json',
      'GET Vendor.json',
      'GET Vendor.json?or=b2bSellerUID=…|name=…',
      'GET Order.json?archived=true',
      'GET Order/{id}.json',
      'GET OrderLine.json?orderID=…',
    ],
  );
  const seen = await requests();
  assert.ok(seen.length >= checks.length);
  assert.deepEqual([...new Set(seen.map((r) => r.method))], ['GET'], 'read-only');
});

test('doctor: an item feed without timeStamp is a mismatch naming the field; the checks that need it say why', async () => {
  await h.ctl('POST', '/_sim/faults', {
    kind: 'reshape',
    method: 'GET',
    path: '/API/V3/Account/:accountID/Item.json',
    reshape: { drop: ['Item.timeStamp'] },
  });
  const checks = await pos.doctor!();
  const feed = checks.find((c) => c.call.startsWith('GET Item.json?archived=true&sort=timeStamp'));
  assert.equal(feed?.outcome, 'mismatch');
  assert.ok(
    feed.fields.length > 0 && feed.fields.every((f) => /^Item(\[\d+\])?\.timeStamp$/.test(f.path)),
    JSON.stringify(feed.fields),
  );
  const recheck = checks.find((c) => c.call.startsWith('GET Item.json?itemID'));
  assert.equal(recheck?.outcome, 'skipped');
  assert.match(recheck.detail ?? '', /listing it needs did not read/);
  // The rest of the account is read as usual.
  assert.equal(checks.find((c) => c.call === 'GET Vendor.json')?.outcome, 'ok');
});

test('doctor: an order id that is not a number, and an order line without its item, are named', async () => {
  await h.ctl('POST', '/_sim/faults', {
    kind: 'reshape',
    method: 'GET',
    path: '/API/V3/Account/:accountID/Order.json',
    reshape: { set: { 'Order.orderID': 'PO-1' } },
  });
  const checks = await pos.doctor!();
  const orders = checks.find((c) => c.call === 'GET Order.json?archived=true');
  assert.equal(orders?.outcome, 'mismatch');
  assert.ok(
    orders.fields.some((f) => /^Order(\[\d+\])?\.orderID$/.test(f.path)),
    JSON.stringify(orders.fields),
  );

  await h.ctl('DELETE', '/_sim/faults');
  await h.ctl('POST', '/_sim/faults', {
    kind: 'reshape',
    method: 'GET',
    path: '/API/V3/Account/:accountID/OrderLine.json',
    reshape: { rename: { 'OrderLine.itemID': 'item' } },
  });
  const again = await pos.doctor!();
  const lines = again.find((c) => c.call === 'GET OrderLine.json?orderID=…');
  assert.equal(lines?.outcome, 'mismatch');
  assert.ok(
    lines.fields.some((f) => /^OrderLine(\[\d+\])?\.itemID$/.test(f.path)),
    JSON.stringify(lines.fields),
  );
  assert.equal(again.find((c) => c.call === 'GET Order.json?archived=true')?.outcome, 'ok');
});
