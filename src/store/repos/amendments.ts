import type { AmendmentChange } from '../../core/amendment.ts';
import type { AmendmentState } from '../schema.ts';
import type { Db } from '../db.ts';

/** A change to an exported order, raised for the buyer to act on (never a silent rewrite of the POS). */
export interface StoredAmendment {
  id: string;
  tenantId: string;
  orderId: string;
  beforeHash: string;
  afterHash: string;
  changes: AmendmentChange[];
  state: AmendmentState;
  detectedAt: number;
}

export interface NewAmendment {
  orderId: string;
  beforeHash: string;
  afterHash: string;
  changes: AmendmentChange[];
}

/** Records an open amendment once per (order, content after the change); false when it was already there. */
export async function recordIfNew(db: Db, tenantId: string, amendment: NewAmendment, now: number): Promise<boolean> {
  const inserted = await db
    .insertInto('amendments')
    .values({
      id: crypto.randomUUID(),
      tenant_id: tenantId,
      order_id: amendment.orderId,
      before_hash: amendment.beforeHash,
      after_hash: amendment.afterHash,
      changes: JSON.stringify(amendment.changes),
      state: 'open',
      detected_at: now,
    })
    .onConflict((oc) => oc.columns(['order_id', 'after_hash']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** An order's amendments, newest first. */
export async function forOrder(db: Db, tenantId: string, orderId: string): Promise<StoredAmendment[]> {
  const rows = await db
    .selectFrom('amendments')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('order_id', '=', orderId)
    .orderBy('detected_at', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    orderId: row.order_id,
    beforeHash: row.before_hash,
    afterHash: row.after_hash,
    changes: JSON.parse(row.changes) as AmendmentChange[],
    state: row.state,
    detectedAt: row.detected_at,
  }));
}
