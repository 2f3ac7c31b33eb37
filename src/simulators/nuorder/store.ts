import { z } from 'zod';
import type { SimClock } from '../shared/clock.ts';
import {
  day,
  emptyState,
  hexOf,
  midnightIso,
  newId,
  pathTo,
  priceCents,
  type BrandRecord,
  type NuorderState,
  type OrderRecord,
  type OrderStatus,
  type ProductRecord,
  type RetailerRecord,
} from './model.ts';
import { type RenderContext } from './render.ts';
import { seedData, seedScenario } from './seed.ts';

/** A refusal with the status the real API would answer (reference §2.5: 400/401/403/404/409, 304 "not updated"). */
export class NuorderError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'NuorderError';
    this.status = status;
  }
}

/**
 * Allowed status changes (reference §3.2). draft → review (buyer submits) | pending (brand rep submits);
 * review → approved, or → pending when the brand suggests changes (the reference names no separate status for
 * "changes suggested", so the brand-edited order becomes a brand-owned `pending` order [I]); approved →
 * processed → shipped (optional final state, reachable from approved too); cancelled from any live state.
 * shipped and cancelled are final ("cancelled: locked").
 */
export const transitions: Record<OrderStatus, readonly OrderStatus[]> = {
  draft: ['review', 'pending', 'cancelled'],
  review: ['approved', 'pending', 'cancelled'],
  pending: ['approved', 'cancelled'],
  approved: ['processed', 'shipped', 'cancelled'],
  processed: ['shipped', 'cancelled'],
  shipped: [],
  cancelled: [],
};

export interface LineInput {
  productId?: string | undefined;
  externalId?: string | undefined;
  styleNumber?: string | undefined;
  color?: string | undefined;
  season?: string | undefined;
  size: string;
  quantity: number;
  price?: number | undefined;
}

export interface OrderEdit {
  lines?: LineInput[];
  notes?: string;
  customerPoNumber?: string;
  startShip?: string;
  endShip?: string;
}

export const lineInput = z.object({
  productId: z.string().optional(),
  externalId: z.string().optional(),
  styleNumber: z.string().optional(),
  color: z.string().optional(),
  season: z.string().optional(),
  size: z.string().min(1),
  quantity: z.number().int().min(0),
  price: z.number().min(0).optional(),
});

export class NuorderStore implements RenderContext {
  state: NuorderState = emptyState();
  readonly clock: SimClock;
  #products = new Map<string, ProductRecord>();
  #productsByExternal = new Map<string, ProductRecord>();
  #orders = new Map<string, OrderRecord>();

  constructor(clock: SimClock) {
    this.clock = clock;
  }

  reindex(): void {
    this.#products = new Map(this.state.products.map((p) => [p.json._id, p]));
    this.#productsByExternal = new Map(this.state.products.map((p) => [p.json.brand_id.toLowerCase(), p]));
    this.#orders = new Map(this.state.orders.map((o) => [o._id, o]));
  }

  reset(): void {
    const config = this.state.config;
    this.state = emptyState();
    this.state.config = config;
    this.reindex();
  }

  replace(state: NuorderState): void {
    this.state = state;
    this.reindex();
  }

  // ---------- lookups ----------

  product(id: string): ProductRecord | undefined {
    return this.#products.get(id);
  }

  productByExternalId(externalId: string): ProductRecord | undefined {
    return this.#productsByExternal.get(externalId.toLowerCase());
  }

  retailer(id: string): RetailerRecord | undefined {
    return this.state.retailers.find((r) => r._id === id);
  }

  brand(ref: string): BrandRecord | undefined {
    const lower = ref.toLowerCase();
    return this.state.brands.find(
      (b) => b._id === ref || b.code.toLowerCase() === lower || b.name.toLowerCase() === lower,
    );
  }

  order(id: string): OrderRecord | undefined {
    return this.#orders.get(id);
  }

  orderByNumber(orderNumber: string): OrderRecord | undefined {
    return this.state.orders.find((o) => o.order_number === orderNumber);
  }

  ordersWhere(filter: OrderStatus | 'edited', brands: string[] | null): OrderRecord[] {
    return this.state.orders
      .filter((o) => (filter === 'edited' ? o.edited && o.status !== 'cancelled' : o.status === filter))
      .filter((o) => brands === null || brands.includes(o.brand))
      .sort((a, b) => a.created_on.localeCompare(b.created_on) || a._id.localeCompare(b._id));
  }

  // ---------- seeding (seed.ts) ----------

  seedScenario(name: string, overrides: Record<string, unknown>): { summary: Record<string, number> } {
    seedScenario(this, name, overrides);
    return { summary: this.summary() };
  }

  seedData(data: unknown): { summary: Record<string, number> } {
    seedData(this, data);
    return { summary: this.summary() };
  }

  summary(): Record<string, number> {
    const s = this.state;
    return {
      brands: s.brands.length,
      products: s.products.length,
      retailers: s.retailers.length,
      orders: s.orders.length,
      approvedOrders: s.orders.filter((o) => o.status === 'approved').length,
      consumers: s.consumers.length,
      accessTokens: s.accessTokens.length,
    };
  }

  // ---------- orders ----------

  resolveLine(brandId: string, input: LineInput): { product: ProductRecord; size: string } {
    let product: ProductRecord | undefined;
    if (input.productId) product = this.product(input.productId);
    else if (input.externalId) product = this.productByExternalId(input.externalId);
    else if (input.styleNumber) {
      const style = input.styleNumber.toLowerCase();
      const color = input.color?.toLowerCase();
      const season = input.season?.toLowerCase();
      const found = this.state.products.filter(
        (p) =>
          p.brand === brandId &&
          p.json.style_number.toLowerCase() === style &&
          (color === undefined || p.json.color.toLowerCase() === color || p.json.color_code.toLowerCase() === color) &&
          (season === undefined || p.json.season.toLowerCase() === season),
      );
      if (found.length > 1)
        throw new NuorderError(400, `style ${input.styleNumber} is ambiguous: give color (and season)`);
      product = found[0];
    } else throw new NuorderError(400, 'each line needs productId, externalId or styleNumber');
    const label = input.productId ?? input.externalId ?? `${input.styleNumber}/${input.color ?? ''}`;
    if (!product) throw new NuorderError(404, `product not found: ${label}`);
    if (product.brand !== brandId) throw new NuorderError(400, `product ${label} does not belong to the order's brand`);
    if (!product.json.sizes.some((s) => s.size === input.size))
      throw new NuorderError(400, `product ${label} has no size "${input.size}"`);
    return { product, size: input.size };
  }

  createOrder(input: {
    brand: string;
    retailer?: string;
    lines: LineInput[];
    id?: string;
    orderNumber?: string;
    customerPoNumber?: string;
    notes?: string;
    startShip?: string;
    endShip?: string;
    createdOn?: string;
    status?: OrderStatus;
    /** `submitted_by` on the order: "web" (recorded) unless the caller says otherwise ("api" [I]). */
    submittedBy?: string;
    by: string;
  }): OrderRecord {
    const brand = this.brand(input.brand);
    if (!brand) throw new NuorderError(404, `brand not found: ${input.brand}`);
    const retailer = input.retailer
      ? this.state.retailers.find((r) => r._id === input.retailer || r.code === input.retailer)
      : this.state.retailers[0];
    if (!retailer)
      throw new NuorderError(
        404,
        input.retailer ? `retailer not found: ${input.retailer}` : 'no retailer: seed one first',
      );
    if (input.lines.length === 0) throw new NuorderError(400, 'an order needs at least one line');
    if (input.id && this.order(input.id)) throw new NuorderError(409, `order ${input.id} already exists`);
    if (input.orderNumber && this.orderByNumber(input.orderNumber))
      throw new NuorderError(409, `order number ${input.orderNumber} already exists`);
    const now = this.clock.now();
    const nowIso = input.createdOn ?? new Date(now).toISOString();
    const start = input.startShip ?? midnightIso(now + 14 * day);
    const end = input.endShip ?? midnightIso(now + 44 * day);
    const id = input.id ?? newId(this.state, 'order');
    const order: OrderRecord = {
      _id: id,
      order_number: input.orderNumber ?? String(this.state.nextOrderNumber++),
      status: 'draft',
      brand: brand._id,
      retailer: retailer._id,
      customer_po_number: input.customerPoNumber ?? '',
      currency_code: retailer.currency_code,
      notes: input.notes ?? '',
      created_on: nowIso,
      modified_on: nowIso,
      edited_on: nowIso,
      edited: false,
      start_ship: start,
      end_ship: end,
      submitted_by: input.submittedBy ?? 'web',
      buyer_submitted: false,
      split: false,
      order_group_id: hexOf(`${id}:group`),
      lines: [],
      shipments: [],
      history: [{ at: nowIso, from: null, to: 'draft', by: input.by }],
    };
    this.#applyLines(order, input.lines, 'add');
    if (order.lines.length === 0) throw new NuorderError(400, 'an order needs at least one line with a quantity');
    this.state.orders.push(order);
    this.reindex();
    for (const step of pathTo[input.status ?? 'draft']) this.changeStatus(order, step, input.by, nowIso);
    return order;
  }

  /** Sets (mode "set") or adds (mode "add") quantities per product/size; quantity 0 removes the size. */
  #applyLines(order: OrderRecord, inputs: LineInput[], mode: 'add' | 'set'): void {
    for (const input of inputs) {
      const { product, size } = this.resolveLine(order.brand, input);
      let line = order.lines.find((l) => l.product_id === product.json._id);
      if (!line) {
        if (input.quantity === 0) continue;
        line = {
          id: newId(this.state, 'line'),
          product_id: product.json._id,
          ship_start: order.start_ship,
          ship_end: order.end_ship,
          warehouse: 'Wholesale',
          prebook: false,
          sizes: [],
        };
        order.lines.push(line);
      }
      const existing = line.sizes.find((s) => s.size === size);
      const currency = order.currency_code;
      const unitCents =
        input.price !== undefined
          ? Math.round(input.price * 100)
          : (priceCents(product.json.pricing[currency]?.wholesale) ?? 0);
      if (existing) {
        existing.quantity = mode === 'add' ? existing.quantity + input.quantity : input.quantity;
        if (input.price !== undefined) existing.priceCents = unitCents;
      } else if (input.quantity > 0) {
        const upc = product.json.sizes.find((s) => s.size === size)?.upc;
        line.sizes.push({
          size,
          quantity: input.quantity,
          priceCents: unitCents,
          ...(upc !== undefined ? { upc } : {}),
        });
      }
      line.sizes = line.sizes.filter((s) => s.quantity > 0);
    }
    order.lines = order.lines.filter((l) => l.sizes.length > 0);
  }

  /** Moves an order along a legal transition; `false` when it already has that status (the API's 304). */
  changeStatus(order: OrderRecord, to: OrderStatus, by: string, at = this.clock.nowIso()): boolean {
    if (order.status === to) return false;
    if (!transitions[order.status].includes(to)) {
      throw new NuorderError(400, `cannot change order ${order.order_number} from ${order.status} to ${to}`);
    }
    order.history.push({ at, from: order.status, to, by });
    if (to === 'review') order.buyer_submitted = true;
    order.status = to;
    order.modified_on = at;
    return true;
  }

  editOrder(order: OrderRecord, edit: OrderEdit, by: string): OrderRecord {
    if (order.status === 'cancelled' || order.status === 'shipped')
      throw new NuorderError(400, `order ${order.order_number} is ${order.status} and cannot be edited`);
    if (edit.lines) this.#applyLines(order, edit.lines, 'set');
    if (order.lines.length === 0) throw new NuorderError(400, 'an order needs at least one line with a quantity');
    if (edit.notes !== undefined) order.notes = edit.notes;
    if (edit.customerPoNumber !== undefined) order.customer_po_number = edit.customerPoNumber;
    if (edit.startShip !== undefined) order.start_ship = edit.startShip;
    if (edit.endShip !== undefined) order.end_ship = edit.endShip;
    const now = this.clock.nowIso();
    order.edited = true;
    order.edited_on = now;
    order.modified_on = now;
    order.history.push({ at: now, from: order.status, to: order.status, by: `${by} (edit)` });
    return order;
  }

  /**
   * Splits the given lines off into a new order of the same group. Split orders carry `-N` suffixes
   * (reference §3.3: "100596-1"): the original becomes `<n>-1`, the new one `<n>-<next>`.
   */
  splitOrder(
    order: OrderRecord,
    lineIds: string[] | undefined,
    by: string,
  ): { original: OrderRecord; split: OrderRecord } {
    if (order.status === 'cancelled' || order.status === 'shipped')
      throw new NuorderError(400, `order ${order.order_number} is ${order.status} and cannot be split`);
    if (order.lines.length < 2)
      throw new NuorderError(400, `order ${order.order_number} has fewer than two lines to split`);
    const moving =
      lineIds && lineIds.length > 0
        ? order.lines.filter((l) => lineIds.includes(l.id))
        : order.lines.slice(Math.ceil(order.lines.length / 2));
    if (lineIds && moving.length !== lineIds.length) throw new NuorderError(400, 'unknown line id in split');
    if (moving.length === 0 || moving.length === order.lines.length)
      throw new NuorderError(400, 'a split must leave at least one line on each order');
    const base = order.order_number.replace(/-\d+$/, '');
    const siblings = this.state.orders.filter((o) => o.order_group_id === order.order_group_id);
    const suffixes = siblings.map((o) => Number(/-(\d+)$/.exec(o.order_number)?.[1] ?? 0));
    const next = Math.max(1, ...suffixes) + 1;
    const now = this.clock.nowIso();
    if (!/-\d+$/.test(order.order_number)) order.order_number = `${base}-1`;
    order.lines = order.lines.filter((l) => !moving.includes(l));
    order.split = true;
    order.modified_on = now;
    order.history.push({ at: now, from: order.status, to: order.status, by: `${by} (split)` });
    const split: OrderRecord = {
      ...structuredClone(order),
      _id: newId(this.state, 'order'),
      order_number: `${base}-${next}`,
      created_on: now,
      modified_on: now,
      lines: moving,
      shipments: [],
      history: [{ at: now, from: null, to: order.status, by: `${by} (split from ${order._id})` }],
    };
    this.state.orders.push(split);
    this.reindex();
    return { original: order, split };
  }
}
