/**
 * NetSuite contract suite (issue 11). No NetSuite traffic was recorded: the shapes in support/netsuite.ts are
 * written from one real REST record dump, the SOAP schema and Oracle's docs, each part citing its source. Two halves:
 *
 * 1. The connector reads every shape. Synthetic fixtures in exactly those shapes, in every variant they allow
 *    (optional keys present and absent, each alternative of a union, arrays empty), are served over loopback HTTP
 *    and read through the connector's own client, schemas and mappers (`src/connectors/netsuite/`): the sales order
 *    (every status letter A–H), the SuiteQL reads of the sync (changed orders, locations, items, inventory numbers,
 *    bin stock, what was made from an order, ship methods, forms, a customer), a kit's members, the metadata
 *    catalog, a look-up by external id, and the error bodies (400, 401, 404, 429). A fixture the connector cannot
 *    read fails the suite.
 * 2. The simulator answers in those shapes, for exactly the calls the connector makes, so it cannot drift back to
 *    shapes of our own invention.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { createNetsuiteClient } from '../../src/connectors/netsuite/client.ts';
import { NetsuiteSales, isDuplicateExternalId } from '../../src/connectors/netsuite/sales.ts';
import { netsuiteErrorCode, netsuiteErrorDetail } from '../../src/connectors/netsuite/client.ts';
import {
  RemoteAuthLost,
  RemoteContractBroken,
  RemoteRateLimited,
  RemoteRejected,
} from '../../src/connectors/shared/errors.ts';
import { startTestServer, type TestServer } from '../../src/connectors/shared/test-server.ts';
import { defaultRuleSet, orderFacts } from '../../src/core/sales/rules.ts';
import { orderSummary } from '../../src/core/sales/order.ts';
import { createNetsuiteSimulator, defaultCredentials } from '../../src/simulators/netsuite/index.ts';
import { serveApp, type RunningServer } from '../../src/simulators/shared/server.ts';
import {
  concurrencyErrorShape,
  errorShape,
  inventoryNumberShape,
  kitItemShape,
  recordMetadataShape,
  salesOrderShape,
  statusNames,
  suiteqlPage,
  suiteqlRows,
} from './support/netsuite.ts';
import { diffShape, fixture, fixtureVariants, formatMismatches, type Shape } from './support/shapes.ts';

type Json = Record<string, any>;

const fast = { attempts: 2, baseMs: 1, capMs: 2 };
const credentials = { accountId: '1234567_SB1', ...defaultCredentials };

/** Each SuiteQL query the connector sends, told apart by what it asks for. */
const queryKinds: Array<[keyof typeof suiteqlRows, RegExp]> = [
  ['changedOrders', /lastmodifieddate >=/],
  ['children', /JOIN transactionline/],
  ['inventoryNumbers', /FROM inventorynumber /],
  ['binBalances', /FROM inventorybalance/],
  ['locations', /FROM location/],
  ['named', /ShipItem|customform/],
  ['items', /FROM item WHERE (itemid|id) IN/],
  ['ids', /FROM customer/],
];
const kindOf = (q: string): keyof typeof suiteqlRows | undefined => queryKinds.find(([, re]) => re.test(q))?.[0];

/** A fixture's changed-order rows get the cursor format the query asks for (`TO_CHAR(…, 'YYYY-MM-DD"T"HH24:MI:SS')`). */
function withModified(rows: Json[]): Json[] {
  return rows.map((r, i) => ({ ...r, modified: `2026-11-2${i % 10}T10:0${i % 10}:00` }));
}

describe('the NetSuite connector reads every shape real NetSuite sends', () => {
  let server: TestServer;
  /** What the next requests get: a record body, SuiteQL rows by query kind, or a refusal. */
  let record: Json = {};
  let rows: Partial<Record<keyof typeof suiteqlRows, Json[]>> = {};
  let envelope: Json = {};
  let refusal: { status: number; body: unknown; headers?: Record<string, string> } | undefined;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  before(async () => {
    server = await startTestServer((req, res) => {
      if (refusal) return send(res, refusal.status, refusal.body, refusal.headers);
      if (req.path.endsWith('/suiteql')) {
        const q = (JSON.parse(req.body) as { q: string }).q;
        const kind = kindOf(q);
        assert.ok(kind, `a query the suite knows: ${q}`);
        const offset = Number(new URL(req.url, server.url).searchParams.get('offset') ?? 0);
        // The page's rows at offset 0; the page after it is empty (so a `hasMore: true` variant ends).
        const items = offset === 0 ? (rows[kind] ?? []) : [];
        return send(res, 200, { ...envelope, items, count: items.length });
      }
      return send(res, 200, record);
    });
  });
  after(() => server.close());

  const sales = () => new NetsuiteSales(createNetsuiteClient({ baseUrl: server.url, credentials, retry: fast }));

  it('a sales order, in every variant: state from orderStatus, display text kept, lines and custom fields read', async () => {
    const variants = fixtureVariants(salesOrderShape);
    assert.ok(variants.length >= 5);
    for (const variant of variants) {
      record = variant.value as Json;
      const order = await sales().salesOrder('1');
      assert.ok(order, variant.name);
      assert.equal(order.statusCode, record.orderStatus.id, variant.name);
      assert.equal(order.statusName, record.status.refName, variant.name);
      assert.equal(order.lines.length, record.item.items.length, variant.name);
      for (const [i, line] of order.lines.entries()) {
        const raw = record.item.items[i];
        assert.equal(line.itemType, raw.itemType.id, variant.name);
        assert.equal(line.sku, raw.item.refName, variant.name);
        assert.equal(line.quantity, raw.quantity, variant.name);
        assert.equal(line.storePickup, raw.itemFulfillmentChoice?.id === 'storePickup', variant.name);
      }
      if ('custbody_tl_xseries_sale_id' in record)
        assert.equal(order.custom.custbody_tl_xseries_sale_id, record.custbody_tl_xseries_sale_id);
    }
  });

  it('sales orders in real-shaped records map to their real statuses, every letter A–H', async () => {
    const base = fixture(salesOrderShape) as Json;
    const expected: Record<string, string> = {
      A: 'PENDING_APPROVAL',
      B: 'PENDING_FULFILLMENT',
      C: 'CANCELLED',
      D: 'PARTIALLY_FULFILLED',
      E: 'PENDING_BILLING_PARTIALLY_FULFILLED',
      F: 'PENDING_BILLING',
      G: 'BILLED',
      H: 'CLOSED',
    };
    for (const [letter, name] of Object.entries(statusNames)) {
      record = { ...base, status: { id: name, refName: name }, orderStatus: { id: letter, refName: letter } };
      const order = await sales().salesOrder('1');
      assert.ok(order);
      assert.equal(order.statusCode, letter);
      assert.equal(order.statusName, name);
      assert.equal(orderFacts(orderSummary(order), defaultRuleSet()).status, expected[letter], letter);
    }
    // A record without the code letter is a broken contract, named, never a silent "pending approval".
    const { orderStatus: _dropped, ...withoutCode } = base;
    record = withoutCode;
    const broken = await sales()
      .salesOrder('1')
      .catch((e: unknown) => e);
    assert.ok(broken instanceof RemoteContractBroken);
    assert.deepEqual(
      broken.issues.map((i) => i.fieldPath),
      ['orderStatus'],
    );
  });

  it('every SuiteQL read of the sync, in every variant of its rows and page', async () => {
    for (const [kind, shape] of Object.entries(suiteqlRows) as Array<[keyof typeof suiteqlRows, Shape]>) {
      for (const variant of fixtureVariants(suiteqlPage(shape))) {
        const page = variant.value as Json;
        envelope = page;
        const got = kind === 'changedOrders' ? withModified(page.items) : (page.items as Json[]);
        rows = { [kind]: got };
        const ns = sales();
        const label = `${kind}: ${variant.name}`;
        switch (kind) {
          case 'changedOrders': {
            const read = await ns.changedSalesOrders('2026-11-20T00:00:00');
            assert.deepEqual(
              read.map((r) => [r.id, r.tranId, r.modified]),
              got.map((r) => [r.id, r.tranid, r.modified]),
              label,
            );
            break;
          }
          case 'locations': {
            const read = await ns.locations();
            assert.deepEqual(
              read.map((l) => [l.id, l.bins]),
              got.filter((r) => r.isinactive !== 'T').map((r) => [r.id, r.usebins === 'T']),
              label,
            );
            break;
          }
          case 'items': {
            const bySku = await ns.itemsBySku(got.map((r) => r.itemid));
            const active = got.filter((r) => r.isinactive !== 'T');
            assert.equal(bySku.size, new Set(active.map((r) => r.itemid.toLowerCase())).size, label);
            for (const r of active) assert.equal(bySku.get(r.itemid)?.serial, r.isserialitem === 'T', label);
            const byId = await sales().itemsById(got.map((r) => r.id));
            assert.equal(byId.size, new Set(got.map((r) => r.id)).size, label);
            break;
          }
          case 'inventoryNumbers': {
            const read = await ns.inventoryNumbers(got.map((r) => r.item));
            assert.deepEqual(
              read.map((n) => [n.id, n.number, n.locationId, n.available]).sort(),
              got.map((r) => [r.id, r.inventorynumber, r.location, Number(r.quantityavailable)]).sort(),
              label,
            );
            break;
          }
          case 'binBalances': {
            // A bin item at a location that uses bins: its detail names the bins the balances show.
            rows.locations = [{ links: [], id: '3', name: 'Warehouse', usebins: 'T', isinactive: 'F' }];
            const stocked = got.filter((r) => r.inventorynumber === undefined && Number(r.quantityavailable) > 0);
            const item = {
              id: got[0]?.item ?? '1',
              sku: 'TOTE',
              type: 'InvtPart',
              serial: false,
              lot: false,
              bins: true,
            };
            const detail = (await ns.inventoryDetail(item, '3', 1)) as Json | undefined;
            assert.ok(detail, label);
            const first = stocked.find((r) => r.item === item.id);
            assert.deepEqual(
              detail.inventoryAssignment.items.map((a: Json) => a.binNumber.id),
              first ? [first.binnumber] : [],
              label,
            );
            break;
          }
          case 'children': {
            const read = await ns.children('101');
            assert.deepEqual(
              read.map((c) => [c.id, c.type, c.externalId]),
              got.map((r) => [r.id, r.type, r.externalid ?? null]),
              label,
            );
            break;
          }
          case 'named': {
            const first = got[0];
            assert.equal(await ns.shipMethodId(first?.name ?? 'none'), first?.id, label);
            assert.equal(await ns.salesOrderFormId(first?.name ?? 'none'), first?.id, label);
            break;
          }
          case 'ids':
            assert.equal(await ns.firstCustomerId(), got[0]?.id, label);
            break;
        }
      }
    }
  });

  it('a kit’s members, the metadata catalog’s custom fields and a look-up by external id, in every variant', async () => {
    for (const variant of fixtureVariants(kitItemShape)) {
      record = variant.value as Json;
      const members = await sales().kitMembers('9');
      assert.deepEqual(
        members.map((m) => [m.itemId, m.quantity]),
        record.member.items.map((m: Json) => [m.item.id, m.quantity]),
        variant.name,
      );
    }
    for (const variant of fixtureVariants(recordMetadataShape)) {
      record = variant.value as Json;
      const custom = record.properties.custbody_tl_xseries_sale_id['x-ns-custom-field'] === true;
      assert.equal(await sales().hasCustomField('salesOrder', 'custbody_tl_xseries_sale_id'), custom, variant.name);
      assert.equal(await sales().hasCustomField('salesOrder', 'tranId'), false, variant.name);
    }
    for (const variant of fixtureVariants(salesOrderShape)) {
      record = variant.value as Json;
      assert.equal((await sales().byExternalId('salesOrder', 'XS-1'))?.id, record.id, variant.name);
    }
  });

  it('the error bodies: 400 (record, SuiteQL, duplicate), 401, 404 and the 429 over the concurrency limit', async () => {
    const ns = sales();
    try {
      for (const variant of fixtureVariants(errorShape('Bad Request'))) {
        const body = variant.value as Json;
        refusal = { status: 400, body };
        const refused = await ns.client.suiteql('SELECT id FROM transaction').catch((e: unknown) => e);
        assert.ok(refused instanceof RemoteRejected, variant.name);
        assert.equal(netsuiteErrorCode(refused), body['o:errorDetails'][0]?.['o:errorCode'], variant.name);
        assert.equal(netsuiteErrorDetail(refused), body['o:errorDetails'][0]?.detail, variant.name);
      }
      const dup = fixture(errorShape('Bad Request')) as Json;
      dup['o:errorDetails'] = [{ detail: 'A record with the external ID exists.', 'o:errorCode': 'DUP_RCRD' }];
      refusal = { status: 400, body: dup };
      assert.equal(
        isDuplicateExternalId(await ns.client.transform('salesOrder', '1', 'invoice').catch((e: unknown) => e)),
        true,
      );
      for (const variant of fixtureVariants(errorShape('Unauthorized'))) {
        refusal = { status: 401, body: variant.value };
        assert.ok((await ns.salesOrder('1').catch((e: unknown) => e)) instanceof RemoteAuthLost, variant.name);
      }
      for (const variant of fixtureVariants(errorShape('Not Found'))) {
        refusal = { status: 404, body: variant.value };
        assert.equal(await ns.salesOrder('1'), undefined, variant.name);
      }
      for (const variant of fixtureVariants(concurrencyErrorShape)) {
        refusal = { status: 429, body: variant.value };
        const limited = await createNetsuiteClient({ baseUrl: server.url, credentials, rateLimitWaitMs: 0 })
          .suiteql('SELECT id FROM location')
          .catch((e: unknown) => e);
        assert.ok(limited instanceof RemoteRateLimited, variant.name);
      }
    } finally {
      refusal = undefined;
    }
  });
});

describe('the NetSuite simulator answers in the same shapes', () => {
  let running: RunningServer;
  const sim = createNetsuiteSimulator();
  /** Every reply the connector got, by what it asked. */
  const seen: Array<{ method: string; path: string; query: string | undefined; status: number; body: unknown }> = [];
  const tap: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const text = await res.clone().text();
    const url = new URL(String(input instanceof Request ? input.url : input));
    const q =
      typeof init?.body === 'string' && init.body.startsWith('{') ? (JSON.parse(init.body) as Json).q : undefined;
    seen.push({
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: q,
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
    });
    return res;
  };

  before(async () => {
    sim.seedScenario('demo', {});
    running = await serveApp(sim.app, 0);
  });
  after(() => running.close());

  const connector = () =>
    new NetsuiteSales(
      createNetsuiteClient({
        baseUrl: running.url,
        credentials: { ...credentials, accountId: sim.accountId },
        fetch: tap,
      }),
    );
  const check = (body: unknown, shape: Shape, what: string, options = {}): void => {
    const mismatches = diffShape(body, shape, options);
    assert.deepEqual(mismatches, [], `${what}\n${formatMismatches(mismatches)}`);
  };

  it('every sales order the connector reads fits the record shape, with no key of our own invention', async () => {
    const ns = connector();
    const changed = await ns.changedSalesOrders('2000-01-01T00:00:00');
    assert.ok(changed.length >= 15);
    for (const c of changed) await ns.salesOrder(c.id);
    const records = seen.filter((s) => s.method === 'GET' && /\/salesOrder\/\d+$/.test(s.path));
    assert.equal(records.length, changed.length);
    // Line custom fields (custcol…) are the account's own; the seeded account defines none, the shape allows them.
    for (const r of records) check(r.body, salesOrderShape, r.path, { allowExtra: ['item.items.custcol_*'] });
  });

  it('the SuiteQL replies, kit, inventory number, metadata and error bodies fit their shapes', async () => {
    seen.length = 0;
    const ns = connector();
    await ns.changedSalesOrders('2000-01-01T00:00:00');
    const warehouse = await ns.locationByName('Warehouse');
    assert.ok(warehouse);
    const items = await ns.itemsBySku(['TL-WATCH-TIDAL', 'TL-TOTE-CANVAS', 'TL-BALM-BEESWAX', 'TL-KIT-EXPLORER']);
    await ns.itemsById([...items.values()].map((i) => i.id));
    await ns.loadInventory([...items.values()], warehouse.id);
    await ns.children('110');
    await ns.firstCustomerId();
    await ns.shipMethodId('Store Pickup');
    await ns.salesOrderFormId('Standard Sales Order - Cash Sale');
    await ns.kitMembers(items.get('TL-KIT-EXPLORER')?.id ?? '');
    await ns.hasCustomField('salesOrder', 'custbody_tl_xseries_sale_id');
    const queries = seen.filter((s) => s.path.endsWith('/suiteql'));
    const kinds = new Set<string>();
    for (const s of queries) {
      const kind = kindOf(s.query ?? '');
      assert.ok(kind, s.query);
      kinds.add(kind);
      check(s.body, suiteqlPage(suiteqlRows[kind] as Shape), `${kind}: ${s.query}`);
    }
    assert.deepEqual([...kinds].sort(), Object.keys(suiteqlRows).sort(), 'every query the suite knows was checked');
    const kit = seen.find((s) => /\/kitItem\//.test(s.path));
    // The shape lists what the connector reads of a kit; the simulator's other item fields are not checked here.
    check(kit?.body, kitItemShape, 'kitItem', { ignoreExtra: true });
    check(seen.find((s) => s.path.includes('metadata-catalog'))?.body, recordMetadataShape, 'metadata');

    const numberId = Object.keys((sim.exportState() as { inventoryNumbers: object }).inventoryNumbers)[0] ?? '';
    const number = await ns.client.get('inventoryNumber', numberId, { expand: true });
    check(number, inventoryNumberShape, 'inventoryNumber');

    const refused = await ns.client
      .suiteql('SELECT t.id FROM transaction t WHERE t.createdfrom = 101')
      .catch((e: unknown) => e);
    assert.ok(refused instanceof RemoteRejected);
    check(refused.body, errorShape('Bad Request'), 'SuiteQL 400');
    const missing = await ns.client.http
      .request({ method: 'GET', path: '/services/rest/record/v1/salesOrder/999999', schema: z.unknown() })
      .catch((e: unknown) => e);
    assert.ok(missing instanceof RemoteRejected);
    check(missing.body, errorShape('Not Found'), '404');
  });

  it('the 429 over the concurrency limit fits the recorded body', async () => {
    const put = (body: unknown) => fetch(`${running.url}/_sim/config`, { method: 'PUT', body: JSON.stringify(body) });
    await put({ concurrencyLimit: 1, processingMs: 300 });
    try {
      seen.length = 0;
      const busy = connector().client.suiteql('SELECT id FROM location');
      await new Promise((r) => setTimeout(r, 50));
      await createNetsuiteClient({
        baseUrl: running.url,
        credentials: { ...credentials, accountId: sim.accountId },
        fetch: tap,
        rateLimitWaitMs: 0,
      })
        .suiteql('SELECT id FROM location')
        .catch(() => undefined);
      await busy;
      const limited = seen.find((s) => s.status === 429);
      assert.ok(limited);
      check(limited.body, concurrencyErrorShape, '429');
    } finally {
      await put({ concurrencyLimit: null, processingMs: 0 });
    }
  });
});
