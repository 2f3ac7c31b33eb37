import type { Money } from '../../core/money.ts';
import type { Db } from '../db.ts';
import { chunks } from '../errors.ts';

/**
 * What Tradeloop wrote from the brand's data on the items it created (field ownership): a value the POS
 * shows differently now was changed by the merchant, and no export changes it.
 */
export interface WrittenFields {
  retail: Money | null;
  name: string;
  images: number;
}

export interface OwnedRow {
  posItemId: string;
  variantKey: string;
  written: WrittenFields;
}

export async function record(
  db: Db,
  tenantId: string,
  connectionId: string,
  rows: readonly OwnedRow[],
  now = Date.now(),
): Promise<void> {
  for (const part of chunks(rows, 200)) {
    await db
      .insertInto('item_ownership')
      .values(
        part.map((r) => ({
          connection_id: connectionId,
          pos_item_id: r.posItemId,
          tenant_id: tenantId,
          variant_key: r.variantKey,
          written: JSON.stringify(r.written),
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['connection_id', 'pos_item_id']).doUpdateSet((eb) => ({
          variant_key: eb.ref('excluded.variant_key'),
          written: eb.ref('excluded.written'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** The price Tradeloop wrote last (after following the brand's price), keeping the other fields. */
export async function setWrittenRetail(
  db: Db,
  tenantId: string,
  connectionId: string,
  posItemId: string,
  retail: Money,
  now = Date.now(),
): Promise<void> {
  const [row] = await getMany(db, tenantId, connectionId, [posItemId]);
  if (!row) return;
  await record(db, tenantId, connectionId, [{ ...row, written: { ...row.written, retail } }], now);
}

export async function getMany(
  db: Db,
  tenantId: string,
  connectionId: string,
  posItemIds: readonly string[],
): Promise<OwnedRow[]> {
  const out: OwnedRow[] = [];
  for (const part of chunks([...new Set(posItemIds)])) {
    const rows = await db
      .selectFrom('item_ownership')
      .select(['pos_item_id', 'variant_key', 'written'])
      .where('tenant_id', '=', tenantId)
      .where('connection_id', '=', connectionId)
      .where('pos_item_id', 'in', part)
      .execute();
    for (const r of rows)
      out.push({
        posItemId: r.pos_item_id,
        variantKey: r.variant_key,
        written: JSON.parse(r.written) as WrittenFields,
      });
  }
  return out;
}
