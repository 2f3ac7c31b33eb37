import { newId, type LineRecord, type OrderRecord, type ShipmentRecord } from './model.ts';
import { NuorderError, type NuorderStore } from './store.ts';

/**
 * The brand ships an order, in one shipment or several. Reference nuorder.md §5: orders carry `shipments[]`
 * (S-BMP models each as `{type, tracking_numbers, line_items}` [I]), `__shipment_status` and
 * `shipping_information`; the only real order recorded (2023) had all three empty, and no source documents a
 * shipments endpoint, a carrier field or how a shipment moves the order's status. So everything here past
 * "shipments live on the order" is the simulator's assumption [I], documented in docs/simulators/nuorder.md:
 * - a shipment that leaves units unshipped moves an approved order to `processed` (the brand's ERP has it) and
 *   keeps a processed one there; `shipped` is final in §3.2, so only the shipment that leaves nothing to ship
 *   (or one the brand marks final: a short shipment) moves the order to `shipped`;
 * - no size ships more units than were ordered and not shipped yet.
 */

export interface ShipLineInput {
  /** The order line (`line_items[].id`); with `sizes`, or alone for everything left on that line. */
  lineId?: string;
  /** Or the product `_id` with one `size` and a `quantity`. */
  productId?: string;
  size?: string;
  quantity?: number;
  sizes?: Array<{ size: string; quantity: number }>;
}

export interface ShipInput {
  /** Free text ("UPS", "FedEx Ground"); may be empty: the reference knows no carrier field at all (§5 gap). */
  carrier: string;
  trackingNumbers: string[];
  /** When the goods left (ISO-8601); default now. */
  shippedOn?: string;
  /** Lines and quantities; absent = every unit not shipped yet. */
  lines?: ShipLineInput[];
  /** The brand ships nothing more: the order becomes `shipped` even if units were never shipped [I]. */
  final?: boolean;
}

/** Units already shipped per line id and size. */
export function shippedBySize(order: OrderRecord): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const shipment of order.shipments) {
    for (const line of shipment.lines) {
      const sizes = out.get(line.line_id) ?? new Map<string, number>();
      for (const s of line.sizes) sizes.set(s.size, (sizes.get(s.size) ?? 0) + s.quantity);
      out.set(line.line_id, sizes);
    }
  }
  return out;
}

/** Units of one size of one line still to ship (never below zero). */
export function leftToShip(order: OrderRecord, line: LineRecord, size: string): number {
  const ordered = line.sizes.find((s) => s.size === size)?.quantity ?? 0;
  const shipped = shippedBySize(order).get(line.id)?.get(size) ?? 0;
  return Math.max(0, ordered - shipped);
}

export function unitsLeftToShip(order: OrderRecord): number {
  return order.lines.reduce(
    (sum, line) => sum + line.sizes.reduce((n, s) => n + leftToShip(order, line, s.size), 0),
    0,
  );
}

function findLine(order: OrderRecord, input: ShipLineInput): LineRecord {
  const line = input.lineId
    ? order.lines.find((l) => l.id === input.lineId)
    : order.lines.find((l) => l.product_id === input.productId);
  if (!line) throw new NuorderError(400, `unknown line ${input.lineId ?? input.productId ?? '(none given)'}`);
  return line;
}

/** What one shipment carries: line id → sizes and quantities, every quantity checked against what is left. */
function shipmentLines(order: OrderRecord, inputs: ShipLineInput[] | undefined): ShipmentRecord['lines'] {
  const wanted = new Map<LineRecord, Map<string, number>>();
  const add = (line: LineRecord, size: string, quantity: number): void => {
    if (!Number.isInteger(quantity) || quantity < 1)
      throw new NuorderError(400, `quantity for size ${size} must be a whole number above 0`);
    if (!line.sizes.some((s) => s.size === size)) throw new NuorderError(400, `line ${line.id} has no size "${size}"`);
    const sizes = wanted.get(line) ?? new Map<string, number>();
    sizes.set(size, (sizes.get(size) ?? 0) + quantity);
    wanted.set(line, sizes);
  };
  const all: ShipLineInput[] = order.lines.map((l) => ({ lineId: l.id }));
  for (const input of inputs ?? all) {
    const line = findLine(order, input);
    if (input.sizes) for (const s of input.sizes) add(line, s.size, s.quantity);
    else if (input.size !== undefined) add(line, input.size, input.quantity ?? leftToShip(order, line, input.size));
    else
      for (const s of line.sizes) {
        const left = leftToShip(order, line, s.size);
        if (left > 0) add(line, s.size, left);
      }
  }
  const lines: ShipmentRecord['lines'] = [];
  for (const [line, sizes] of wanted) {
    for (const [size, quantity] of sizes) {
      const left = leftToShip(order, line, size);
      if (quantity > left)
        throw new NuorderError(400, `cannot ship ${quantity} of size ${size} on line ${line.id}: ${left} left to ship`);
    }
    lines.push({ line_id: line.id, sizes: [...sizes].map(([size, quantity]) => ({ size, quantity })) });
  }
  if (lines.length === 0) throw new NuorderError(400, `order ${order.order_number} has nothing left to ship`);
  return lines;
}

/** Records a shipment on the order and moves its status (see the file comment). */
export function shipOrder(store: NuorderStore, order: OrderRecord, input: ShipInput, by: string): ShipmentRecord {
  if (order.status !== 'approved' && order.status !== 'processed') {
    throw new NuorderError(
      400,
      `order ${order.order_number} is ${order.status}; only approved or processed orders can ship`,
    );
  }
  if (input.shippedOn !== undefined && Number.isNaN(Date.parse(input.shippedOn)))
    throw new NuorderError(400, 'shippedOn must be an ISO-8601 date');
  const now = store.clock.nowIso();
  const shipment: ShipmentRecord = {
    _id: newId(store.state, 'shipment'),
    carrier: input.carrier.trim(),
    tracking_numbers: input.trackingNumbers.map((t) => t.trim()).filter((t) => t !== ''),
    shipped_on: input.shippedOn ? new Date(input.shippedOn).toISOString() : now,
    lines: shipmentLines(order, input.lines),
  };
  order.shipments.push(shipment);
  order.history.push({ at: now, from: order.status, to: order.status, by: `${by} (shipment ${shipment._id})` });
  order.modified_on = now;
  const done = input.final === true || unitsLeftToShip(order) === 0;
  if (done) store.changeStatus(order, 'shipped', by, now);
  else if (order.status === 'approved') store.changeStatus(order, 'processed', by, now);
  return shipment;
}
