/**
 * Rules as versioned, testable configuration, through the REST API: a rule set that fails validation is refused with
 * messages naming the rule and the field; a saved draft's dry run gives the same figures as the actual sync of the
 * same orders once it is activated; the log, retry, settings and the OpenAPI document.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultRuleSet } from '../../src/core/sales/rules.ts';
import { ensureSalesSchedules } from '../../src/flows/sales/jobs.ts';
import { SALES_NETSUITE_SYNC } from '../../src/flows/sales/tasks.ts';
import { defaultCredentials } from '../../src/simulators/netsuite/index.ts';
import * as queue from '../../src/jobs/queue.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startSalesHarness } from './harness.ts';

forEachDialect('sales-order rules over the API', (getStore) => {
  test('an invalid rule set is refused naming rule and field; nothing is saved', async () => {
    const h = await startSalesHarness(getStore());
    try {
      const call = (method: string, path: string, body?: unknown) =>
        h.t.call(method, path, { token: h.token, ...(body === undefined ? {} : { body }) });
      const start = await call('GET', '/api/sales-orders/rules');
      assert.equal(start.status, 200);
      assert.equal(start.body.active.version, 0);
      assert.equal(start.body.active.state, 'default');
      assert.deepEqual(
        start.body.active.document.mapping.map((m: { key: string; label: string }) => `${m.key} → ${m.label}`),
        [
          'SAVED → Parked',
          'CLOSED → Completed',
          'AWAITING_PICKUP → Pickup – Unfulfilled',
          'AWAITING_DISPATCH → Delivery – Unfulfilled',
        ],
      );

      const bad = defaultRuleSet() as unknown as { rules: unknown[] };
      bad.rules = [
        {
          id: 'a',
          name: 'Billed, any way',
          when: [{ field: 'status', op: 'is', value: 'BILLED' }],
          send: true,
          status: 'CLOSED',
        },
        {
          id: 'b',
          name: 'Billed pickups',
          when: [
            { field: 'status', op: 'is', value: 'BILLED' },
            { field: 'fulfilment', op: 'is', value: 'pickup' },
          ],
          send: true,
          status: 'AWAITING_PICKUP',
        },
        {
          id: 'c',
          name: 'By carrier',
          when: [{ field: 'carrier', op: 'is', value: 'UPS' }],
          send: true,
          status: 'SAVED',
        },
        {
          id: 'd',
          name: 'Done ones',
          when: [{ field: 'status', op: 'is', value: 'PENDING_BILLING' }],
          send: true,
          status: 'FINISHED',
        },
      ];
      const refused = await call('POST', '/api/sales-orders/rules', { document: bad });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'SALES_RULES_INVALID');
      const issues = refused.body.error.details as Array<{ rule: string; field: string; message: string }>;
      assert.deepEqual(
        issues.map((i) => [i.rule, i.field]),
        [
          ['By carrier', 'carrier'],
          ['Done ones', 'status'],
        ],
        'field-level problems first; contradictions are checked once every rule reads right',
      );
      assert.match(issues[0]?.message ?? '', /^Rule 3 "By carrier": unknown field "carrier"/);
      assert.match(issues[1]?.message ?? '', /^Rule 4 "Done ones": status "FINISHED" is not in the status mapping/);

      // With those fixed, the contradiction is reported the same way.
      bad.rules = bad.rules.slice(0, 2);
      const contradiction = await call('POST', '/api/sales-orders/rules/validate', { document: bad });
      assert.equal(contradiction.status, 200);
      assert.equal(contradiction.body.ok, false);
      assert.equal(contradiction.body.issues[0].rule, 'Billed pickups');
      assert.equal(contradiction.body.issues[0].field, 'when');
      assert.match(
        contradiction.body.issues[0].message,
        /^Rule 2 "Billed pickups" contradicts Rule 1 "Billed, any way"/,
      );

      assert.equal((await call('GET', '/api/sales-orders/rules')).body.versions.length, 0, 'nothing was saved');

      // Linking NetSuite (TBA): wrong secrets are refused; the right ones are stored sealed, on the same connection.
      const link = { accountId: h.ns.sim.accountId, ...defaultCredentials };
      const wrong = await call('POST', '/api/sales-orders/netsuite/link', { ...link, tokenSecret: 'not-the-secret' });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.code, 'NETSUITE_LINK_FAILED');
      assert.match(wrong.body.error.message, /NetSuite did not accept these credentials/);
      const linked = await call('POST', '/api/sales-orders/netsuite/link', link);
      assert.equal(linked.status, 201);
      assert.equal(linked.body.account, '1234567_SB1');
      assert.equal(
        linked.body.id,
        (await call('GET', '/api/sales-orders/status')).body.netsuite.id,
        'linking again keeps the connection',
      );
      const stored = JSON.stringify(await getStore().db.selectFrom('secrets').selectAll().execute());
      assert.equal(stored.includes(defaultCredentials.tokenSecret), false, 'the token secret is sealed');

      const doc = await call('GET', '/api/openapi.json');
      for (const path of [
        '/api/sales-orders/rules',
        '/api/sales-orders/dry-run',
        '/api/sales-orders/log/{id}/retry',
        '/api/sales-orders/sync',
        '/api/sales-orders/netsuite/link',
      ]) {
        assert.ok(doc.body.paths[path], `OpenAPI documents ${path}`);
      }
    } finally {
      await h.close();
    }
  });

  test('the dry run’s figures match the actual sync of the same orders; then the log and retry', async () => {
    const h = await startSalesHarness(getStore());
    try {
      const call = (method: string, path: string, body?: unknown) =>
        h.t.call(method, path, { token: h.token, ...(body === undefined ? {} : { body }) });
      // Orders of every kind, including one NetSuite links to someone else's sale and one with no outlet.
      await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'pickup', status: 'G' });
      await h.ns.raise({
        items: [{ item: 'NOR-1001-BLK-S' }],
        fulfilment: 'delivery',
        status: 'B',
        location: 'Harbor Mall',
      });
      await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-L' }], fulfilment: 'ship', status: 'G' });
      await h.ns.raise({ items: [{ item: 'NOR-1000-IND-30' }], fulfilment: 'pickup', status: 'B' });
      await h.ns.raise({ items: [{ item: 'NOR-1000-IND-34' }], fulfilment: 'ship', status: 'B' });
      await h.ns.raise({
        items: [{ item: 'NOR-1000-IND-34' }],
        fulfilment: 'ship',
        status: 'B',
        memo: 'hold for the customer',
      });
      await h.ns.raise({ items: [{ item: 'NOR-1000-IND-28' }], fulfilment: 'ship', status: 'A' });
      await h.ns.raise({
        items: [{ item: 'NOR-1001-BLK-S' }],
        fulfilment: 'delivery',
        status: 'B',
        location: 'Warehouse',
      });
      await h.ns.raise({
        items: [{ item: 'NOR-1001-BLK-L' }],
        fulfilment: 'ship',
        status: 'G',
        custom: { custbody_tl_xseries_sale_id: '0242ac12-0002-11ee-b8f1-000000000001' },
      });

      // The draft: held orders are not sent, shipped open orders are parked in the POS.
      const draft = defaultRuleSet();
      draft.rules.unshift({
        id: 'hold',
        name: 'Keep held orders back',
        enabled: true,
        when: [{ field: 'memo', op: 'contains', value: 'hold' }],
        send: false,
      });
      draft.rules.push({
        id: 'ship',
        name: 'Park open shipped orders',
        enabled: true,
        when: [
          { field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' },
          { field: 'fulfilment', op: 'is', value: 'ship' },
        ],
        send: true,
        status: 'SAVED',
      });
      const saved = await call('POST', '/api/sales-orders/rules', { document: draft, note: 'park shipped orders' });
      assert.equal(saved.status, 201, JSON.stringify(saved.body));
      assert.equal(saved.body.version, 1);
      assert.equal(saved.body.state, 'draft');

      const dry = await call('POST', '/api/sales-orders/dry-run', { version: 1, days: 7 });
      assert.equal(dry.status, 200, JSON.stringify(dry.body));
      assert.equal(dry.body.activeVersion, 0);
      assert.deepEqual(dry.body.active, {
        orders: 9,
        send: 4,
        sendByStatus: { AWAITING_PICKUP: 1, AWAITING_DISPATCH: 1, CLOSED: 1, SAVED: 1 },
        notSent: 4,
        blocked: 1,
        alreadySent: 0,
      });
      assert.deepEqual(dry.body.draft, {
        orders: 9,
        send: 5,
        sendByStatus: { AWAITING_PICKUP: 1, AWAITING_DISPATCH: 1, CLOSED: 1, SAVED: 2 },
        notSent: 3,
        blocked: 1,
        alreadySent: 0,
      });
      assert.equal(dry.body.changed, 1);
      const changed = dry.body.rows.find((r: { change: string }) => r.change !== 'same');
      assert.deepEqual(
        [changed.change, changed.active.outcome, changed.draft.outcome, changed.draft.status],
        ['newly_sent', 'not_sent', 'send', 'SAVED'],
      );
      assert.equal(h.x.sales().filter((s) => s.source === 'TRADELOOP_NETSUITE').length, 0, 'a dry run writes nothing');

      const activated = await call('POST', '/api/sales-orders/rules/1/activate');
      assert.equal(activated.body.state, 'active');
      const queued = await call('POST', '/api/sales-orders/sync', { direction: 'netsuite' });
      assert.equal(queued.status, 202);
      await h.drain();
      const [job] = await queue.list(getStore().db, h.tenantId, { task: SALES_NETSUITE_SYNC, state: 'succeeded' });
      const report = job?.result as {
        ruleSetVersion: number;
        orders: number;
        sent: number;
        sentByStatus: Record<string, number>;
        notSent: number;
        blocked: number;
      };
      assert.equal(report.ruleSetVersion, 1);
      assert.deepEqual(
        {
          orders: report.orders,
          send: report.sent,
          sendByStatus: report.sentByStatus,
          notSent: report.notSent,
          blocked: report.blocked,
        },
        {
          orders: dry.body.draft.orders,
          send: dry.body.draft.send,
          sendByStatus: dry.body.draft.sendByStatus,
          notSent: dry.body.draft.notSent,
          blocked: dry.body.draft.blocked,
        },
        'the actual sync did what the dry run said',
      );
      assert.equal(h.x.sales().filter((s) => s.source === 'TRADELOOP_NETSUITE').length, 5);
      // The run queued the next scheduled one (keyed by time bucket); the start-up scheduler is idempotent.
      const next = await queue.list(getStore().db, h.tenantId, { task: SALES_NETSUITE_SYNC, state: 'queued' });
      assert.equal(next.length, 1);
      assert.ok((next[0]?.runAt ?? 0) > Date.now() + 4 * 60_000, 'five minutes on');
      assert.match(next[0]?.key ?? '', /^scheduled:\d+$/);
      assert.equal(await ensureSalesSchedules(h.t.ctx), 2, 'both directions for this organization, this bucket');
      assert.equal(await ensureSalesSchedules(h.t.ctx), 0, 'and not twice');

      const after = await call('POST', '/api/sales-orders/dry-run', { version: 1, days: 7 });
      assert.equal(after.body.draft.alreadySent, 5);

      // The log: states, reasons, errors; a retry of the blocked order fails the same way and makes nothing.
      const log = await call('GET', '/api/sales-orders/log?direction=ns_to_x');
      assert.equal(log.body.entries.length, 9);
      const held = log.body.entries.find(
        // The rule's reason, then NetSuite's own words for the status (a real record's `status` display text).
        (e: { reason: string | null }) =>
          e.reason === 'Rule "Keep held orders back" says not to send it (NetSuite: Pending Fulfillment)',
      );
      assert.equal(held?.state, 'not_sent');
      const linked = log.body.entries.find((e: { reason: string | null }) =>
        e.reason?.startsWith('NetSuite already links it to X-Series sale 0242ac12'),
      );
      assert.equal(linked?.state, 'not_sent');
      const blocked = log.body.entries.find((e: { state: string }) => e.state === 'failed');
      assert.equal(blocked.error.code, 'SALES_ORDER_BLOCKED');
      const detail = await call(
        'GET',
        `/api/sales-orders/log/${log.body.entries.find((e: { state: string }) => e.state === 'sent').id}`,
      );
      assert.deepEqual(
        detail.body.steps.map((s: { step: string; state: string }) => `${s.step}:${s.state}`),
        ['create-sale:done', 'link-netsuite:done'],
      );
      const retried = await call('POST', `/api/sales-orders/log/${blocked.id}/retry`);
      assert.equal(retried.status, 202);
      await h.drain();
      const again = await call('GET', `/api/sales-orders/log/${blocked.id}`);
      assert.equal(again.body.state, 'failed');
      assert.equal(again.body.error.message, 'Location "Warehouse" has no X-Series outlet of that name');
      assert.equal(h.x.sales().filter((s) => s.source === 'TRADELOOP_NETSUITE').length, 5);

      const settings = await call('PUT', '/api/sales-orders/settings', { skipSalesOrders: false });
      assert.equal(settings.body.skipSalesOrders, false);
      const status = await call('GET', '/api/sales-orders/status');
      assert.equal(status.body.activeVersion, 1);
      assert.equal(status.body.netsuite.status, 'linked');
      assert.ok(status.body.cursors.some((c: { key: string }) => c.key.startsWith('netsuite:')));
    } finally {
      await h.close();
    }
  });
});
