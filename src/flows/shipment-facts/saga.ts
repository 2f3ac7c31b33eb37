/**
 * The shipment-facts saga: when the brand's shipments of an exported order change, the POS purchase order is told
 * (carrier, tracking numbers, shipped quantities, ship date), once per change. Queued by the shipment refresh
 * (flows/shipment-refresh.ts) with the hash of the facts in its key, so one change is one job however often it is
 * seen; its one step (steps/) reads the PO first, so a retry writes nothing twice. Runs on the one saga runtime.
 */
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import { enqueue } from '../../jobs/queue.ts';
import type { Db } from '../../store/db.ts';
import { connections, exports, orderShipments, wholesaleOrders } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { defineSaga } from '../saga/index.ts';
import { writeShipmentFacts } from './steps/write-shipment-facts.ts';
import type { FactsLoaded, FactsPorts } from './types.ts';

const payload = z.object({ exportId: z.string().min(1), factsHash: z.string().min(1) });
type Payload = z.infer<typeof payload>;

export const shipmentFactsSaga = defineSaga<EngineContext, Payload, FactsLoaded, FactsPorts>({
  name: 'shipment-facts',
  task: 'po.shipment-facts',
  payload,
  options: { concurrency: 2, maxAttempts: 8 },
  // One write at a time per PO: two changes in a row are written in turn, the second over the first.
  lockKey: (p) => `shipment-facts:${p.exportId}`,
  sagaId: (p) => `shipment-facts:${p.exportId}:${p.factsHash}`,
  remoteLabel: 'the POS',
  async load(ctx, tenantId, p) {
    const row = await exports.get(ctx.store.db, tenantId, p.exportId);
    if (!row) throw notFound('Export', p.exportId);
    const order = await wholesaleOrders.get(ctx.store.db, tenantId, row.orderId);
    if (!order) throw notFound('Order', row.orderId);
    const connection = await connections.get(ctx.store.db, tenantId, row.connectionId);
    if (!connection) throw notFound('POS connection', row.connectionId);
    const fulfilment = (await orderShipments.forOrders(ctx.store.db, tenantId, [order.id])).get(order.id) ?? null;
    return { ctx, export: row, order, connection, fulfilment };
  },
  steps: (loaded) => [writeShipmentFacts(loaded)],
  open: async (ctx, loaded) => ({ facts: await ctx.connectors.purchaseOrderShipmentFacts(loaded.connection) }),
  hooks: { connectionFor: (run) => run.loaded?.connection.id },
});

/**
 * Queues the facts write for every POS purchase order of an order (one per POS connection it was exported to), keyed
 * by the facts' hash: a change already queued is not queued again. The number queued.
 */
export async function enqueueShipmentFacts(
  ctx: EngineContext,
  db: Db,
  tenantId: string,
  orderId: string,
  factsHash: string,
): Promise<number> {
  let queued = 0;
  for (const row of await exports.forOrders(db, tenantId, [orderId])) {
    if (row.state !== 'exported' || !row.poId) continue;
    const connection = await connections.get(db, tenantId, row.connectionId);
    if (
      !connection ||
      connection.status !== 'linked' ||
      !ctx.connectors.manifest(connection.system)?.open.purchaseOrderShipmentFacts
    )
      continue;
    const { created } = await enqueue(
      db,
      shipmentFactsSaga.task,
      { exportId: row.id, factsHash },
      { tenantId, key: `${row.id}:${factsHash}`, now: ctx.now() },
    );
    if (created) queued++;
  }
  return queued;
}
