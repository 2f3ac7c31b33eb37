import { SeededRandom } from '../shared/rng.ts';
import { buildScenario, isScenarioName, scenarioOptions, type ScenarioOptions } from '../shared/scenario.ts';
import { SimInputError } from '../shared/control.ts';
import { storeItem, type StoreItemKind } from '../shared/store-items.ts';
import { NsError } from './errors.ts';
import { raiseBody, type NetsuiteBook, type RaiseInput, isObject } from './book.ts';
import {
  tradeloopCustomFields,
  type NsCustomField,
  type NsCustomer,
  type NsItem,
  type NsItemType,
  type NsSalesOrder,
  type SalesOrderStatus,
} from './model.ts';

/**
 * Seeds the account from the shared scenario: the wholesale styles and the POS catalog become inventory items by
 * SKU (itemId) and UPC; some serial-numbered, lot-numbered, bin and kit items are added; customers, the two store
 * locations named like the Lightspeed outlets ("Main Street", "Harbor Mall") plus a warehouse with bins; ship
 * methods; and about fifteen sales orders across the status codes, picked up or delivered from a store.
 */

const hour = 3_600_000;
const day = 24 * hour;

const people: Array<[string, string, string]> = [
  ['Avery', 'Lindqvist', 'avery.lindqvist@example.test'],
  ['Jonah', 'Petrakis', 'jonah.p@example.test'],
  ['Maya', 'Okafor', 'maya.okafor@example.test'],
  ['Theo', 'Brennan', 'theo.brennan@example.test'],
  ['Priya', 'Raman', 'priya.raman@example.test'],
];
const companies: Array<[string, string]> = [
  ['Cobblestone Cafe', 'orders@cobblestone.example.test'],
  ['Seaside Yoga Studio', 'hello@seasideyoga.example.test'],
  ['Portland Rowing Club', 'gear@portlandrowing.example.test'],
];

interface SeedPlan {
  status: SalesOrderStatus;
  location: 'Main Street' | 'Harbor Mall' | 'Warehouse';
  fulfilment: 'pickup' | 'delivery' | 'ship';
  lines: Array<'regular' | 'serial' | 'lot' | 'bin' | 'kit' | 'wrap'>;
  form?: 'cashSale';
  externalId?: boolean;
  xseries?: boolean;
  gap?: boolean;
}

const plans: SeedPlan[] = [
  { status: 'A', location: 'Main Street', fulfilment: 'pickup', lines: ['regular', 'regular'] },
  { status: 'A', location: 'Harbor Mall', fulfilment: 'delivery', lines: ['regular'] },
  { status: 'B', location: 'Main Street', fulfilment: 'pickup', lines: ['serial', 'regular'] },
  { status: 'B', location: 'Harbor Mall', fulfilment: 'delivery', lines: ['lot', 'regular'] },
  { status: 'B', location: 'Warehouse', fulfilment: 'ship', lines: ['bin', 'regular', 'regular'], gap: true },
  { status: 'B', location: 'Harbor Mall', fulfilment: 'pickup', lines: ['kit'] },
  {
    status: 'B',
    location: 'Main Street',
    fulfilment: 'pickup',
    lines: ['regular', 'wrap'],
    form: 'cashSale',
    externalId: true,
  },
  { status: 'C', location: 'Main Street', fulfilment: 'delivery', lines: ['regular'] },
  { status: 'D', location: 'Main Street', fulfilment: 'delivery', lines: ['regular', 'regular'] },
  { status: 'E', location: 'Warehouse', fulfilment: 'ship', lines: ['regular', 'bin'] },
  { status: 'F', location: 'Main Street', fulfilment: 'pickup', lines: ['regular', 'serial'], externalId: true },
  { status: 'F', location: 'Harbor Mall', fulfilment: 'pickup', lines: ['regular'], form: 'cashSale' },
  { status: 'G', location: 'Harbor Mall', fulfilment: 'delivery', lines: ['regular', 'regular'], xseries: true },
  { status: 'G', location: 'Main Street', fulfilment: 'pickup', lines: ['regular'], form: 'cashSale', xseries: true },
  { status: 'H', location: 'Harbor Mall', fulfilment: 'delivery', lines: ['regular'] },
];
const smallPlans = [0, 2, 3, 5, 8, 10, 13];

const scenarioKeys = new Set<keyof ScenarioOptions>([
  'seed',
  'brands',
  'stylesPerBrand',
  'colorsPerStyle',
  'approvedOrders',
  'linesPerOrder',
  'posOverlap',
  'unrelatedPosItems',
  'duplicateUpcs',
  'archivedMatches',
  'ean13Share',
  'missingUpcShare',
  'currency',
  'anchorMs',
  'posCarriesStoreItems',
]);

export function ensureDefaultCredentials(
  book: NetsuiteBook,
  defaults: { consumerKey: string; consumerSecret: string; tokenId: string; tokenSecret: string },
): void {
  const s = book.state;
  if (!s.integrations.some((i) => i.consumerKey === defaults.consumerKey)) {
    s.integrations.push({
      name: 'Tradeloop',
      consumerKey: defaults.consumerKey,
      consumerSecret: defaults.consumerSecret,
    });
  }
  if (!s.tokens.some((t) => t.tokenId === defaults.tokenId)) {
    s.tokens.push({
      tokenId: defaults.tokenId,
      tokenSecret: defaults.tokenSecret,
      consumerKey: defaults.consumerKey,
      createdAtMs: book.clock.now(),
      revoked: false,
    });
  }
}

export function seedScenario(
  book: NetsuiteBook,
  name: string,
  options: Record<string, unknown>,
): Record<string, number> {
  if (!isScenarioName(name)) throw new SimInputError(`Unknown scenario '${name}'. Use demo, small or large.`);
  const overrides: Partial<ScenarioOptions> = {};
  for (const [k, v] of Object.entries(options))
    if (scenarioKeys.has(k as keyof ScenarioOptions)) (overrides as Record<string, unknown>)[k] = v;
  const scenario = buildScenario(scenarioOptions(name, overrides));
  const rng = new SeededRandom(`netsuite-${scenario.options.seed}`);
  const s = book.state;
  const now = book.clock.now();
  const created = book.stamp(now - 30 * day);
  // The seeded account has been set up for Tradeloop: its custom field exists.
  for (const f of tradeloopCustomFields) s.customFields[f.scriptId] ??= { ...f };

  // Locations: two stores named like the X-Series outlets, and a warehouse with bins.
  const location = (locName: string, type: 'store' | 'warehouse', address: string): string => {
    const existing = Object.values(s.locations).find((l) => l.name === locName);
    if (existing) return existing.id;
    const id = book.nextId('location');
    s.locations[id] = {
      id,
      name: locName,
      locationType: type,
      useBins: type === 'warehouse',
      isInactive: false,
      address,
      lastModifiedDate: created,
    };
    return id;
  };
  const main = location('Main Street', 'store', '12 Main Street, Portland, ME 04101');
  const harbor = location('Harbor Mall', 'store', 'Harbor Mall, Unit 14, Portland, ME 04101');
  const warehouse = location('Warehouse', 'warehouse', '88 Commercial Way, Westbrook, ME 04092');
  const locByName: Record<string, string> = { 'Main Street': main, 'Harbor Mall': harbor, Warehouse: warehouse };
  const bins = ['A-01-01', 'A-01-02', 'B-02-01'].map((binNumber) => {
    const existing = Object.values(s.bins).find((b) => b.binNumber === binNumber && b.location === warehouse);
    if (existing) return existing.id;
    const id = book.nextId('bin');
    s.bins[id] = { id, binNumber, location: warehouse };
    return id;
  });

  for (const [itemId, displayName, isPickup] of [
    ['Store Pickup', 'Pick up in store', true],
    ['Local Delivery', 'Local delivery from store', false],
    ['UPS Ground', 'UPS Ground', false],
    ['FedEx 2Day', 'FedEx 2Day', false],
  ] as const) {
    if (Object.values(s.shipMethods).some((m) => m.itemId === itemId)) continue;
    const id = book.nextId('item');
    s.shipMethods[id] = { id, itemId, displayName, isPickup };
  }

  const customerCount = Number(options.customers ?? (name === 'small' ? 4 : 8));
  const customers: NsCustomer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const person = i % 3 !== 2;
    const p = people[i % people.length] as [string, string, string];
    const c = companies[i % companies.length] as [string, string];
    const id = book.nextId('entity');
    const customer: NsCustomer = {
      id,
      entityId: `CUS${String(1000 + Number(id)).padStart(5, '0')}`,
      companyName: person ? '' : c[0],
      firstName: person ? p[0] : '',
      lastName: person ? p[1] : '',
      isPerson: person,
      email: person ? p[2] : c[1],
      phone: `207-555-${String(1000 + i * 37).slice(-4)}`,
      externalId: null,
      address: `${100 + i * 7} Fore Street, Portland, ME 04101`,
      createdDate: created,
      lastModifiedDate: created,
    };
    s.customers[id] = customer;
    customers.push(customer);
  }

  // Inventory items: every wholesale style/size (SKU = style-color-size, as the POS catalog uses), then POS items.
  const maxItems = Number(options.maxItems ?? (name === 'large' ? 5000 : name === 'small' ? 60 : 800));
  const brandName = new Map(scenario.brands.map((b) => [b.id, b.name]));
  const bySku = new Set(Object.values(s.items).map((i) => i.itemId));
  const regular: NsItem[] = [];
  const addItem = (
    partial: Partial<NsItem> & { itemId: string; displayName: string; itemType: NsItemType },
  ): NsItem => {
    const id = book.nextId('item');
    const item: NsItem = {
      id,
      upcCode: null,
      basePrice: 10,
      cost: 5,
      useBins: false,
      isInactive: false,
      externalId: null,
      vendorName: '',
      members: [],
      onHand: {},
      binOnHand: {},
      createdDate: created,
      lastModifiedDate: created,
      ...partial,
    };
    s.items[id] = item;
    bySku.add(item.itemId);
    return item;
  };
  const stockFor = (): Record<string, number> => ({
    [main]: rng.int(0, 12),
    [harbor]: rng.int(0, 12),
    [warehouse]: rng.int(10, 60),
  });
  outer: for (const style of scenario.styles) {
    for (const size of style.sizes) {
      if (regular.length >= maxItems) break outer;
      const sku = `${style.styleNumber}-${style.colorCode}-${size.size}`;
      if (bySku.has(sku)) continue;
      const upc = size.upc && size.upc.length === 13 && size.upc.startsWith('0') ? size.upc.slice(1) : size.upc;
      regular.push(
        addItem({
          itemType: 'inventoryItem',
          itemId: sku,
          displayName: `${style.name} ${style.color} ${size.size}`,
          upcCode: upc,
          basePrice: style.retailCents / 100,
          cost: style.wholesaleCents / 100,
          vendorName: brandName.get(style.brandId) ?? '',
          onHand: stockFor(),
        }),
      );
    }
  }
  for (const pos of scenario.posItems) {
    if (regular.length >= maxItems) break;
    if (!pos.upc || pos.archived || bySku.has(pos.sku)) continue;
    regular.push(
      addItem({
        itemType: 'inventoryItem',
        itemId: pos.sku,
        displayName: pos.name,
        upcCode: pos.upc,
        basePrice: pos.retailCents / 100,
        cost: pos.costCents / 100,
        vendorName: pos.brandName,
        onHand: stockFor(),
      }),
    );
  }
  if (regular.length === 0) throw new SimInputError('The scenario produced no items.');

  // The store's own items (skipped when already present, so seeding twice does not duplicate them).
  const special = (sku: string): NsItem | undefined => Object.values(s.items).find((i) => i.itemId === sku);
  const nsType: Record<StoreItemKind, NsItemType> = {
    serialized: 'serializedInventoryItem',
    lot: 'lotNumberedInventoryItem',
    inventory: 'inventoryItem',
    service: 'nonInventorySaleItem',
    kit: 'kitItem',
  };
  const storeAsNs = (sku: string, extra: Partial<NsItem> = {}): NsItem => {
    const item = storeItem(sku);
    return (
      special(sku) ??
      addItem({
        itemType: nsType[item.kind],
        itemId: item.sku,
        displayName: item.name,
        upcCode: item.upc,
        basePrice: item.retailCents / 100,
        cost: item.costCents / 100,
        vendorName: item.brandName,
        ...extra,
      })
    );
  };
  const watch = storeAsNs('TL-WATCH-TIDAL', { useBins: true });
  const tracker = storeAsNs('TL-GPS-RIDGE');
  const balm = storeAsNs('TL-BALM-BEESWAX');
  const tote = storeAsNs('TL-TOTE-CANVAS', { useBins: true });
  const wrap = storeAsNs('TL-GIFT-WRAP');
  const firstRegular = regular[0] as NsItem;
  const kit = storeAsNs('TL-KIT-EXPLORER', {
    members: [
      { item: watch.id, quantity: 1 },
      { item: tote.id, quantity: 1 },
      { item: firstRegular.id, quantity: 2 },
    ],
  });
  if (!Object.values(s.inventoryNumbers).some((n) => n.item === watch.id)) {
    const addNumber = (
      item: NsItem,
      number: string,
      loc: string,
      qty: number,
      bin: string | null,
      expiry: string | null = null,
    ): void => {
      const id = book.nextId('inventoryNumber');
      s.inventoryNumbers[id] = {
        id,
        inventoryNumber: number,
        item: item.id,
        location: loc,
        bin,
        quantityOnHand: qty,
        expirationDate: expiry,
      };
      item.onHand[loc] = (item.onHand[loc] ?? 0) + qty;
    };
    let serial = 1;
    for (const loc of [main, harbor, warehouse]) {
      for (let i = 0; i < 6; i++)
        addNumber(
          watch,
          `SW-${String(serial++).padStart(5, '0')}`,
          loc,
          1,
          loc === warehouse ? (bins[i % 2] ?? null) : null,
        );
      for (let i = 0; i < 4; i++) addNumber(tracker, `GPS-${String(serial++).padStart(5, '0')}`, loc, 1, null);
    }
    addNumber(balm, 'LOT-2026-A', main, 24, null, '2028-06-30');
    addNumber(balm, 'LOT-2026-B', harbor, 24, null, '2028-06-30');
    addNumber(balm, 'LOT-2026-C', warehouse, 60, null, '2028-09-30');
    tote.onHand = { [main]: 10, [harbor]: 10, [warehouse]: 40 };
    tote.binOnHand = { [bins[0] ?? '']: 15, [bins[2] ?? '']: 25 };
  }

  // A store whose POS carries the ERP's items sells, in its orders, what the POS stocks.
  const inPos = new Set(scenario.posItems.filter((p) => !p.archived).map((p) => p.sku));
  const stocked = scenario.options.posCarriesStoreItems ? regular.filter((i) => inPos.has(i.itemId)) : [];
  const sellable = stocked.length > 0 ? stocked : regular;

  // Sales orders, spread over the last days so "changed since" queries have something to page through.
  const wanted = Number(options.salesOrders ?? (name === 'small' ? smallPlans.length : plans.length));
  const chosen = (name === 'small' ? smallPlans.map((i) => plans[i] as SeedPlan) : plans).slice(0, wanted);
  while (chosen.length < wanted) chosen.push(plans[chosen.length % plans.length] as SeedPlan);
  let made = 0;
  chosen.forEach((plan, index) => {
    const at = now - (chosen.length - index) * 3 * hour;
    const customer = customers[index % customers.length] as NsCustomer;
    const lines = plan.lines.map((kind) => {
      const item = { regular: rng.pick(sellable), serial: watch, lot: balm, bin: tote, kit, wrap }[kind];
      return { item: item.id, quantity: kind === 'regular' ? rng.int(1, 3) : kind === 'lot' ? 2 : 1 };
    });
    // The same regular item twice in one order would be odd; keep the first.
    const seen = new Set<string>();
    const uniqueLines = lines.filter((l) => (seen.has(l.item) ? false : (seen.add(l.item), true)));
    const input: RaiseInput = {
      customer: customer.id,
      items: uniqueLines,
      location: locByName[plan.location] ?? main,
      fulfilment: plan.fulfilment,
      status: 'A',
      customForm: plan.form ?? 'invoice',
      memo:
        plan.fulfilment === 'pickup'
          ? 'Customer will collect in store.'
          : plan.fulfilment === 'delivery'
            ? 'Deliver from store.'
            : '',
      ...(plan.externalId ? { externalId: `WEB-${String(5000 + index)}` } : {}),
      ...(index % 4 === 1 ? { otherRefNum: `PO-${rng.digits(5)}` } : {}),
      ...(plan.xseries ? { custom: { custbody_tl_xseries_sale_id: `0242ac12-0002-11ee-b8f1-${rng.digits(12)}` } } : {}),
    };
    const so = book.createSalesOrder(raiseBody(book, input));
    if (plan.gap && so.lines.length >= 3) so.lines.splice(1, 1); // a removed line: orderLine numbers are not sequential (§5)
    try {
      book.advanceTo(so, plan.status);
    } catch (error) {
      if (!(error instanceof NsError)) throw error;
      // A status this data cannot reach (e.g. too few lines) leaves the order approved.
    }
    restamp(book, so, at);
    made++;
  });

  return {
    locations: Object.keys(s.locations).length,
    customers: Object.keys(s.customers).length,
    items: Object.keys(s.items).length,
    inventoryNumbers: Object.keys(s.inventoryNumbers).length,
    salesOrders: made,
    transactions: Object.keys(s.transactions).length,
  };
}

/** Dates a seeded order and what was made from it as if it happened at `atMs`. */
function restamp(book: NetsuiteBook, so: NsSalesOrder, atMs: number): void {
  const stamp = book.stamp(atMs);
  so.createdDate = stamp;
  so.tranDate = book.today(atMs);
  so.lastModifiedDate = book.stamp(atMs + so.children.length * 60_000);
  so.children.forEach((childId, i) => {
    const child = book.state.transactions[childId];
    if (!child) return;
    child.createdDate = book.stamp(atMs + (i + 1) * 60_000);
    child.lastModifiedDate = child.createdDate;
    child.tranDate = book.today(atMs);
  });
}

/**
 * Adds posted records: `{customFields: [{scriptId: "custbody_…" | "custcol_…", label?, appliesTo?}],
 * customers: [{firstName, lastName} | {companyName}, email?, externalId?],
 * items: [{itemId, displayName?, upcCode?, basePrice?, itemType?}], salesOrders: [REST salesOrder body + optional
 * "status" code], cashSales: [REST cashSale body]}`.
 */
export function seedData(book: NetsuiteBook, data: unknown): Record<string, number> {
  if (!isObject(data))
    throw new SimInputError('data must be an object with customers, items, salesOrders and/or cashSales');
  const s = book.state;
  const summary = { customFields: 0, customers: 0, items: 0, salesOrders: 0, cashSales: 0 };
  const list = (key: string): Array<Record<string, unknown>> => {
    const v = data[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every(isObject)) throw new SimInputError(`${key} must be an array of objects`);
    return v;
  };
  const stamp = book.stamp();
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  try {
    for (const f of list('customFields')) {
      const scriptId = str(f.scriptId).toLowerCase();
      const kind = /^custbody/.test(scriptId) ? 'body' : /^custcol/.test(scriptId) ? 'column' : undefined;
      if (!kind) throw new SimInputError('a custom field needs a scriptId starting custbody or custcol');
      const appliesTo = Array.isArray(f.appliesTo)
        ? (f.appliesTo as NsCustomField['appliesTo'])
        : (['salesOrder', 'itemFulfillment', 'invoice', 'cashSale'] as NsCustomField['appliesTo']);
      s.customFields[scriptId] = { scriptId, label: str(f.label) || scriptId, kind, type: 'text', appliesTo };
      summary.customFields++;
    }
    for (const c of list('customers')) {
      const id = book.nextId('entity');
      s.customers[id] = {
        id,
        entityId: str(c.entityId) || `CUS${String(1000 + Number(id)).padStart(5, '0')}`,
        companyName: str(c.companyName),
        firstName: str(c.firstName),
        lastName: str(c.lastName),
        isPerson: !c.companyName,
        email: str(c.email),
        phone: str(c.phone),
        externalId: str(c.externalId) || null,
        address: str(c.address),
        createdDate: stamp,
        lastModifiedDate: stamp,
      };
      summary.customers++;
    }
    for (const i of list('items')) {
      if (!str(i.itemId)) throw new SimInputError('an item needs an itemId');
      const type = (str(i.itemType) || 'inventoryItem') as NsItemType;
      if (
        ![
          'inventoryItem',
          'serializedInventoryItem',
          'lotNumberedInventoryItem',
          'kitItem',
          'nonInventorySaleItem',
        ].includes(type)
      ) {
        throw new SimInputError(`unknown itemType ${type}`);
      }
      const id = book.nextId('item');
      s.items[id] = {
        id,
        itemType: type,
        itemId: str(i.itemId),
        displayName: str(i.displayName) || str(i.itemId),
        upcCode: str(i.upcCode) || null,
        basePrice: typeof i.basePrice === 'number' ? i.basePrice : 0,
        cost: typeof i.cost === 'number' ? i.cost : 0,
        useBins: i.useBins === true,
        isInactive: i.isInactive === true,
        externalId: str(i.externalId) || null,
        vendorName: str(i.vendorName),
        members: Array.isArray(i.members) ? (i.members as Array<{ item: string; quantity: number }>) : [],
        onHand: isObject(i.onHand) ? (i.onHand as Record<string, number>) : {},
        binOnHand: {},
        createdDate: stamp,
        lastModifiedDate: stamp,
      };
      summary.items++;
    }
    for (const body of list('salesOrders')) {
      const { status, ...rest } = body;
      const so = book.createSalesOrder(rest);
      if (typeof status === 'string') book.advanceTo(so, status as SalesOrderStatus);
      summary.salesOrders++;
    }
    for (const body of list('cashSales')) {
      book.createCashSale(body);
      summary.cashSales++;
    }
  } catch (error) {
    if (error instanceof NsError) throw new SimInputError(error.message, error.body());
    throw error;
  }
  return summary;
}
