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

/**
 * A Finished purchase order "cannot be received" until its status goes back to Ordered or Check In (S3
 * 12533407268635); the simulator refuses every line change on it, and on an archived one, the same way [I].
 */
function assertLinesChangeable(core: Core, orderID: number, verb: string): void {
  const order = core.store.tables.Order.get(orderID);
  if (order?.archived) throw new ApiError(400, `${verb}. Order ${orderID} is archived.`, 'Exception');
  if (order?.complete)
    throw new ApiError(
      400,
      `${verb}. Order ${orderID} is finished; set its status back to Ordered or Check In to change it.`,
      'Exception',
    );
}

/** Units already checked in are in stock: a line cannot drop below them, move to another order or go [I]. */
function assertCheckedInKept(before: OrderLineRec, after: OrderLineRec | null, verb: string): void {
  if (before.checkedIn === 0) return;
  if (after === null)
    throw new ApiError(400, `${verb}. ${before.checkedIn} units of this line are checked in.`, 'Exception');
  if (after.orderID !== before.orderID)
    throw new ApiError(400, `${verb}. A line with checked-in units cannot move to another order.`, 'Exception');
  if (after.quantity < before.checkedIn)
    throw new ApiError(
      400,
      `${verb}. quantity cannot be less than the ${before.checkedIn} units already checked in.`,
      'Exception',
    );
}

export function assertLineRemovable(core: Core, line: OrderLineRec): void {
  assertLinesChangeable(core, line.orderID, 'OrderLine not deleted');
  assertCheckedInKept(line, null, 'OrderLine not deleted');
}

function validateLine(core: Core, l: OrderLineRec, verb: string): void {
  const t = core.store.tables;
  if (!l.orderID || !t.Order.has(l.orderID))
    throw new ApiError(400, `${verb}. Invalid orderID: ${l.orderID}.`, 'Exception');
  assertLinesChangeable(core, l.orderID, verb);
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
  assertLinesChangeable(core, l.orderID, 'OrderLine not updated');
  validateLine(core, draft, 'OrderLine not updated');
  assertCheckedInKept(l, draft, 'OrderLine not updated');
  draft.total = round2(draft.quantity * draft.price);
  core.store.putOrderLine(draft);
  if (JSON.stringify(draft) !== before) draft.timeStamp = nowIso(core);
  return draft;
}
