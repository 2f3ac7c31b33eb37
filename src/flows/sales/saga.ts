/**
 * The sales sync's saga, one per synced row (its id the row's): the planned steps of the row, one step per file in
 * steps/. NetSuite → X-Series: create the sale → link it in NetSuite → (once the POS finishes the sale) fulfil →
 * bill. X-Series → NetSuite: create the cash sale, or create the sales order → fulfil → bill.
 *
 * The scheduled syncs read the changes, decide, and run a row's first steps at once (`runRowSteps`: many rows in one
 * job). Fulfil and bill run as the saga's own job (`sales.complete`), queued when the POS finishes the sale. Either
 * way the runtime (flows/saga/) records each step, resumes a started one, and its one remote-error policy decides.
 */
import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import type { EngineContext } from '../engine-context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { defineSaga, StepRecorder, type SagaRun } from '../saga/index.ts';
import { sagaSteps, salesSyncs, type SalesSync } from '../../store/repos/index.ts';
import { activeRules, ruleSetDocument } from './config.ts';
import { openSalesEnv, type SalesEnv } from './env.ts';
import { billOrder, type BillResult } from './steps/bill-order.ts';
import { createCashSale } from './steps/create-cash-sale.ts';
import { createSale } from './steps/create-sale.ts';
import { createSalesOrder } from './steps/create-sales-order.ts';
import { fulfilOrder, type FulfilResult } from './steps/fulfil-order.ts';
import { linkInNetsuite } from './steps/link-in-netsuite.ts';
import { SALES_SAGA, stepKeys, type SalesLoaded, type SalesStep, type SalesStepEnv } from './types.ts';

export const SALES_COMPLETE = 'sales.complete';

const payload = z.object({ syncId: z.string().min(1) });
type Payload = z.infer<typeof payload>;
type Run = SagaRun<EngineContext, Payload, SalesLoaded>;

export interface CompleteResult {
  syncId: string;
  fulfilmentId: string | null;
  billId: string | null;
  billType: 'invoice' | 'cashSale';
}

export const salesSaga = defineSaga<EngineContext, Payload, SalesLoaded, SalesEnv>({
  name: SALES_SAGA,
  task: SALES_COMPLETE,
  payload,
  // A dead worker's job is taken over after its lock: two minutes (the worker renews it while the job runs).
  options: { concurrency: 4, lockMs: 2 * 60_000, maxAttempts: 8 },
  lockKey: (p) => `sales:${p.syncId}`,
  sagaId: (p) => p.syncId,
  remoteLabel: 'NetSuite or X-Series',
  logIds: (run) => ({ salesSyncId: run.payload.syncId, direction: run.loaded?.row.direction }),
  load: (ctx, tenantId, { syncId }) => loadRow(ctx, tenantId, syncId),
  steps: salesSteps,
  async open(ctx, loaded) {
    const { row } = loaded;
    if (completable(row) && row.state !== 'completed')
      await salesSyncs.update(
        ctx.store.db,
        loaded.tenantId,
        row.id,
        { state: 'completing', errorCode: null, errorMessage: null },
        ctx.now(),
      );
    return openSalesEnv(ctx, loaded.tenantId, { netsuite: row.nsConnectionId, xseries: row.xConnectionId });
  },
  finish: (run) => recordCompletion(run.deps, run.tenantId, run.payload.syncId),
  hooks: {
    connectionFor: (run, error) => {
      const row = run.loaded?.row;
      const vendor = (error as { vendor?: unknown }).vendor;
      return vendor === 'netsuite' ? row?.nsConnectionId : row?.xConnectionId;
    },
    onFailed: (run, error) => recordFailure(run.deps, run.tenantId, run.payload.syncId, error),
    // The row says what it waits for; the next run clears it (open).
    async onWaiting(run: Run, waiting) {
      await salesSyncs.update(
        run.deps.store.db,
        run.tenantId,
        run.payload.syncId,
        {
          errorCode: 'REMOTE_UNAVAILABLE',
          errorMessage: `${waiting.reason}; trying again at ${new Date(waiting.nextTryAt).toISOString()}`,
        },
        run.deps.now(),
      );
    },
  },
});

/** A sales order in NetSuite that the POS's sale stands for: what fulfil and bill complete. */
function completable(row: SalesSync): boolean {
  return row.nsId !== null && (row.nsRecordType === null || row.nsRecordType === 'salesOrder');
}

export async function loadRow(ctx: AppContext, tenantId: string, syncId: string): Promise<SalesLoaded> {
  const row = await salesSyncs.get(ctx.store.db, tenantId, syncId);
  if (!row) throw notFound('Synced order', syncId);
  // Read only when a step needs it: a completion never does, and a rule set edited since must not stop it.
  const rules = () =>
    row.direction === 'ns_to_x'
      ? ruleSetDocument(ctx.store.db, tenantId, row.ruleSetVersion ?? 0)
      : activeRules(ctx.store.db, tenantId).then((r) => r.document);
  return { ctx, tenantId, row, rules };
}

/** The planned steps of a row, in the order they run. */
function salesSteps(loaded: SalesLoaded): SalesStep[] {
  const { row } = loaded;
  const complete = [fulfilOrder(loaded.tenantId), billOrder] as SalesStep[];
  if (row.direction === 'ns_to_x') return [createSale, linkInNetsuite, ...complete] as SalesStep[];
  if (row.sentAs === 'cashSale') return [createCashSale] as SalesStep[];
  if (row.sentAs === 'salesOrder') return [createSalesOrder, ...complete] as SalesStep[];
  return [];
}

const notAborted = new AbortController().signal;

/**
 * Runs a row's planned steps up to and including `last` inside the sync that decided to send it (one job works
 * through many rows), with the runtime's recorder: the same recording and resume rule as the saga's own job.
 * Errors reach the caller, whose job applies the remote-error policy. Returns the steps' recorded results.
 */
export async function runRowSteps(
  env: SalesEnv,
  loaded: SalesLoaded,
  last: string,
): Promise<Pick<SalesStepEnv, 'result'>> {
  const recorder = await StepRecorder.load(
    env.ctx.store.db,
    { tenantId: env.tenantId, saga: SALES_SAGA, sagaId: loaded.row.id },
    env.ctx.now,
  );
  const stepEnv: SalesStepEnv = {
    loaded,
    ports: env,
    result: (key) => recorder.result(key),
    isDone: (key) => recorder.isDone(key),
    now: env.ctx.now,
  };
  for (const [position, step] of salesSteps(loaded).entries()) {
    await recorder.run(step, position, stepEnv, env.signal ?? notAborted);
    if (step.key === last) return stepEnv;
  }
  throw new AppError('SALES_STEP_UNKNOWN', `Synced order ${loaded.row.id} has no step ${last}`);
}

/** Fulfil and bill a row now, in this process (what the saga's job does, without the job). */
export async function completeSync(env: SalesEnv, syncId: string): Promise<CompleteResult | { skipped: string }> {
  const loaded = await loadRow(env.ctx, env.tenantId, syncId);
  if (completable(loaded.row) && loaded.row.state !== 'completed') await runRowSteps(env, loaded, stepKeys.bill);
  return recordCompletion(env.ctx, env.tenantId, syncId);
}

/** Whether a row's step is recorded done. */
export async function stepDone(ctx: AppContext, tenantId: string, syncId: string, key: string): Promise<boolean> {
  return (await sagaSteps.get(ctx.store.db, tenantId, syncId, key))?.state === 'done';
}

/** Fulfilled and billed: the row is completed with what was made (again, harmlessly, on a repeated run). */
async function recordCompletion(
  ctx: AppContext,
  tenantId: string,
  syncId: string,
): Promise<CompleteResult | { skipped: string }> {
  const row = await salesSyncs.get(ctx.store.db, tenantId, syncId);
  if (!row || !completable(row)) return { skipped: 'not a NetSuite sales order' };
  const fulfil = await sagaSteps.get(ctx.store.db, tenantId, syncId, stepKeys.fulfil);
  const bill = await sagaSteps.get(ctx.store.db, tenantId, syncId, stepKeys.bill);
  if (fulfil?.state !== 'done' || bill?.state !== 'done') return { skipped: 'not fulfilled and billed yet' };
  const made = { fulfilmentId: (fulfil.result as FulfilResult).id, bill: bill.result as BillResult };
  await salesSyncs.update(
    ctx.store.db,
    tenantId,
    syncId,
    {
      state: 'completed',
      fulfilmentId: made.fulfilmentId,
      billId: made.bill.id,
      billType: made.bill.type,
      errorCode: null,
      errorMessage: null,
    },
    ctx.now(),
  );
  return { syncId, fulfilmentId: made.fulfilmentId, billId: made.bill.id, billType: made.bill.type };
}

/** A row's failure, with the error's code and words, for the log (and a person's retry). */
export async function recordFailure(ctx: AppContext, tenantId: string, syncId: string, error: unknown): Promise<void> {
  const code = error instanceof AppError ? error.code : 'UNEXPECTED';
  const message = error instanceof Error ? error.message : String(error);
  ctx.logger.warn({ err: error, syncId, tenantId }, 'sales sync step failed');
  await salesSyncs.update(
    ctx.store.db,
    tenantId,
    syncId,
    { state: 'failed', errorCode: code, errorMessage: message },
    ctx.now(),
  );
}
