/**
 * The NetSuite side of the sales sync: sales orders changed since a cursor (SuiteQL), a sales order with its lines,
 * what was made from it (fulfilments, invoices, cash sales), look-ups by external id, and the ids of what a write
 * refers to (ship methods, forms, custom fields) so that a write names only what the account has. The catalog and
 * stock reads are in catalog.ts. The sales port is implemented over this in erp-sales-orders.ts.
 */
import { RemoteRejected } from '../shared/errors.ts';
import { netsuiteErrorCode, sqlText, type NsRecord } from './client.ts';
import { NetsuiteCatalog } from './catalog.ts';
import type { SalesOrder } from '../../core/ports/erp-sales-orders.ts';
import { toSalesOrder } from './map.ts';
import { anyRecord, changedOrderRow, childRow, idRow, namedRow, salesOrderRecord } from './schemas.ts';

export type { NsInventoryNumber, NsItemInfo, NsLocation } from './catalog.ts';

export interface NsChangedOrder {
  id: string;
  tranId: string;
  /** `YYYY-MM-DDTHH:MM:SS` (UTC). */
  modified: string;
}

/** `2026-11-20T10:00:00` → the SuiteQL timestamp literal NetSuite accepts (§4, docs/simulators/netsuite.md). */
function toTimestamp(iso: string): string {
  const text = iso.replace('T', ' ').replace(/Z$/, '').slice(0, 19);
  return `TO_TIMESTAMP(${sqlText(text)}, 'YYYY-MM-DD HH24:MI:SS')`;
}

export function formatCursor(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
}

export type NsTransactionType = 'salesOrder' | 'cashSale' | 'itemFulfillment' | 'invoice';

export class NetsuiteSales extends NetsuiteCatalog {
  #shipMethods: Array<{ id: string; name: string }> | undefined;
  #forms: Array<{ id: string; name: string }> | undefined;
  #customFields = new Map<string, Promise<Set<string>>>();

  /** Sales orders modified at or after `since` (inclusive), oldest first (§4: a deterministic ORDER BY). */
  async changedSalesOrders(since: string, maxRows = 5_000): Promise<NsChangedOrder[]> {
    const rows = await this.client.suiteqlAll(
      `SELECT id, tranid, TO_CHAR(lastmodifieddate, 'YYYY-MM-DD"T"HH24:MI:SS') AS modified FROM transaction ` +
        `WHERE type = 'SalesOrd' AND lastmodifieddate >= ${toTimestamp(since)} ORDER BY lastmodifieddate, id`,
      maxRows,
      changedOrderRow,
    );
    return rows.map((r) => ({ id: r.id, tranId: r.tranid, modified: r.modified }));
  }

  async salesOrder(id: string): Promise<SalesOrder | undefined> {
    const record = await this.client.find('salesOrder', id, { expand: true, schema: salesOrderRecord });
    return record && toSalesOrder(record);
  }

  /** A record by external id, or undefined. */
  async byExternalId(type: NsTransactionType, externalId: string): Promise<NsRecord | undefined> {
    return this.client.find(type, `eid:${externalId}`, { schema: anyRecord });
  }

  /**
   * Fulfilments, invoices and cash sales made from a sales order. SuiteQL has no `transaction.createdfrom`; the link
   * is on the lines: `transactionline.createdfrom`, one row per document with `mainline = 'T'` (divergences.md F7,
   * [2nd]: practitioner queries; NetSuite refuses the column on `transaction`).
   */
  async children(salesOrderId: string): Promise<Array<{ id: string; type: string; externalId: string | null }>> {
    if (!/^\d+$/.test(salesOrderId)) return [];
    const rows = await this.client.suiteqlAll(
      'SELECT t.id, t.type, t.externalid FROM transaction t JOIN transactionline tl ON tl.transaction = t.id ' +
        `WHERE tl.createdfrom = ${salesOrderId} AND tl.mainline = 'T' AND t.type IN ('ItemShip', 'CustInvc', 'CashSale') ` +
        'ORDER BY t.id',
      10_000,
      childRow,
    );
    return rows.map((r) => ({ id: r.id, type: r.type, externalId: r.externalid ?? null }));
  }

  async firstCustomerId(): Promise<string | undefined> {
    const page = await this.client.suiteql('SELECT id FROM customer ORDER BY id', { limit: 1 }, idRow);
    return page.items[0]?.id;
  }

  /** A ship method's internal id by its name (ship methods are items of type ShipItem [I]). */
  async shipMethodId(name: string): Promise<string | undefined> {
    this.#shipMethods ??= await this.client.suiteqlAll(
      "SELECT id, itemid AS name FROM item WHERE itemtype = 'ShipItem' AND isinactive = 'F' ORDER BY id",
      10_000,
      namedRow,
    );
    return this.#shipMethods.find((m) => m.name.toLowerCase() === name.toLowerCase())?.id;
  }

  /**
   * A sales-order form's internal id by its name, from the forms the account's sales orders use
   * (`transaction.customform` shown with BUILTIN.DF [I]); undefined when no order uses it (the account's preferred
   * form then applies).
   */
  async salesOrderFormId(name: string): Promise<string | undefined> {
    this.#forms ??= await this.client.suiteqlAll(
      'SELECT DISTINCT t.customform AS id, BUILTIN.DF(t.customform) AS name FROM transaction t ' +
        "WHERE t.type = 'SalesOrd' AND t.customform IS NOT NULL",
      1_000,
      namedRow,
    );
    return this.#forms.find((f) => f.name.toLowerCase() === name.toLowerCase())?.id;
  }

  /** Whether the account defines a custom field on a record type (asked once per type through the metadata catalog). */
  async hasCustomField(type: NsTransactionType, scriptId: string): Promise<boolean> {
    let fields = this.#customFields.get(type);
    if (!fields) {
      fields = this.client.customFields(type);
      this.#customFields.set(type, fields);
      fields.catch(() => this.#customFields.delete(type));
    }
    return (await fields).has(scriptId.toLowerCase());
  }
}

/** True when a write was refused because a record with that external id already exists (the key did its job). */
export function isDuplicateExternalId(error: unknown): boolean {
  return error instanceof RemoteRejected && netsuiteErrorCode(error) === 'DUP_RCRD';
}
