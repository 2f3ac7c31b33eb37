/**
 * Writing sales in the simulator's store, shared by every sale-creating API (0.9 register_sales, the
 * date-versioned /api/{YYYY-MM}/sales) and by fulfilment: status changes with their stock effect, new sales,
 * invoice numbers and the register a sale is rung up on.
 */
import type { XDb } from './db.ts';
import { unprocessable } from './errors.ts';
import { str } from './http.ts';
import { takesStock } from './sales.ts';
import type { SaleRec } from './state.ts';
import type { WebhookDispatcher } from './webhooks.ts';

export function setSaleStatus(db: XDb, sale: SaleRec, status: string, hooks: WebhookDispatcher): SaleRec {
  const next: SaleRec = { ...sale, status, updated_at: db.now(), version: db.nextVersion() };
  adjustStock(db, next, hooks);
  db.sales.put(next);
  return next;
}

/** Stock leaves the outlet when a sale first takes a stock-taking status, and returns if it is voided ([I]). */
export function adjustStock(db: XDb, sale: SaleRec, hooks: WebhookDispatcher): void {
  const want = takesStock(sale.status);
  if (want === sale.stock_taken) return;
  const sign = want ? -1 : 1;
  for (const l of sale.line_items) {
    if (l.status === 'VOIDED') continue;
    hooks.inventory(db.changeInventory(l.product_id, sale.outlet_id, { add: sign * l.quantity }));
  }
  sale.stock_taken = want;
}

export type SaleIdentity = Pick<
  SaleRec,
  | 'id'
  | 'outlet_id'
  | 'register_id'
  | 'user_id'
  | 'customer_id'
  | 'invoice_number'
  | 'invoice_sequence'
  | 'source'
  | 'source_id'
  | 'status'
>;

/** A new, empty sale (both sale-creating APIs start from it, then apply their own body). */
export function newSale(db: XDb, identity: SaleIdentity): SaleRec {
  const now = db.now();
  return {
    ...identity,
    note: null,
    short_code: db.newId('short_code').slice(0, 6),
    sale_date: now,
    line_items: [],
    payments: [],
    fulfillment_details: [],
    stock_taken: false,
    created_at: now,
    updated_at: now,
    deleted_at: null,
    version: 0,
  };
}

export function nextInvoice(db: XDb, registerId: string): { invoice_number: string; invoice_sequence: number } {
  const register = db.registers.get(registerId);
  if (!register) return { invoice_number: String(++db.sequence), invoice_sequence: db.sequence };
  const seq = register.invoice_sequence + 1;
  db.registers.put({ ...register, invoice_sequence: seq, version: db.nextVersion() });
  return { invoice_number: `${register.invoice_prefix}${seq}`, invoice_sequence: seq };
}

export function saleRegister(db: XDb, value: unknown): string {
  if (value === undefined || value === null || value === '') {
    const first = db.registers.values().find((r) => r.deleted_at === null);
    if (!first) throw unprocessable('The store has no register');
    return first.id;
  }
  const r = db.registers.get(str(value) ?? '');
  if (!r) throw unprocessable('register_id does not exist', { register_id: ['is invalid'] });
  return r.id;
}
