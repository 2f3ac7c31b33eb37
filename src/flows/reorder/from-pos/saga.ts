/**
 * The POS-reorder saga: a purchase order the merchant made in the POS back office for a linked brand's supplier is
 * sent to the brand as a new wholesale order, the PO is tagged with that order's number, and the pairing recorded.
 * Queued by the PO feed poll (poll.ts) with the pairing's id in its key, so one PO is one job; each step is its own
 * reconcile (the order number is the retry key at the source, the tag is read before it is written), so a crash or
 * a ghost write sends nothing twice. Runs on the one saga runtime.
 */
import { z } from 'zod';
import { notFound } from '../../../core/errors.ts';
import { connections, posReorders } from '../../../store/repos/index.ts';
import type { EngineContext } from '../../engine-context.ts';
import { defineSaga } from '../../saga/index.ts';
import { createWholesaleOrder } from './steps/create-wholesale-order.ts';
import { recordPairing } from './steps/record-pairing.ts';
import { tagPosOrder } from './steps/tag-pos-order.ts';
import type { PosReorderLoaded, PosReorderPorts } from './types.ts';

const payload = z.object({ reorderId: z.string().min(1) });
type Payload = z.infer<typeof payload>;

export const posReorderSaga = defineSaga<EngineContext, Payload, PosReorderLoaded, PosReorderPorts>({
  name: 'pos-reorder',
  task: 'reorder.from-pos',
  payload,
  options: { concurrency: 2, maxAttempts: 8 },
  lockKey: (p) => `pos-reorder:${p.reorderId}`,
  sagaId: (p) => `pos-reorder:${p.reorderId}`,
  remoteLabel: 'NuORDER or the POS',
  async load(ctx, tenantId, p) {
    const reorder = await posReorders.get(ctx.store.db, tenantId, p.reorderId);
    if (!reorder) throw notFound('POS reorder', p.reorderId);
    const posConnection = await connections.get(ctx.store.db, tenantId, reorder.connectionId);
    if (!posConnection) throw notFound('POS connection', reorder.connectionId);
    const brandConnection = await connections.get(ctx.store.db, tenantId, reorder.brandConnectionId);
    if (!brandConnection) throw notFound('NuORDER connection', reorder.brandConnectionId);
    return { ctx, reorder, posConnection, brandConnection };
  },
  steps: (loaded) => [createWholesaleOrder(loaded), tagPosOrder(loaded), recordPairing()],
  open: async (ctx, loaded) => ({
    orders: await ctx.connectors.wholesaleOrderCreation(loaded.brandConnection),
    feed: await ctx.connectors.purchaseOrderFeed(loaded.posConnection),
  }),
  hooks: {
    async onFailed(run, error) {
      if (!run.loaded) return;
      const message = error instanceof Error ? error.message : String(error);
      await posReorders.markFailed(run.deps.store.db, run.tenantId, run.loaded.reorder.id, message, run.deps.now());
    },
  },
});
