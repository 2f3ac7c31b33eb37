import type { Db } from '../db.ts';
import type { DialectFeatures } from '../dialects/features.ts';

/** The rate governor's shared state per POS account (JSON), so every process spends one budget. */
export async function load(db: Db, budgetKey: string): Promise<unknown> {
  const row = await db
    .selectFrom('rate_budgets')
    .select('state')
    .where('budget_key', '=', budgetKey)
    .executeTakeFirst();
  return row ? (JSON.parse(row.state) as unknown) : null;
}

/** The state of the first budget whose key starts with the prefix (one POS account's budget), or null. */
export async function firstWithPrefix(db: Db, keyPrefix: string): Promise<unknown> {
  const row = await db
    .selectFrom('rate_budgets')
    .select('state')
    .where('budget_key', 'like', `${keyPrefix}%`)
    .executeTakeFirst();
  return row ? (JSON.parse(row.state) as unknown) : null;
}

export async function save(
  db: Db,
  tenantId: string,
  budgetKey: string,
  state: unknown,
  now = Date.now(),
): Promise<void> {
  const json = JSON.stringify(state);
  await db
    .insertInto('rate_budgets')
    .values({ budget_key: budgetKey, tenant_id: tenantId, state: json, updated_at: now })
    .onConflict((oc) => oc.column('budget_key').doUpdateSet({ state: json, updated_at: now }))
    .execute();
}

/**
 * Reads and rewrites one budget in a transaction holding the budget's lock, so concurrent reservations from
 * several processes serialize (PostgreSQL: an advisory lock; SQLite has one writer). `change` returns the new
 * state (undefined: leave the row alone) and a result.
 */
export async function update<T>(
  db: Db,
  features: DialectFeatures,
  tenantId: string,
  budgetKey: string,
  change: (state: unknown) => { state: unknown; result: T },
  now = Date.now(),
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await features.lockForTransaction(trx, `rate_budget:${budgetKey}`);
    const { state, result } = change(await load(trx, budgetKey));
    if (state !== undefined) await save(trx, tenantId, budgetKey, state, now);
    return result;
  });
}
