/**
 * The receiving saga (the job that commits a receipt staff scanned): record the receipt and the running totals it
 * writes → write the received quantities on the POS PO → receive the units into stock (X-Series: RECEIVED, the
 * rest kept on order) → read the PO back and mark the receipt committed. One step per file in steps/. The runtime
 * (flows/saga/) records each step, resumes a killed run from the last one recorded, and applies the one remote-error
 * policy; every write step reads what the PO already shows first, so the receipt lands exactly once.
 */
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import { connections, exports, receipts } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { defineSaga } from '../saga/index.ts';
import { receiveIntoStock } from './steps/receive-into-stock.ts';
import { recordReceipt } from './steps/record-receipt.ts';
import { refreshPo } from './steps/refresh-po.ts';
import { writeReceivedQuantities } from './steps/write-received-quantities.ts';
import { RECEIVING_SAGA, type ReceivingLoaded, type ReceivingPorts, type ReceivingStep } from './types.ts';

const payload = z.object({ receiptId: z.string().min(1), exportId: z.string().min(1) });
type Payload = z.infer<typeof payload>;

export const receivingSaga = defineSaga<EngineContext, Payload, ReceivingLoaded, ReceivingPorts>({
  name: RECEIVING_SAGA,
  task: 'receiving.commit',
  payload,
  options: { concurrency: 4, maxAttempts: 8 },
  // One receipt at a time per PO: running totals read and written by two receipts at once would race.
  lockKey: (p) => `receive:${p.exportId}`,
  sagaId: (p) => p.receiptId,
  remoteLabel: 'the POS',
  load,
  steps: () => [recordReceipt, writeReceivedQuantities, receiveIntoStock, refreshPo] as ReceivingStep[],
  async open(ctx, loaded) {
    return { receiving: await ctx.connectors.purchaseOrderReceiving(loaded.connection) };
  },
  hooks: {
    connectionFor: (run) => run.loaded?.connection.id,
    async onFailed(run, error) {
      const message = error instanceof Error ? error.message : String(error);
      await receipts.update(run.deps.store.db, run.tenantId, run.payload.receiptId, {
        state: 'failed',
        error: message,
      });
    },
    async onWaiting(run, waiting) {
      await receipts.update(run.deps.store.db, run.tenantId, run.payload.receiptId, {
        error: `${waiting.reason}; trying again at ${new Date(waiting.nextTryAt).toISOString()}`,
      });
    },
  },
});

async function load(ctx: EngineContext, tenantId: string, p: Payload): Promise<ReceivingLoaded> {
  const receipt = await receipts.get(ctx.store.db, tenantId, p.receiptId);
  if (!receipt) throw notFound('Receipt', p.receiptId);
  const exportRow = await exports.get(ctx.store.db, tenantId, receipt.exportId);
  if (!exportRow) throw notFound('Export', receipt.exportId);
  const connection = await connections.get(ctx.store.db, tenantId, receipt.connectionId);
  if (!connection) throw notFound('POS connection', receipt.connectionId);
  return { ctx, tenantId, receipt, exportRow, connection };
}
