import type { Db } from '../db.ts';
import type { SalesRuleSetState, SalesRuleSetsTable } from '../schema.ts';

/** A stored version of an organization's sales-order rules. The document is opaque JSON here. */
export interface SalesRuleSetVersion {
  id: string;
  tenantId: string;
  version: number;
  state: SalesRuleSetState;
  document: unknown;
  note: string | null;
  createdBy: string | null;
  createdAt: number;
  activatedAt: number | null;
}

/** Saves a new version (as a draft, or straight to active when `activate`). Versions count from 1 per tenant. */
export async function create(
  db: Db,
  tenantId: string,
  input: { document: unknown; note?: string | null; createdBy?: string | null; now?: number },
): Promise<SalesRuleSetVersion> {
  const now = input.now ?? Date.now();
  // A concurrent save of the same version number fails on the unique constraint; retry with the next number.
  for (let attempt = 0; ; attempt++) {
    const latest = await db
      .selectFrom('sales_rule_sets')
      .select((eb) => eb.fn.max<number>('version').as('latest'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    const row: SalesRuleSetsTable = {
      id: crypto.randomUUID(),
      tenant_id: tenantId,
      version: Number(latest?.latest ?? 0) + 1,
      state: 'draft',
      document: JSON.stringify(input.document),
      note: input.note ?? null,
      created_by: input.createdBy ?? null,
      created_at: now,
      activated_at: null,
    };
    try {
      await db.insertInto('sales_rule_sets').values(row).execute();
      return toVersion(row);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

export async function get(db: Db, tenantId: string, version: number): Promise<SalesRuleSetVersion | undefined> {
  const row = await db
    .selectFrom('sales_rule_sets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row && toVersion(row);
}

export async function active(db: Db, tenantId: string): Promise<SalesRuleSetVersion | undefined> {
  const row = await db
    .selectFrom('sales_rule_sets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return row && toVersion(row);
}

/** Newest first. */
export async function list(db: Db, tenantId: string, limit = 50): Promise<SalesRuleSetVersion[]> {
  const rows = await db
    .selectFrom('sales_rule_sets')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toVersion);
}

/**
 * Makes `version` the active one and retires the previous. Call inside a transaction so the two writes are one;
 * the partial unique index keeps "one active" true under any concurrency.
 */
export async function activate(db: Db, tenantId: string, version: number, now = Date.now()): Promise<boolean> {
  await db
    .updateTable('sales_rule_sets')
    .set({ state: 'retired' })
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'active')
    .where('version', '!=', version)
    .execute();
  const result = await db
    .updateTable('sales_rule_sets')
    .set({ state: 'active', activated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toVersion(row: SalesRuleSetsTable): SalesRuleSetVersion {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    version: Number(row.version),
    state: row.state,
    document: JSON.parse(row.document) as unknown,
    note: row.note,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    activatedAt: row.activated_at === null ? null : Number(row.activated_at),
  };
}
