/**
 * Consignments (reference lightspeed-x-series.md §3): SUPPLIER purchase orders and their lines, with the §3.2
 * rules (created OPEN or SENT; forward-only OPEN → SENT → DISPATCHED → RECEIVED; CANCELLED from anything but
 * RECEIVED; RECEIVED and CANCELLED orders cannot change) and §3.4 line semantics. Shared by the API routes
 * (consignments-api.ts) and the back office, so a purchase order a person makes there obeys the same rules.
 */
import type { XDb } from './db.ts';
import { unprocessable, notFound } from './errors.ts';
import { isObject, num, str } from './http.ts';
import type { ConsignmentLineRec, ConsignmentRec, ConsignmentType, ProductRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export const consignmentTypes: ConsignmentType[] = ['SUPPLIER', 'OUTLET', 'STOCKTAKE', 'RETURN'];
export const supplierFlow = ['OPEN', 'SENT', 'DISPATCHED', 'RECEIVED'];
export const statusesByType: Record<ConsignmentType, string[]> = {
  SUPPLIER: ['OPEN', 'SENT', 'DISPATCHED', 'RECEIVED', 'CANCELLED'],
  OUTLET: ['OPEN', 'SENT', 'RECEIVED', 'CANCELLED'],
  RETURN: ['OPEN', 'SENT', 'CANCELLED'],
  STOCKTAKE: [
    'STOCKTAKE',
    'STOCKTAKE_SCHEDULED',
    'STOCKTAKE_IN_PROGRESS',
    'STOCKTAKE_IN_PROGRESS_PROCESSED',
    'STOCKTAKE_COMPLETE',
    'CLOSED',
    'CANCELLED',
  ],
};

export function liveConsignment(db: XDb, id: string | undefined): ConsignmentRec {
  const rec = db.consignments.get(id ?? '');
  if (!rec || rec.deleted_at) throw notFound('Consignment');
  return rec;
}

export function dateField(value: unknown, field: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw unprocessable(`${field} must be a date`);
  return value;
}

export function createConsignment(db: XDb, body: Record<string, unknown>): ConsignmentRec {
  const type = str(body.type) as ConsignmentType | undefined;
  if (!type || !consignmentTypes.includes(type))
    throw unprocessable('type must be one of SUPPLIER, OUTLET, STOCKTAKE, RETURN', { type: ['is invalid'] });
  const outlet = db.outlets.get(str(body.outlet_id) ?? '');
  if (!outlet)
    throw unprocessable('outlet_id is required and must be an existing outlet', { outlet_id: ['is invalid'] });
  const name = str(body.name);
  if (name === undefined || name.trim() === '')
    throw unprocessable('The name field is required', { name: ['is required'] });
  const status = str(body.status) ?? (type === 'STOCKTAKE' ? 'STOCKTAKE_SCHEDULED' : 'OPEN');
  if (!statusesByType[type].includes(status)) throw unprocessable(`Invalid status ${status} for a ${type} consignment`);
  if (type === 'SUPPLIER' && status !== 'OPEN' && status !== 'SENT')
    throw unprocessable(`You cannot create a ${status} consignment; create it OPEN or SENT`);
  if ((type === 'OUTLET' || type === 'RETURN') && status !== 'OPEN' && status !== 'SENT')
    throw unprocessable(`You cannot create a ${status} consignment`);
  const supplierId = body.supplier_id ? str(body.supplier_id) : null;
  if (supplierId && (!db.suppliers.get(supplierId) || db.suppliers.get(supplierId)?.deleted_at))
    throw unprocessable('supplier_id does not exist', { supplier_id: ['is invalid'] });
  const sourceOutlet = body.source_outlet_id ? str(body.source_outlet_id) : null;
  if (type === 'OUTLET' && (!sourceOutlet || !db.outlets.get(sourceOutlet)))
    throw unprocessable('source_outlet_id is required for an OUTLET consignment');
  const now = db.now();
  const rec: ConsignmentRec = {
    id: db.newId('consignment'),
    outlet_id: outlet.id,
    name,
    type,
    status,
    supplier_id: supplierId ?? null,
    source_outlet_id: sourceOutlet ?? null,
    supplier_invoice: str(body.supplier_invoice) ?? null,
    reference: str(body.reference) ?? null,
    consignment_date: dateField(body.consignment_date, 'consignment_date') ?? now,
    due_at: dateField(body.due_at, 'due_at') ?? null,
    received_at: null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
    version: db.nextVersion(),
  };
  db.consignments.put(rec);
  return rec;
}

export function assertEditable(rec: ConsignmentRec): void {
  if (rec.status === 'RECEIVED' || rec.status === 'CANCELLED')
    throw unprocessable(`Cannot update a ${rec.status} consignment`);
}

export function touch(db: XDb, rec: ConsignmentRec, patch: Partial<ConsignmentRec>): ConsignmentRec {
  const next = { ...rec, ...patch, updated_at: db.now(), version: db.nextVersion() };
  db.consignments.put(next);
  return next;
}

/** §3.2 rules for a PUT on a consignment: forward-only SUPPLIER lifecycle, receiving adds stock. */
export function updateConsignment(
  db: XDb,
  rec: ConsignmentRec,
  body: Record<string, unknown>,
  hooks: WebhookDispatcher,
): ConsignmentRec {
  assertEditable(rec);
  if (body.type !== undefined && body.type !== rec.type)
    throw unprocessable(`Cannot change the type of a ${rec.type} consignment`);
  const patch: Partial<ConsignmentRec> = {};
  if (body.name !== undefined) {
    const name = str(body.name);
    if (!name?.trim()) throw unprocessable('The name field is required');
    patch.name = name;
  }
  for (const k of ['reference', 'supplier_invoice'] as const)
    if (body[k] !== undefined) patch[k] = str(body[k]) ?? null;
  const due = dateField(body.due_at, 'due_at');
  if (due !== undefined) patch.due_at = due;
  if (body.supplier_id !== undefined) {
    const s = body.supplier_id === null ? null : str(body.supplier_id);
    if (s && !db.suppliers.get(s)) throw unprocessable('supplier_id does not exist');
    patch.supplier_id = s ?? null;
  }
  if (body.outlet_id !== undefined && body.outlet_id !== rec.outlet_id) {
    if (rec.status !== 'OPEN') throw unprocessable('The outlet can only be changed while the consignment is OPEN');
    if (!db.outlets.get(str(body.outlet_id) ?? '')) throw unprocessable('outlet_id does not exist');
    patch.outlet_id = str(body.outlet_id) as string;
  }
  const status = body.status === undefined ? rec.status : str(body.status);
  if (!status || !statusesByType[rec.type].includes(status))
    throw unprocessable(`Invalid status ${String(body.status)} for a ${rec.type} consignment`);
  if (status !== rec.status) {
    const lines = db.linesOf(rec.id);
    if (lines.length === 0 && status !== 'CANCELLED')
      throw unprocessable('Cannot update status if there are no products in the order');
    if (status !== 'CANCELLED' && rec.type !== 'STOCKTAKE') {
      const flow = rec.type === 'SUPPLIER' ? supplierFlow : statusesByType[rec.type].filter((s) => s !== 'CANCELLED');
      if (flow.indexOf(status) < flow.indexOf(rec.status))
        throw unprocessable(`Cannot change status from ${rec.status} to ${status}`);
    }
    if (status === 'RECEIVED') {
      if (rec.type === 'SUPPLIER' && !lines.some((l) => (l.received ?? 0) !== 0))
        throw unprocessable('At least one product should have non-zero received quantity before updating to RECEIVED');
      patch.status = status;
      patch.received_at = db.now();
      const next = touch(db, rec, patch);
      receive(db, next, hooks);
      return db.consignments.get(next.id) as ConsignmentRec;
    }
    patch.status = status;
  }
  const next = touch(db, rec, patch);
  if (next.status === 'SENT' && rec.status !== 'SENT' && rec.type === 'SUPPLIER')
    hooks.consignment('consignment.send', next);
  return next;
}

/** On RECEIVED the outlet's inventory grows by the received quantities (§3.6); OUTLET transfers move stock. */
export function receive(db: XDb, rec: ConsignmentRec, hooks: WebhookDispatcher): void {
  const now = db.now();
  for (const line of db.linesOf(rec.id)) {
    const qty = rec.type === 'SUPPLIER' ? (line.received ?? 0) : (line.received ?? line.count);
    if (qty !== 0) {
      hooks.inventory(db.changeInventory(line.product_id, rec.outlet_id, { add: qty, cost: line.cost }));
      if (rec.type === 'OUTLET' && rec.source_outlet_id)
        hooks.inventory(db.changeInventory(line.product_id, rec.source_outlet_id, { add: -qty }));
      const p = db.products.get(line.product_id);
      if (p) hooks.product(p);
    }
    db.putLine({ ...line, status: 'SUCCESS', updated_at: now, version: db.nextVersion() });
  }
  hooks.consignment('consignment.receive', db.consignments.get(rec.id) as ConsignmentRec);
}

export function lineProduct(db: XDb, rec: ConsignmentRec, productId: unknown, where: string): ProductRec {
  const id = str(productId);
  if (!id) throw unprocessable(`${where}product_id is required`, { product_id: ['is required'] });
  const p = db.products.get(id);
  if (!p || p.deleted_at)
    throw unprocessable(`${where}product_id ${id} does not exist`, { product_id: ['is invalid'] });
  if (rec.type === 'SUPPLIER' && p.is_composite)
    throw unprocessable(`Composite products cannot be added to a supplier consignment (${id})`);
  return p;
}

export function assertLinesEditable(rec: ConsignmentRec): void {
  if (rec.status === 'RECEIVED' || rec.status === 'CANCELLED')
    throw unprocessable(`Cannot change products of a ${rec.status} consignment`);
}

/** Sending `received` on an OPEN/SENT supplier order marks it DISPATCHED (§3.4). */
export function dispatchIfReceiving(
  db: XDb,
  rec: ConsignmentRec,
  receivedSent: boolean,
  hooks: WebhookDispatcher,
): void {
  void hooks;
  if (receivedSent && rec.type === 'SUPPLIER' && (rec.status === 'OPEN' || rec.status === 'SENT'))
    touch(db, rec, { status: 'DISPATCHED' });
}

export function addLine(
  db: XDb,
  rec: ConsignmentRec,
  body: Record<string, unknown>,
  hooks: WebhookDispatcher,
): ConsignmentLineRec {
  assertLinesEditable(rec);
  const p = lineProduct(db, rec, body.product_id, '');
  const existing = db.linesByConsignment.get(rec.id)?.get(p.id);
  // [I] Adding a product that is already on the consignment is refused; use PUT or /bulk to change it.
  if (existing && existing.deleted_at === null) throw unprocessable(`Product ${p.id} is already in this consignment`);
  const count = num(body.count, 'count') ?? 0;
  const received = num(body.received, 'received');
  const now = db.now();
  const line: ConsignmentLineRec = {
    id: `${rec.id}:${p.id}`,
    consignment_id: rec.id,
    product_id: p.id,
    product_sku: p.sku,
    count,
    received: received ?? null,
    cost: num(body.cost, 'cost') ?? p.supply_price,
    is_included: true,
    status: 'PENDING',
    created_at: now,
    updated_at: now,
    deleted_at: null,
    version: db.nextVersion(),
  };
  db.putLine(line);
  dispatchIfReceiving(db, rec, received !== undefined, hooks);
  if (received === undefined) touch(db, rec, {});
  return line;
}

export function updateLine(
  db: XDb,
  rec: ConsignmentRec,
  line: ConsignmentLineRec,
  body: Record<string, unknown>,
  hooks: WebhookDispatcher,
): ConsignmentLineRec {
  assertLinesEditable(rec);
  const next: ConsignmentLineRec = { ...line, updated_at: db.now(), version: db.nextVersion() };
  const count = num(body.count, 'count');
  const received = num(body.received, 'received');
  const cost = num(body.cost, 'cost');
  // "If status is OPEN or SENT, the count value will be updated; If status is DISPATCHED, the received quantity".
  if (rec.status === 'DISPATCHED') {
    if (received !== undefined) next.received = received;
  } else {
    if (count !== undefined) next.count = count;
    if (received !== undefined) next.received = received;
  }
  if (cost !== undefined) next.cost = cost;
  db.putLine(next);
  if (rec.status !== 'DISPATCHED') dispatchIfReceiving(db, rec, received !== undefined, hooks);
  return next;
}

/** POST …/bulk: counts accumulate in OPEN/SENT, received accumulates in DISPATCHED (§3.4); all or nothing. */
export function bulkLines(
  db: XDb,
  rec: ConsignmentRec,
  items: unknown[],
  hooks: WebhookDispatcher,
): Record<string, { count: string; received: string }> {
  assertLinesEditable(rec);
  const parsed = items.map((item, i) => {
    if (!isObject(item)) throw unprocessable(`[${i}] must be an object`);
    const p = lineProduct(db, rec, item.product_id, `[${i}].`);
    const count = num(item.count, `[${i}].count`);
    const received = num(item.received, `[${i}].received`);
    // The newer spec: "Must include either count or received" (Postman's note says both; either is accepted).
    if (count === undefined && received === undefined)
      throw unprocessable(`[${i}] must include either count or received`);
    return { p, count, received, cost: num(item.cost, `[${i}].cost`) };
  });
  const dispatched = rec.status === 'DISPATCHED';
  let receivedSent = false;
  const now = db.now();
  for (const { p, count, received, cost } of parsed) {
    const existing = db.linesByConsignment.get(rec.id)?.get(p.id);
    const live = existing && existing.deleted_at === null ? existing : undefined;
    const base: ConsignmentLineRec = live ?? {
      id: `${rec.id}:${p.id}`,
      consignment_id: rec.id,
      product_id: p.id,
      product_sku: p.sku,
      count: 0,
      received: null,
      cost: p.supply_price,
      is_included: true,
      status: 'PENDING',
      created_at: now,
      updated_at: now,
      deleted_at: null,
      version: 0,
    };
    const next = { ...base, updated_at: now, version: db.nextVersion() };
    if (dispatched) {
      if (received !== undefined) next.received = (base.received ?? 0) + received;
      if (!live && count !== undefined) next.count = count;
    } else {
      if (count !== undefined) next.count = base.count + count;
      if (received !== undefined) {
        next.received = (base.received ?? 0) + received;
        receivedSent = true;
      }
    }
    if (cost !== undefined) next.cost = cost;
    db.putLine(next);
  }
  if (receivedSent) dispatchIfReceiving(db, rec, true, hooks);
  else touch(db, rec, {});
  const out: Record<string, { count: string; received: string }> = {};
  for (const { p } of parsed) {
    const line = db.linesByConsignment.get(rec.id)?.get(p.id) as ConsignmentLineRec;
    out[p.id] = { count: line.count.toFixed(5), received: (line.received ?? 0).toFixed(5) };
  }
  return out;
}
