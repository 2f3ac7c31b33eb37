import type { z } from 'zod';
import { SimInputError } from '../shared/control.ts';
import {
  buildScenario,
  isScenarioName,
  scenarioOptions,
  type Scenario,
  type ScenarioBrand,
  type ScenarioOptions,
  type ScenarioOrder,
  type ScenarioStyle,
} from '../shared/scenario.ts';
import {
  day,
  emptyState,
  hexOf,
  midnightIso,
  newId,
  pathTo,
  type LineRecord,
  type OrderRecord,
  type OrderStatus,
  type ProductJson,
  type ProductRecord,
  type RetailerRecord,
} from './model.ts';
import { addConsumer, ensureDemoCredentials } from './credentials.ts';
import type { LineInput, NuorderStore } from './store.ts';
import { seedDataSchema, type seedCompanySchema, type seedOrderSchema, type seedProductSchema } from './seed-schema.ts';

/**
 * Seeding: a named scenario mapped into NuORDER records, or posted records in NuORDER's own shapes.
 *
 * A brand sells to many stores, and a brand-portal token sees the orders of every retailer buying from the
 * brand (reference divergences.md F3, [I]: no recording has two retailers). So every scenario also seeds a
 * second retailer buying from the same brands, with one approved order per brand, and a `retailer_code` of
 * `""` as the recorded orders had. A connector that does not keep to its own retailer imports them.
 */

/** The second store of every scenario; its code is "" like the recorded `retailer.retailer_code`. */
export const otherRetailer = {
  name: 'Harbor Street Mercantile',
  code: '',
  buyerName: 'Sam Okafor',
  buyerEmail: 'sam@harbor-street.test',
  address: { line1: '77 Wharf Road', city: 'Gloucester', state: 'MA', zip: '01930', country: 'USA' },
} as const;

export function seedScenario(store: NuorderStore, name: string, overrides: Record<string, unknown>): void {
  if (!isScenarioName(name)) throw new SimInputError(`Unknown scenario "${name}" (use demo, small or large)`);
  const scenario = buildScenario(scenarioOptions(name, overrides as Partial<ScenarioOptions>));
  const s = store.state;
  const keep = { consumers: s.consumers, accessTokens: s.accessTokens, config: s.config };
  store.state = { ...emptyState(), ...keep, idSeed: `nuorder:${scenario.options.seed}` };
  mapScenario(store, scenario);
  ensureDemoCredentials(store);
  store.reindex();
}

function retailerRecord(
  id: string,
  r: Pick<Scenario['retailer'], 'name' | 'code' | 'buyerName' | 'buyerEmail' | 'address'>,
  currency: string,
  anchor: number,
  phone: string,
): RetailerRecord {
  return {
    _id: id,
    name: r.name,
    code: r.code,
    currency_code: currency,
    phone,
    buyer_name: r.buyerName,
    buyer_email: r.buyerEmail,
    address: {
      _id: hexOf(`${id}:address`),
      line_1: r.address.line1,
      city: r.address.city,
      state: r.address.state,
      zip: r.address.zip,
      country: r.address.country,
    },
    created_on: new Date(anchor - 400 * day).toISOString(),
    modified_on: new Date(anchor - 90 * day).toISOString(),
  };
}

function productOf(style: ScenarioStyle, currency: string, anchor: number): ProductJson {
  const jitter = parseInt(hexOf(style.id, 6), 16) % day;
  return {
    _id: style.id,
    schema_id: hexOf('schema:product'),
    brand_id: style.externalId,
    style_number: style.styleNumber,
    season: style.season,
    seasons: [style.season],
    color: style.color,
    color_code: style.colorCode,
    name: style.name,
    description: style.description,
    category: style.category,
    subcategory: '',
    department: style.department,
    division: '',
    pricing: { [currency]: { wholesale: style.wholesaleCents / 100, retail: style.retailCents / 100 } },
    // A size without a UPC simply has no `upc` key (§3.3, §4).
    sizes: style.sizes.map((s) => ({ size: s.size, ...(s.upc !== null ? { upc: s.upc } : {}), size_group: '' })),
    size_groups: [],
    warehouses: [],
    images: [...style.images],
    available_now: true,
    available_from: midnightIso(anchor - 90 * day),
    available_until: '',
    order_closing: '',
    active: true,
    cancelled: false,
    archived: false,
    disabled: false,
    created_on: new Date(anchor - 120 * day + jitter).toISOString(),
    modified_on: new Date(anchor - 30 * day + jitter).toISOString(),
  };
}

function mapScenario(store: NuorderStore, scenario: Scenario): void {
  const anchor = scenario.options.anchorMs;
  const currency = scenario.options.currency;
  const state = store.state;
  const r = scenario.retailer;
  const otherId = hexOf(`${scenario.options.seed}:retailer:harbor-street`);
  state.retailers.push(retailerRecord(r.id, r, currency, anchor, '207-555-0142'));
  state.retailers.push(retailerRecord(otherId, otherRetailer, currency, anchor, '978-555-0190'));
  for (const b of scenario.brands)
    state.brands.push({ _id: b.id, name: b.name, code: b.code, currency_code: currency });
  const styleToProduct = new Map<string, ProductRecord>();
  for (const style of scenario.styles) {
    const record = { brand: style.brandId, json: productOf(style, currency, anchor) };
    state.products.push(record);
    styleToProduct.set(style.id, record);
  }
  for (const [index, order] of scenario.orders.entries())
    state.orders.push(mapOrder(order, index, styleToProduct, r.id, currency));
  for (const [index, order] of otherRetailerOrders(scenario).entries())
    state.orders.push(mapOrder(order, index, styleToProduct, otherId, currency));
}

/** One approved order per brand from the second store: a few sizes of the brand's first styles. */
function otherRetailerOrders(scenario: Scenario): ScenarioOrder[] {
  const anchor = scenario.options.anchorMs;
  return scenario.brands.map((brand: ScenarioBrand, i): ScenarioOrder => {
    const styles = scenario.styles.filter((s) => s.brandId === brand.id).slice(0, 3);
    return {
      id: hexOf(`${scenario.options.seed}:harbor-street:order:${i}`),
      orderNumber: String(3_190_001 + i),
      brandId: brand.id,
      status: 'approved',
      customerPoNumber: `HSM-${2201 + i}`,
      createdMs: anchor - (4 + i) * day,
      shipStartMs: anchor + 20 * day,
      shipEndMs: anchor + 50 * day,
      notes: '',
      lines: styles.flatMap((style) =>
        style.sizes
          .slice(0, 2)
          .map((size) => ({ styleId: style.id, size: size.size, quantity: 3, unitCents: style.wholesaleCents })),
      ),
    };
  });
}

function linesOf(o: ScenarioOrder, products: Map<string, ProductRecord>, start: string, end: string): LineRecord[] {
  const lines = new Map<string, LineRecord>();
  for (const l of o.lines) {
    const product = products.get(l.styleId);
    let line = lines.get(l.styleId);
    if (!line) {
      line = {
        id: hexOf(`${o.id}:line:${l.styleId}`),
        product_id: l.styleId,
        ship_start: start,
        ship_end: end,
        warehouse: 'Wholesale',
        prebook: false,
        sizes: [],
      };
      lines.set(l.styleId, line);
    }
    const upc = product?.json.sizes.find((s) => s.size === l.size)?.upc;
    line.sizes.push({
      size: l.size,
      quantity: l.quantity,
      priceCents: l.unitCents,
      ...(upc !== undefined ? { upc } : {}),
    });
  }
  return [...lines.values()];
}

/** The status walk of a seeded order: buyer-submitted via review, every third one written by a brand rep. */
function historyOf(o: ScenarioOrder, index: number, created: number): { history: OrderRecord['history']; at: number } {
  const viaPending = index % 3 === 2;
  const steps: OrderStatus[] =
    o.status === 'draft'
      ? []
      : o.status === 'cancelled'
        ? ['review', 'cancelled']
        : o.status === 'pending'
          ? ['pending']
          : [...(viaPending ? ['pending' as const] : ['review' as const]), ...pathTo[o.status].slice(1)];
  const history: OrderRecord['history'] = [
    { at: new Date(created).toISOString(), from: null, to: 'draft', by: viaPending ? 'brand' : 'buyer' },
  ];
  let at = created;
  let from: OrderStatus = 'draft';
  for (const to of steps) {
    at += 3 * 3_600_000 + (parseInt(hexOf(`${o.id}:${to}`, 6), 16) % (20 * 3_600_000));
    history.push({ at: new Date(at).toISOString(), from, to, by: to === 'review' ? 'buyer' : 'brand' });
    from = to;
  }
  return { history, at };
}

function mapOrder(
  o: ScenarioOrder,
  index: number,
  products: Map<string, ProductRecord>,
  retailerId: string,
  currency: string,
): OrderRecord {
  const timeOfDay = parseInt(hexOf(o.id, 6), 16) % (10 * 3_600_000);
  const created = o.createdMs + 8 * 3_600_000 + timeOfDay;
  const start = midnightIso(o.shipStartMs);
  const end = midnightIso(o.shipEndMs);
  const lineList = linesOf(o, products, start, end);
  const { history, at } = historyOf(o, index, created);
  const record: OrderRecord = {
    _id: o.id,
    order_number: o.orderNumber,
    status: o.status,
    brand: o.brandId,
    retailer: retailerId,
    customer_po_number: o.customerPoNumber,
    currency_code: currency,
    notes: o.notes,
    created_on: new Date(created).toISOString(),
    modified_on: new Date(at).toISOString(),
    edited_on: new Date(created).toISOString(),
    edited: false,
    start_ship: start,
    end_ship: end,
    submitted_by: 'web',
    buyer_submitted: index % 3 !== 2 && o.status !== 'draft',
    split: false,
    order_group_id: hexOf(`${o.id}:group`),
    lines: lineList,
    shipments: [],
    history,
  };
  if (o.status === 'shipped') {
    record.shipments.push({
      _id: hexOf(`${o.id}:shipment:1`),
      carrier: 'UPS',
      tracking_numbers: [`1Z${hexOf(`${o.id}:tracking`, 16).toUpperCase()}`],
      shipped_on: new Date(at).toISOString(),
      lines: lineList.map((l) => ({
        line_id: l.id,
        sizes: l.sizes.map((s) => ({ size: s.size, quantity: s.quantity })),
      })),
    });
  }
  return record;
}

// ---------- posted seed data (NuORDER shapes) ----------

export function seedData(store: NuorderStore, data: unknown): void {
  const parsed = seedDataSchema.safeParse(data);
  if (!parsed.success) throw new SimInputError('Invalid NuORDER seed data', parsed.error.issues);
  const d = parsed.data;
  const now = store.clock.nowIso();
  for (const c of d.consumers ?? []) addConsumer(store, c.key, c.secret, c.name ?? c.key);
  for (const r of [...(d.retailers ?? []), ...(d.companies ?? [])]) seedRetailer(store, r, now);
  for (const b of d.brands ?? []) {
    const id = b._id ?? newId(store.state, 'brand');
    store.state.brands = store.state.brands.filter((x) => x._id !== id);
    store.state.brands.push({
      _id: id,
      name: b.name,
      code: b.code ?? b.name.toUpperCase().replace(/[^A-Z0-9]+/g, '-'),
      currency_code: b.currency_code ?? 'USD',
    });
  }
  for (const p of d.products ?? []) seedProduct(store, p, now);
  store.reindex();
  for (const o of d.orders ?? []) seedOrder(store, o);
  for (const t of d.access_tokens ?? []) {
    if (!store.state.consumers.some((c) => c.key === t.consumer_key))
      throw new SimInputError(`Access token ${t.token}: unknown consumer ${t.consumer_key}`);
    store.state.accessTokens = store.state.accessTokens.filter((x) => x.token !== t.token);
    store.state.accessTokens.push({
      token: t.token,
      secret: t.secret,
      consumer_key: t.consumer_key,
      application_name: t.application_name ?? 'seeded',
      brands: t.brands ?? null,
      created_at: store.clock.now(),
      expires_at: null,
    });
  }
  store.reindex();
}

function seedRetailer(store: NuorderStore, r: z.infer<typeof seedCompanySchema>, now: string): void {
  const id = r._id ?? newId(store.state, 'retailer');
  store.state.retailers = store.state.retailers.filter((x) => x._id !== id);
  store.state.retailers.push({
    _id: id,
    name: r.name,
    // A code may be "" (recorded retailer_code), so only a missing one is derived from the name.
    code: r.code ?? r.name.toUpperCase(),
    currency_code: r.currency_code ?? 'USD',
    phone: r.phone ?? '',
    buyer_name: r.buyer_name ?? '',
    buyer_email: r.buyer_email ?? '',
    address: {
      _id: hexOf(`${id}:address`),
      line_1: r.address?.line_1 ?? '',
      city: r.address?.city ?? '',
      state: r.address?.state ?? '',
      zip: r.address?.zip ?? '',
      country: r.address?.country ?? 'USA',
    },
    created_on: now,
    modified_on: now,
  });
}

function seedProduct(store: NuorderStore, p: z.infer<typeof seedProductSchema>, now: string): void {
  const brand = store.brand(p.brand);
  if (!brand) throw new SimInputError(`Product ${p.style_number}: unknown brand "${p.brand}"`);
  const { brand: _brand, ...rest } = p;
  const id = p._id ?? newId(store.state, 'product');
  const json: ProductJson = {
    schema_id: hexOf('schema:product'),
    seasons: [p.season],
    color_code: '',
    description: '',
    category: '',
    subcategory: '',
    department: '',
    division: '',
    size_groups: [],
    warehouses: [],
    images: [],
    available_now: true,
    available_from: now,
    available_until: '',
    order_closing: '',
    active: true,
    cancelled: false,
    archived: false,
    disabled: false,
    created_on: now,
    modified_on: now,
    // Whatever else was posted is served as given: "" dates and descriptions, seasons ["undefined"] (recorded).
    ...rest,
    _id: id,
    brand_id: p.brand_id ?? `${brand.code}-${p.style_number}-${p.color}`.toLowerCase(),
    sizes: p.sizes.map((s) => ({
      size: s.size,
      ...(s.upc ? { upc: s.upc } : {}),
      size_group: s.size_group ?? '',
      ...(s.units_per_pack !== undefined ? { units_per_pack: s.units_per_pack } : {}),
    })),
  };
  store.state.products = store.state.products.filter((x) => x.json._id !== id);
  store.state.products.push({ brand: brand._id, json });
}

function seedOrder(store: NuorderStore, o: z.infer<typeof seedOrderSchema>): void {
  const productIdOf = (ref: string | { _id: string }): string => (typeof ref === 'string' ? ref : ref._id);
  const lines: LineInput[] = o.line_items.flatMap((li) =>
    li.sizes.map((s) => ({
      productId: productIdOf(li.product),
      size: s.size,
      quantity: s.quantity,
      ...(s.price !== undefined ? { price: s.price } : {}),
    })),
  );
  const firstLine = o.line_items[0];
  const firstProduct = firstLine ? store.product(productIdOf(firstLine.product)) : undefined;
  const brandRef = o.brand ?? firstProduct?.brand;
  if (!brandRef)
    throw new SimInputError(`Order ${o.order_number ?? ''}: no brand (give "brand" or lines with known products)`);
  store.createOrder({
    brand: brandRef,
    ...(o.retailer !== undefined ? { retailer: productIdOf(o.retailer) } : {}),
    lines,
    ...(o._id !== undefined ? { id: o._id } : {}),
    ...(o.order_number !== undefined ? { orderNumber: o.order_number } : {}),
    ...(o.customer_po_number !== undefined ? { customerPoNumber: o.customer_po_number } : {}),
    ...(o.notes !== undefined ? { notes: o.notes } : {}),
    ...(o.start_ship !== undefined ? { startShip: o.start_ship } : {}),
    ...(o.end_ship !== undefined ? { endShip: o.end_ship } : {}),
    ...(o.created_on !== undefined ? { createdOn: o.created_on } : {}),
    status: (o.status as OrderStatus | undefined) ?? 'approved',
    by: 'seed',
  });
}
