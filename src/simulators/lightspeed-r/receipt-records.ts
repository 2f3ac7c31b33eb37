/**
 * Receiving a purchase order (reference §3.3). The documented API only marks units received (`OrderLine.numReceived`);
 * check-in, which adds them to inventory (`checkedIn`, ItemShop `qoh`), is done in the Retail POS UI, here the back
 * office or `POST /_sim/orders/:id/check-in`. Each check-in leaves a receipt the API can read but not write: an
 * OrderShipment with its OrderShipmentItems ("a summary of order items that are received and added into inventory",
 * S1 ordershipment.md), shown in the UI's Shipment History tab.
 */
import type { Core } from './core.ts';
import type { OrderLineRec, OrderRec, OrderShipmentItemRec, OrderShipmentRec } from './model.ts';
import { ApiError } from './query.ts';
import { nowIso, round2 } from './record-input.ts';

export interface CheckedInLine {
  orderLineID: number;
  itemID: number;
  quantity: number;
}

/** The quantities a check-in takes when none are given: what was marked received, else what is left. */
function defaultQuantities(lines: OrderLineRec[]): Array<{ orderLineID: number; quantity: number }> {
  return lines.map((l) => ({
    orderLineID: l.orderLineID,
    quantity: l.numReceived > 0 ? l.numReceived : Math.max(0, l.quantity - l.checkedIn),
  }));
}

/**
 * Stock value follows receiving: the item's average cost becomes the weighted mean of what was on hand and what
 * arrived at the line's price. The effect of check-in on average cost is not documented [I]; the API serves it as
 * ItemShop `averageCost` on shopID 0 (§2.1).
 */
function updateAverageCost(core: Core, itemID: number, quantity: number, unitCost: number): void {
  const item = core.store.tables.Item.get(itemID);
  if (!item) return;
  const onHand = core.store.itemShops(itemID).reduce((sum, r) => (r.shopID === 0 ? sum : sum + Math.max(0, r.qoh)), 0);
  item.avgCost = round2((onHand * item.avgCost + quantity * unitCost) / (onHand + quantity));
}

/** One line of a receipt: units, unit and landed costs, and the item as the vendor knows it. */
function receiptItem(
  core: Core,
  order: OrderRec,
  receipt: OrderShipmentRec,
  line: OrderLineRec,
  quantity: number,
  now: string,
): OrderShipmentItemRec {
  const item = core.store.tables.Item.get(line.itemID);
  const vendorUnit = line.vendorCost || line.price;
  return {
    orderShipmentItemID: core.store.nextId('OrderShipmentItem'),
    orderShipmentID: receipt.orderShipmentID,
    qtyReceived: quantity,
    vendorCost: vendorUnit,
    cost: line.price,
    totalVendorCost: round2(quantity * vendorUnit),
    totalCost: round2(quantity * line.price),
    shippingCost: 0,
    shippingVendorCost: 0,
    currencyCode: receipt.currencyCode,
    vendorCurrencyCode: receipt.vendorCurrencyCode,
    vendorCurrencyRate: receipt.vendorCurrencyRate,
    createTime: now,
    timeStamp: now,
    employeeID: 1,
    itemID: line.itemID,
    itemVendorID: item?.ItemVendorNums.find((n) => n.vendorID === order.vendorID)?.value ?? '',
    itemDescription: item?.description ?? '',
  };
}

function recordReceipt(
  core: Core,
  order: OrderRec,
  done: Array<CheckedInLine & { line: OrderLineRec }>,
  packingRefNum: string,
  now: string,
): OrderShipmentRec {
  const store = core.store;
  const earlier = [...store.tables.OrderShipment.values()].filter((s) => s.orderID === order.orderID);
  const money = {
    currencyCode: 'USD',
    vendorCurrencyCode: order.vendorCurrencyCode,
    vendorCurrencyRate: order.vendorCurrencyRate,
  };
  const receipt: OrderShipmentRec = {
    orderShipmentID: store.nextId('OrderShipment'),
    orderID: order.orderID,
    sequenceNumber: earlier.length + 1,
    totalQtyReceived: 0,
    totalVendorCost: 0,
    totalCost: 0,
    ...money,
    createTime: now,
    shipmentPackingRefNum: packingRefNum,
    timeStamp: now,
    employeeID: 1,
    receptionDate: now,
    // Shipping and discounts are not allocated to receipts here [I]: landed cost = cost.
    shippingCostMethod: order.shippingCostMethod,
    shippingVendorCost: 0,
    shippingCost: 0,
    discountMethod: order.discountMethod,
    discountMoneyVendorValue: 0,
    discountMoneyValue: 0,
    discountPercentValue: 0,
    cost: 0,
    vendorCost: 0,
    status: 'received',
  };
  for (const { line, quantity } of done) {
    const row = receiptItem(core, order, receipt, line, quantity, now);
    store.tables.OrderShipmentItem.set(row.orderShipmentItemID, row);
    receipt.totalQtyReceived += quantity;
    receipt.cost = round2(receipt.cost + row.totalCost);
    receipt.vendorCost = round2(receipt.vendorCost + row.totalVendorCost);
  }
  receipt.totalCost = receipt.cost;
  receipt.totalVendorCost = receipt.vendorCost;
  store.tables.OrderShipment.set(receipt.orderShipmentID, receipt);
  return receipt;
}

/**
 * Check-in as done in the POS UI (§3.3): adds each quantity to the order shop's ItemShop `qoh` and to the line's
 * `checkedIn`, and records one receipt (OrderShipment). Sets the order's receivedDate; `finish` marks it complete
 * (Finished), after which its receipts read "finished" [I]. A Finished order cannot be received (S3 12533407268635).
 */
export function checkInOrder(
  core: Core,
  orderID: number,
  lines: Array<{ orderLineID: number; quantity: number }> | undefined,
  finish: boolean,
  packingRefNum = '',
): { order: OrderRec; checkedIn: CheckedInLine[]; receipt: OrderShipmentRec | null } {
  const store = core.store;
  const order = store.tables.Order.get(orderID);
  if (!order) throw new ApiError(404, `Order ${orderID} not found.`, 'Exception');
  if (order.archived) throw new ApiError(400, `Order ${orderID} is archived.`, 'Exception');
  if (order.complete) throw new ApiError(400, `Order ${orderID} is finished and cannot be received.`, 'Exception');
  const all = store.orderLines(orderID);
  if (all.length === 0) throw new ApiError(400, `Order ${orderID} has no lines.`, 'Exception');
  const wanted = lines ?? defaultQuantities(all);
  const now = nowIso(core);
  const done: Array<CheckedInLine & { line: OrderLineRec }> = [];
  for (const w of wanted) {
    const line = all.find((l) => l.orderLineID === w.orderLineID);
    if (!line) throw new ApiError(400, `Order line ${w.orderLineID} is not on order ${orderID}.`, 'Exception');
    if (!Number.isInteger(w.quantity) || w.quantity < 0)
      throw new ApiError(400, `Invalid quantity for line ${w.orderLineID}.`, 'Exception');
  }
  for (const w of wanted) {
    const line = all.find((l) => l.orderLineID === w.orderLineID) as OrderLineRec;
    if (w.quantity === 0) continue;
    store.ensureItemShops(line.itemID, now);
    updateAverageCost(core, line.itemID, w.quantity, line.price);
    const row = store.itemShop(line.itemID, order.shopID);
    if (row) {
      row.qoh += w.quantity;
      row.timeStamp = now;
    }
    line.checkedIn += w.quantity;
    line.numReceived = Math.max(0, line.numReceived - w.quantity);
    line.timeStamp = now;
    done.push({ orderLineID: line.orderLineID, itemID: line.itemID, quantity: w.quantity, line });
  }
  const receipt = done.length > 0 ? recordReceipt(core, order, done, packingRefNum, now) : null;
  if (receipt) order.hasShipments = true;
  order.receivedDate ??= now;
  if (finish) {
    order.complete = true;
    for (const s of store.tables.OrderShipment.values())
      if (s.orderID === orderID && s.status !== 'finished') Object.assign(s, { status: 'finished', timeStamp: now });
  }
  order.timeStamp = now;
  return { order, checkedIn: done.map(({ line: _line, ...rest }) => rest), receipt };
}
