import type { Db } from '../db.ts';
import type { ConnectionStatus, ConnectionSystem, ExportState, JobState } from '../schema.ts';

/**
 * The figures `/metrics` reports (http/metrics.ts): counts for the whole installation, every tenant together.
 * The only queries that do not take a tenant id: they name no tenant and return no tenant's rows.
 */

export async function jobsByTaskAndState(db: Db): Promise<Array<{ task: string; state: JobState; count: number }>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['task', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['task', 'state'])
    .execute();
  return rows.map((r) => ({ task: r.task, state: r.state, count: Number(r.n) }));
}

/** Queued jobs whose time has come, by task, with the run time of the longest-waiting one. */
export async function dueJobsByTask(
  db: Db,
  now: number,
): Promise<Array<{ task: string; count: number; oldestRunAt: number }>> {
  const rows = await db
    .selectFrom('jobs')
    .select(['task', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('run_at').as('oldest')])
    .where('state', '=', 'queued')
    .where('run_at', '<=', now)
    .groupBy('task')
    .execute();
  return rows.map((r) => ({ task: r.task, count: Number(r.n), oldestRunAt: Number(r.oldest) }));
}

export async function exportsByState(db: Db): Promise<Array<{ state: ExportState; count: number }>> {
  const rows = await db
    .selectFrom('exports')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
}

export async function connectionsBySystemAndStatus(
  db: Db,
): Promise<Array<{ system: ConnectionSystem; status: ConnectionStatus; count: number }>> {
  const rows = await db
    .selectFrom('connections')
    .select(['system', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['system', 'status'])
    .execute();
  return rows.map((r) => ({ system: r.system, status: r.status, count: Number(r.n) }));
}

/** Every stored rate budget's state (JSON), by its key (`lightspeed-r:83050:client`, no tenant id). */
export async function rateBudgetStates(db: Db): Promise<Array<{ budgetKey: string; state: string }>> {
  const rows = await db.selectFrom('rate_budgets').select(['budget_key', 'state']).execute();
  return rows.map((r) => ({ budgetKey: r.budget_key, state: r.state }));
}
