import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dryRun, type DryRunOrder } from './dry-run.ts';
import { decideImport } from './import.ts';
import {
  defaultRuleSet,
  evaluateRules,
  orderFacts,
  validateRuleSet,
  type NsOrderSummary,
  type RuleSetDocument,
} from './rules.ts';
import { formInStep, formOfStatus, statusOfForm, xSaleStatuses } from './status.ts';

const order = (over: Partial<NsOrderSummary> = {}): NsOrderSummary => ({
  id: '101',
  tranId: 'SO1001',
  statusCode: 'B',
  location: 'Main Street',
  shipMethod: null,
  customFormName: 'Standard Sales Order - Invoice',
  customer: 'Avery Lindqvist',
  memo: null,
  otherRefNum: null,
  externalId: null,
  total: 120,
  custom: {},
  anyStorePickupLine: false,
  ...over,
});

const doc = (rules: unknown[], extra: Record<string, unknown> = {}): unknown => ({
  ...defaultRuleSet(),
  rules,
  ...extra,
});

describe('status mapping and the state + attributes form', () => {
  test('every legacy status round-trips through state + attributes', () => {
    for (const status of xSaleStatuses) {
      const form = formOfStatus(status);
      assert.equal(statusOfForm(form.state, form.attributes), status, status);
      assert.ok(formInStep(status, form.state, form.attributes));
    }
    assert.deepEqual(formOfStatus('AWAITING_PICKUP'), { state: 'pending', attributes: ['pickup'] });
    assert.deepEqual(formOfStatus('DISPATCHED_CLOSED'), { state: 'closed', attributes: ['delivery'] });
    assert.equal(formInStep('AWAITING_PICKUP', 'pending', ['delivery']), false);
  });

  test('the defaults are In8Sync’s four', () => {
    const mapping = defaultRuleSet().mapping;
    assert.deepEqual(
      mapping.map((m) => [m.key, m.xStatus, m.label]),
      [
        ['SAVED', 'SAVED', 'Parked'],
        ['CLOSED', 'CLOSED', 'Completed'],
        ['AWAITING_PICKUP', 'AWAITING_PICKUP', 'Pickup – Unfulfilled'],
        ['AWAITING_DISPATCH', 'AWAITING_DISPATCH', 'Delivery – Unfulfilled'],
      ],
    );
  });
});

describe('validation', () => {
  test('the default rule set validates', () => {
    assert.equal(validateRuleSet(defaultRuleSet()).ok, true);
  });

  test('an unknown field is refused naming the rule and the field', () => {
    const result = validateRuleSet(
      doc([{ name: 'By carrier', when: [{ field: 'carrier', op: 'is', value: 'UPS' }], send: true, status: 'SAVED' }]),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issues[0]?.path, 'rules[0].when[0].field');
    assert.equal(result.issues[0]?.field, 'carrier');
    assert.match(result.issues[0]?.message ?? '', /^Rule 1 "By carrier": unknown field "carrier"/);
  });

  test('a bad status (not mapped, or not a NetSuite status) is refused naming the rule and the field', () => {
    const result = validateRuleSet(
      doc([
        { name: 'Paid ones', when: [{ field: 'status', op: 'is', value: 'PAID' }], send: true, status: 'SAVED' },
        { name: 'Finished', when: [{ field: 'fulfilment', op: 'is', value: 'ship' }], send: true, status: 'COMPLETED' },
      ]),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    const messages = result.issues.map((i) => i.message);
    assert.ok(
      messages.some((m) => /^Rule 1 "Paid ones": "PAID" is not a NetSuite order status/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) =>
        /^Rule 2 "Finished": status "COMPLETED" is not in the status mapping \(SAVED, CLOSED, AWAITING_PICKUP, AWAITING_DISPATCH\)/.test(
          m,
        ),
      ),
      messages.join('\n'),
    );
    assert.deepEqual(
      result.issues.map((i) => i.field),
      ['status', 'status'],
    );
  });

  test('a mapping to an X-Series status a new sale cannot take is refused', () => {
    const mapping = [
      ...defaultRuleSet().mapping,
      { key: 'DONE', xStatus: 'PICKED_UP_CLOSED', label: 'Done', paid: true },
    ];
    const result = validateRuleSet(doc([], { mapping }));
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.match(
        result.issues[0]?.message ?? '',
        /^Mapping "DONE": xStatus "PICKED_UP_CLOSED" is not an X-Series status a new sale can take/,
      );
  });

  test('contradictory rules: a later rule an earlier one always takes first, with another outcome', () => {
    const result = validateRuleSet(
      doc([
        {
          name: 'Billed to POS',
          when: [{ field: 'status', op: 'in', value: ['BILLED', 'PENDING_BILLING'] }],
          send: true,
          status: 'CLOSED',
        },
        {
          name: 'Billed pickups',
          when: [
            { field: 'status', op: 'is', value: 'BILLED' },
            { field: 'fulfilment', op: 'is', value: 'pickup' },
          ],
          send: true,
          status: 'AWAITING_PICKUP',
        },
      ]),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0]?.rule, 'Billed pickups');
    assert.equal(result.issues[0]?.field, 'when');
    assert.match(
      result.issues[0]?.message ?? '',
      /^Rule 2 "Billed pickups" contradicts Rule 1 "Billed to POS": .*sends them as CLOSED/,
    );
  });

  test('a rule whose own conditions exclude each other is refused', () => {
    const result = validateRuleSet(
      doc([
        {
          name: 'Impossible',
          when: [
            { field: 'status', op: 'is', value: 'BILLED' },
            { field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' },
          ],
          send: true,
          status: 'SAVED',
        },
      ]),
    );
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.match(
        result.issues[0]?.message ?? '',
        /^Rule 1 "Impossible" can never match: its conditions contradict each other \(status is BILLED and status is PENDING_FULFILLMENT\)/,
      );
  });

  test('the same rule twice is refused as a duplicate; a disabled copy is fine', () => {
    const rule = {
      name: 'Billed',
      when: [{ field: 'status', op: 'is', value: 'BILLED' }],
      send: true,
      status: 'CLOSED',
    };
    const result = validateRuleSet(doc([rule, { ...rule, id: 'copy', name: 'Billed again' }]));
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.match(
        result.issues[0]?.message ?? '',
        /^Rule 2 "Billed again" can never apply: Rule 1 "Billed" comes first .*duplicate/,
      );
    assert.equal(validateRuleSet(doc([rule, { ...rule, id: 'copy', name: 'Billed again', enabled: false }])).ok, true);
  });
});

describe('evaluation', () => {
  const rules = defaultRuleSet();

  test('the first matching rule wins', () => {
    const billedPickup = orderFacts(order({ statusCode: 'G', shipMethod: 'Store Pickup' }), rules);
    const decision = evaluateRules(rules, billedPickup);
    assert.ok(decision.send);
    if (decision.send)
      assert.deepEqual(
        [decision.ruleName, decision.status, decision.xStatus],
        ['Send BILLED orders for pickup', 'AWAITING_PICKUP', 'AWAITING_PICKUP'],
      );
    const billedShip = evaluateRules(rules, orderFacts(order({ statusCode: 'G', shipMethod: 'UPS Ground' }), rules));
    assert.ok(billedShip.send && billedShip.status === 'CLOSED');
    const delivery = evaluateRules(rules, orderFacts(order({ statusCode: 'B', shipMethod: 'Local Delivery' }), rules));
    assert.ok(delivery.send && delivery.status === 'AWAITING_DISPATCH');
    const pickupLine = evaluateRules(rules, orderFacts(order({ statusCode: 'B', anyStorePickupLine: true }), rules));
    assert.ok(pickupLine.send && pickupLine.status === 'SAVED');
  });

  test('an order no rule matches is not sent, and the reason names each rule’s unmet condition', () => {
    const decision = evaluateRules(rules, orderFacts(order({ statusCode: 'A', shipMethod: 'UPS Ground' }), rules));
    assert.equal(decision.send, false);
    if (!decision.send) {
      assert.match(
        decision.reason,
        /^No rule matched: "Send BILLED orders for pickup" needs status is BILLED \(the order has status PENDING_APPROVAL\)/,
      );
      assert.match(
        decision.reason,
        /"Send for delivery from store" needs fulfilment is delivery \(the order has fulfilment ship\)/,
      );
    }
  });

  test('custom body fields and numbers can be tested', () => {
    const custom: RuleSetDocument = {
      ...rules,
      rules: [
        {
          id: 'web',
          name: 'Web orders over 100',
          enabled: true,
          when: [
            { field: 'custbody_channel', op: 'is', value: 'web' },
            { field: 'total', op: 'gt', value: 100 },
          ],
          send: true,
          status: 'SAVED',
        },
      ],
    };
    assert.equal(validateRuleSet(custom).ok, true);
    assert.equal(evaluateRules(custom, orderFacts(order({ custom: { custbody_channel: 'web' } }), custom)).send, true);
    assert.equal(
      evaluateRules(custom, orderFacts(order({ custom: { custbody_channel: 'web' }, total: 80 }), custom)).send,
      false,
    );
  });
});

describe('X-Series → NetSuite: the skip setting and its four conditions', () => {
  const cases = [
    {
      name: 'a kit with a serial-numbered component',
      facts: { status: 'CLOSED' as const, numberedKits: ['TL-KIT-EXPLORER'] },
      on: 'salesOrder',
      condition: 'numbered_kit',
    },
    { name: 'a layby', facts: { status: 'LAYBY' as const, numberedKits: [] }, on: 'salesOrder', condition: 'layby' },
    {
      name: 'a pickup',
      facts: { status: 'AWAITING_PICKUP' as const, numberedKits: [] },
      on: 'salesOrder',
      condition: 'pickup_unfulfilled',
    },
    {
      name: 'a delivery',
      facts: { status: 'AWAITING_DISPATCH' as const, numberedKits: [] },
      on: 'salesOrder',
      condition: 'delivery_unfulfilled',
    },
    {
      name: 'a plain completed sale',
      facts: { status: 'CLOSED' as const, numberedKits: [] },
      on: 'cashSale',
      condition: undefined,
    },
  ];
  for (const c of cases) {
    test(`${c.name}: skip on → ${c.on}; skip off → salesOrder`, () => {
      const on = decideImport(c.facts, { skipSalesOrders: true });
      assert.ok(on.import && on.as === c.on);
      if (on.import && c.condition) assert.deepEqual(on.conditions, [c.condition]);
      const off = decideImport(c.facts, { skipSalesOrders: false });
      assert.ok(off.import && off.as === 'salesOrder');
    });
  }
  test('parked and voided sales are not imported', () => {
    assert.equal(decideImport({ status: 'SAVED', numberedKits: [] }, { skipSalesOrders: true }).import, false);
    assert.equal(decideImport({ status: 'VOIDED', numberedKits: [] }, { skipSalesOrders: false }).import, false);
  });
});

describe('dry run', () => {
  test('compares the active rules with a draft, order by order', () => {
    const active = defaultRuleSet();
    const draft: RuleSetDocument = {
      ...active,
      rules: [
        ...active.rules,
        {
          id: 'ship',
          name: 'Park shipped orders',
          enabled: true,
          when: [
            { field: 'fulfilment', op: 'is', value: 'ship' },
            { field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' },
          ],
          send: true,
          status: 'SAVED',
        },
      ],
    };
    const orders: DryRunOrder[] = [
      {
        order: order({ id: '1', tranId: 'SO1', statusCode: 'B', shipMethod: 'UPS Ground' }),
        alreadySent: null,
        blocker: null,
      },
      {
        order: order({ id: '2', tranId: 'SO2', statusCode: 'G', shipMethod: 'Store Pickup' }),
        alreadySent: null,
        blocker: null,
      },
      {
        order: order({ id: '3', tranId: 'SO3', statusCode: 'B', shipMethod: 'Local Delivery' }),
        alreadySent: null,
        blocker: 'No X-Series product with SKU X',
      },
      {
        order: order({ id: '4', tranId: 'SO4', statusCode: 'G' }),
        alreadySent: { status: 'CLOSED', xSaleId: 's' },
        blocker: null,
      },
    ];
    const report = dryRun(active, draft, orders);
    assert.deepEqual(report.active, {
      orders: 4,
      send: 1,
      sendByStatus: { AWAITING_PICKUP: 1 },
      notSent: 1,
      blocked: 1,
      alreadySent: 1,
    });
    assert.deepEqual(report.draft, {
      orders: 4,
      send: 2,
      sendByStatus: { AWAITING_PICKUP: 1, SAVED: 1 },
      notSent: 0,
      blocked: 1,
      alreadySent: 1,
    });
    assert.equal(report.changed, 1);
    assert.deepEqual(report.rows.find((r) => r.change !== 'same')?.tranId, 'SO1');
  });
});
