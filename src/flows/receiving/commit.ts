/**
 * Committing a receipt (the receiving page's "Commit"): checks the units against what is still open on the PO, then
 * in one transaction records the receipt under the id the client chose and queues the receiving saga keyed by it.
 * A retried request finds its receipt and its job: nothing is recorded or written twice. Over-receipts pass only
 * when a person accepted them on the page (the core session flags them otherwise).
 */
import { invalidInput } from '../../core/errors.ts';
import { enqueue } from '../../jobs/queue.ts';
import { receipts, type Receipt } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { receivingView, requireExported } from './expected.ts';
import { receivingSaga } from './saga.ts';

export interface ReceiptRequest {
  /** Chosen by the client (a UUID): the same id on a retry is the same receipt. */
  receiptId: string;
  lines: ReadonlyArray<{ posItemId: string; quantity: number; acceptedOver?: number }>;
  /** What the scan session flagged (unknown codes, over-receipts), kept with the receipt. */
  flags?: readonly unknown[];
}

export interface ReceiptAccepted {
  receipt: Receipt;
  /** False when the request was a retry of a receipt already recorded. */
  created: boolean;
  jobId: string;
}

export async function requestReceipt(
  ctx: EngineContext,
  tenantId: string,
  exportId: string,
  request: ReceiptRequest,
  createdBy: string | null,
): Promise<ReceiptAccepted> {
  const existing = await receipts.get(ctx.store.db, tenantId, request.receiptId);
  if (existing) {
    if (existing.exportId !== exportId) {
      // An unknown purchase order is a 404 whatever the body says.
      await requireExported(ctx, tenantId, exportId);
      throw invalidInput(`receiptId: receipt ${request.receiptId} belongs to another purchase order`);
    }
    return { receipt: existing, created: false, jobId: await queue(ctx, tenantId, existing) };
  }
  const view = await receivingView(ctx, tenantId, exportId);
  if (!view.po.receivable)
    throw invalidInput(`Purchase order ${view.po.number} is ${view.po.status} and takes no receipt`);
  const lines = request.lines.filter((l) => l.quantity > 0);
  if (lines.length === 0) throw invalidInput('lines: the receipt has no unit to commit');
  const seen = new Set<string>();
  for (const [i, line] of lines.entries()) {
    const item = view.items.find((it) => it.posItemId === line.posItemId);
    if (!item)
      throw invalidInput(
        `lines[${i}].posItemId: POS item ${line.posItemId} is not on purchase order ${view.po.number}`,
      );
    if (seen.has(line.posItemId))
      throw invalidInput(`lines[${i}].posItemId: POS item ${line.posItemId} is listed twice`);
    seen.add(line.posItemId);
    const allowed = item.remaining + (line.acceptedOver ?? 0);
    if (line.quantity > allowed)
      throw invalidInput(
        `lines[${i}].quantity: ${line.quantity} units of ${item.label}, but ${item.remaining} are open; accept the ` +
          `${line.quantity - item.remaining} extra on the page first`,
      );
  }
  const stored = await ctx.store.db.transaction().execute(async (trx) => {
    const { receipt, created } = await receipts.insertOnce(
      trx,
      tenantId,
      {
        id: request.receiptId,
        orderId: view.order.id,
        exportId: view.exportRow.id,
        connectionId: view.connection.id,
        poId: view.po.id,
        poNumber: view.po.number,
        lines: lines.map((l) => ({
          posItemId: l.posItemId,
          label: view.items.find((it) => it.posItemId === l.posItemId)?.label ?? l.posItemId,
          quantity: l.quantity,
        })),
        flags: [...(request.flags ?? [])],
        createdBy,
      },
      ctx.now(),
    );
    const job = await enqueue(
      trx,
      receivingSaga.task,
      { receiptId: receipt.id, exportId: receipt.exportId },
      { tenantId, key: receipt.id, now: ctx.now() },
    );
    return { receipt, created, jobId: job.job.id };
  });
  return stored;
}

async function queue(ctx: EngineContext, tenantId: string, receipt: Receipt): Promise<string> {
  const job = await enqueue(
    ctx.store.db,
    receivingSaga.task,
    { receiptId: receipt.id, exportId: receipt.exportId },
    { tenantId, key: receipt.id, now: ctx.now() },
  );
  return job.job.id;
}
