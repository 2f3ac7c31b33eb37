import type { Db } from '../db.ts';
import { isUniqueViolation } from '../errors.ts';

/** One saved version of a POS connection's pricing policy (the document is a validated PricingPolicy). */
export interface StoredPricingPolicy {
  connectionId: string;
  version: number;
  document: unknown;
  createdBy: string | null;
  createdAt: number;
}

function toStored(row: {
  connection_id: string;
  version: number;
  document: string;
  created_by: string | null;
  created_at: number;
}): StoredPricingPolicy {
  return {
    connectionId: row.connection_id,
    version: Number(row.version),
    document: JSON.parse(row.document) as unknown,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

/** The newest version, or undefined when none was saved. */
export async function current(
  db: Db,
  tenantId: string,
  connectionId: string,
): Promise<StoredPricingPolicy | undefined> {
  const row = await db
    .selectFrom('pricing_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toStored(row);
}

/** Every version, newest first. */
export async function history(db: Db, tenantId: string, connectionId: string): Promise<StoredPricingPolicy[]> {
  const rows = await db
    .selectFrom('pricing_policies')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map(toStored);
}

/**
 * Saves a new version: the next number after the newest. `document(version)` makes the document with that
 * version in it. Two saves at once: the primary key lets one win and the other tries the next number.
 */
export async function save(
  db: Db,
  tenantId: string,
  connectionId: string,
  document: (version: number) => unknown,
  createdBy: string | null,
  now = Date.now(),
): Promise<StoredPricingPolicy> {
  for (let attempt = 0; ; attempt++) {
    const version = ((await current(db, tenantId, connectionId))?.version ?? 0) + 1;
    const row = {
      connection_id: connectionId,
      version,
      tenant_id: tenantId,
      document: JSON.stringify(document(version)),
      created_by: createdBy,
      created_at: now,
    };
    try {
      await db.insertInto('pricing_policies').values(row).execute();
      return toStored(row);
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}
