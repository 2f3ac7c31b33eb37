/** Purchase orders and their lines (reference §3), and check-in as done in the POS (§3.3). */
import type { Core } from './core.ts';
import type { OrderLineRec, OrderRec } from './model.ts';
import { ApiError } from './query.ts';
import { assignScalars, checkRef, nowIso, oneOrMany, round2, toBool, type Body } from './record-input.ts';

const orderWritable = [
  'orderedDate',
  'receivedDate',
  'arrivalDate',
  'refNum',
  'shipInstructions',
  'stockInstructions',
  'shipCost',
  'shipVendorCost',
  'otherCost',
  'otherVendorCost',
  'discount',
  'shopID',
  'vendorID',
  'b2bOrderUID',
  'b2bOrderNumber',
  'vendorCurrencyCode',
  'vendorCurrencyRate',
  'shippingCostMethod',
  'discountMethod',
  // [I] `complete` is not in the documented writable list; accepted so a PO can be marked Finished.
  'complete',
] as const;
const orderDates = ['orderedDate', 'receivedDate', 'arrivalDate'];

function applyOrderNote(core: Core, o: OrderRec, body: Body): void {
  // [I] §3.1: Note is assumed writable as {"Note":{"note":"…"}} on POST/PUT.
  const note = oneOrMany(body.Note)[0];
  if (!note) return;
  o.note = note.note === undefined || note.note === null ? '' : String(note.note);
  if (!o.noteID) o.noteID = core.store.nextId('Note');
}

function validateOrder(core: Core, o: OrderRec, verb: string): void {
  const t = core.store.tables;
  if (!o.shopID) throw new ApiError(400, `${verb}. An Order must have a shopID.`, 'Exception');
  if (!t.Shop.has(o.shopID)) throw new ApiError(400, `${verb}. Invalid shopID: ${o.shopID}.`, 'Exception');
  checkRef(core, 'vendorID', o.vendorID, (id) => t.Vendor.has(id), verb);
  for (const field of ['shippingCostMethod', 'discountMethod'] as const) {
    if (!['evenly', 'proportionally', 'total'].includes(o[field]))
      throw new ApiError(400, `${verb}. Invalid ${field}: ${o[field]}.`, 'Exception');
  }
}

export function createOrder(core: Core, body: Body): OrderRec {
  const now = nowIso(core);
  const o: OrderRec = {
    orderID: 0,
    orderedDate: null,
    receivedDate: null,
    arrivalDate: null,
    refNum: '',
    shipInstructions: '',
    stockInstructions: '',
    shipCost: 0,
    shipVendorCost: 0,
    otherCost: 0,
    otherVendorCost: 0,
    complete: false,
    archived: false,
    discount: 0,
    totalDiscount: 0,
    totalQuantity: 0,
    vendorID: 0,
    noteID: 0,
    shopID: 0,
    createdByEmployeeID: 1,
    createTime: now,
    timeStamp: now,
    vendorCurrencyRate: 1,
    vendorCurrencyCode: 'USD',
    shippingCostMethod: 'evenly',
    hasShipments: false,
    discountMethod: 'evenly',
    b2bOrderUID: '',
    b2bOrderNumber: '',
    note: null,
  };
  assignScalars(o, body, orderWritable, orderDates);
  validateOrder(core, o, 'Order not created');
  o.orderID = core.store.nextId('Order');
  applyOrderNote(core, o, body);
  core.store.tables.Order.set(o.orderID, o);
  return o;
}

export function updateOrder(core: Core, o: OrderRec, body: Body): OrderRec {
  const before = JSON.stringify(o);
  const draft = { ...o };
  assignScalars(draft, body, orderWritable, orderDates);
  if (Object.hasOwn(body, 'archived') && !toBool('archived', body.archived)) draft.archived = false;
  validateOrder(core, draft, 'Order not updated');
  applyOrderNote(core, draft, body);
  Object.assign(o, draft);
  if (JSON.stringify(o) !== before) o.timeStamp = nowIso(core);
  return o;
}

export function archiveOrder(core: Core, o: OrderRec): OrderRec {
  if (!o.archived) {
    o.archived = true;
    o.timeStamp = nowIso(core);
  }
  return o;
}

const lineWritable = ['quantity', 'price', 'originalPrice', 'vendorCost', 'numReceived', 'orderID', 'itemID'] as const;

function validateLine(core: Core, l: OrderLineRec, verb: string): void {
  const t = core.store.tables;
  if (!l.orderID || !t.Order.has(l.orderID))
    throw new ApiError(400, `${verb}. Invalid orderID: ${l.orderID}.`, 'Exception');
  if (!l.itemID || !t.Item.has(l.itemID)) throw new ApiError(400, `${verb}. Invalid itemID: ${l.itemID}.`, 'Exception');
  if (l.quantity < 0) throw new ApiError(400, `${verb}. quantity cannot be negative.`, 'Exception');
  if (l.numReceived < 0) throw new ApiError(400, `${verb}. numReceived cannot be negative.`, 'Exception');
}

export function createOrderLine(core: Core, body: Body): OrderLineRec {
  const now = nowIso(core);
  const l: OrderLineRec = {
    orderLineID: 0,
    quantity: 0,
    price: 0,
    originalPrice: 0,
    vendorCost: 0,
    checkedIn: 0,
    numReceived: 0,
    timeStamp: now,
    total: 0,
    createTime: now,
    orderID: 0,
    itemID: 0,
  };
  assignScalars(l, body, lineWritable);
  l.quantity = Math.trunc(l.quantity);
  validateLine(core, l, 'OrderLine not created');
  // [I] Without a price the line takes the item's default cost.
  const item = core.store.tables.Item.get(l.itemID);
  if (!Object.hasOwn(body, 'price'))
    l.price = Object.hasOwn(body, 'originalPrice') ? l.originalPrice : (item?.defaultCost ?? 0);
  if (!Object.hasOwn(body, 'originalPrice')) l.originalPrice = l.price;
  l.total = round2(l.quantity * l.price);
  l.orderLineID = core.store.nextId('OrderLine');
  core.store.putOrderLine(l);
  return l;
}

export function updateOrderLine(core: Core, l: OrderLineRec, body: Body): OrderLineRec {
  const before = JSON.stringify(l);
  const draft = { ...l };
  assignScalars(draft, body, lineWritable);
  validateLine(core, draft, 'OrderLine not updated');
  draft.total = round2(draft.quantity * draft.price);
  core.store.putOrderLine(draft);
  if (JSON.stringify(draft) !== before) draft.timeStamp = nowIso(core);
  return draft;
}

/**
 * Check-in (receiving) as done in the POS UI (§3.3): adds the quantity to the order shop's ItemShop qoh and to
 * the line's `checkedIn`. Per line the default quantity is what was marked received (`numReceived`), else
 * what remains to check in. Sets the order's receivedDate; `finish` also marks it complete.
 */
export function checkInOrder(
  core: Core,
  orderID: number,
  lines: Array<{ orderLineID: number; quantity: number }> | undefined,
  finish: boolean,
): { order: OrderRec; checkedIn: Array<{ orderLineID: number; itemID: number; quantity: number }> } {
  const store = core.store;
  const order = store.tables.Order.get(orderID);
  if (!order) throw new ApiError(404, `Order ${orderID} not found.`, 'Exception');
  if (order.archived) throw new ApiError(400, `Order ${orderID} is archived.`, 'Exception');
  if (order.complete) throw new ApiError(400, `Order ${orderID} is finished and cannot be received.`, 'Exception');
  const all = store.orderLines(orderID);
  if (all.length === 0) throw new ApiError(400, `Order ${orderID} has no lines.`, 'Exception');
  const now = nowIso(core);
  const done: Array<{ orderLineID: number; itemID: number; quantity: number }> = [];
  const wanted =
    lines ??
    all.map((l) => ({
      orderLineID: l.orderLineID,
      quantity: l.numReceived > 0 ? l.numReceived : Math.max(0, l.quantity - l.checkedIn),
    }));
  for (const w of wanted) {
    const line = all.find((l) => l.orderLineID === w.orderLineID);
    if (!line) throw new ApiError(400, `Order line ${w.orderLineID} is not on order ${orderID}.`, 'Exception');
    if (!Number.isInteger(w.quantity) || w.quantity < 0)
      throw new ApiError(400, `Invalid quantity for line ${w.orderLineID}.`, 'Exception');
    if (w.quantity === 0) continue;
    store.ensureItemShops(line.itemID, now);
    const row = store.itemShop(line.itemID, order.shopID);
    if (row) {
      row.qoh += w.quantity;
      row.timeStamp = now;
    }
    line.checkedIn += w.quantity;
    line.numReceived = Math.max(0, line.numReceived - w.quantity);
    line.timeStamp = now;
    done.push({ orderLineID: line.orderLineID, itemID: line.itemID, quantity: w.quantity });
  }
  order.receivedDate ??= now;
  if (finish) order.complete = true;
  order.timeStamp = now;
  return { order, checkedIn: done };
}
