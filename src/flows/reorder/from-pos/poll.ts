/**
 * The PO feed poll: per POS connection, the purchase orders made or changed in the POS since the last read. A PO
 * for a linked brand's supplier that Tradeloop did not make (its exports know their POs) and has not sent yet is
 * paired with a new wholesale order and the saga that sends it is queued, in one transaction; the pair's unique
 * (connection, PO) row is what sends a PO once, however often the poll sees it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { enqueue } from '../../../jobs/queue.ts';
import type { PosPurchaseOrderHead } from '../../../core/ports/po-feed.ts';
import { isUniqueViolation } from '../../../store/errors.ts';
import { connections, exports, posReorders, type Connection } from '../../../store/repos/index.ts';
import { defineConnectionTask, onlyConnection } from '../../connection-job.ts';
import type { EngineContext } from '../../engine-context.ts';
import { linkedBrandsBySupplier, mapPoLines, type LinkedBrand } from './brands.ts';
import { posReorderSaga } from './saga.ts';

/** An empty PO younger than this may still be getting its lines (an API client adds them after the create). */
const EMPTY_GRACE_MS = 10 * 60_000;

export interface PollReport {
  seen: number;
  queued: number;
  nothingMapped: number;
  skipped: number;
}

/** The number a PO is sent to the brand under: readable, and the same for the same PO (the retry key). */
export function posReorderNumber(tenantId: string, connectionId: string, poId: string): string {
  const hash = createHash('sha256').update(`${tenantId}:${connectionId}:${poId}`).digest('hex').slice(0, 8);
  return `TL-POS-${hash.toUpperCase()}`;
}

/** Tradeloop's own POs carry its correlation key (`nuo-…`), the export's and the receiving remainder's. */
const madeByTradeloop = (po: PosPurchaseOrderHead): boolean => /^nuo-/i.test(po.reference ?? '');

export async function pollPurchaseOrderFeed(ctx: EngineContext, pos: Connection): Promise<PollReport> {
  const { db } = ctx.store;
  const feed = await ctx.connectors.purchaseOrderFeed(pos);
  const cursor = await posReorders.cursorOf(db, pos.tenantId, pos.id);
  const page = await feed.changedSince(cursor);
  const report: PollReport = { seen: page.orders.length, queued: 0, nothingMapped: 0, skipped: 0 };
  const open = page.orders.filter((po) => po.ordering && po.supplierId && !madeByTradeloop(po) && !po.isRemainder);
  let hold = false;
  if (open.length > 0) {
    const ids = open.map((po) => po.id);
    const ours = await exports.poIdsAmong(db, pos.tenantId, pos.id, ids);
    const paired = await posReorders.pairedPoIds(db, pos.tenantId, pos.id, ids);
    const fresh = open.filter((po) => !ours.has(po.id) && !paired.has(po.id));
    const brands = fresh.length > 0 ? await linkedBrandsBySupplier(ctx, pos) : new Map<string, LinkedBrand>();
    for (const po of fresh) {
      const brand = brands.get(po.supplierId ?? '');
      if (!brand) {
        report.skipped++;
        continue;
      }
      const lines = await feed.lines(po.id);
      if (lines.length === 0) {
        // Read again next time while it may still be getting its lines; the cursor stays before it.
        const age = po.createdAt ? ctx.now() - Date.parse(po.createdAt) : Infinity;
        if (age < EMPTY_GRACE_MS) hold = true;
        report.skipped++;
        continue;
      }
      const outcome = await pair(ctx, pos, po, brand, lines);
      if (outcome === 'queued') report.queued++;
      if (outcome === 'nothing_mapped') report.nothingMapped++;
    }
  }
  if (!hold) await posReorders.saveCursor(db, pos.tenantId, pos.id, page.cursor, ctx.now());
  return report;
}

async function pair(
  ctx: EngineContext,
  pos: Connection,
  po: PosPurchaseOrderHead,
  brand: LinkedBrand,
  lines: Array<{ posItemId: string; quantity: number }>,
): Promise<'queued' | 'nothing_mapped' | 'known'> {
  const { mapped, unmapped } = await mapPoLines(ctx, pos, brand, lines);
  const id = randomUUID();
  const state = mapped.length > 0 ? 'sending' : 'nothing_mapped';
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await posReorders.insert(
        trx,
        pos.tenantId,
        {
          id,
          connectionId: pos.id,
          posPoId: po.id,
          posPoNumber: po.number,
          posPoUrl: po.url,
          locationId: po.locationId,
          supplierId: po.supplierId ?? '',
          brandConnectionId: brand.connection.id,
          brandName: brand.name,
          state,
          orderNumber: posReorderNumber(pos.tenantId, pos.id, po.id),
          lines: mapped,
          unmapped,
        },
        ctx.now(),
      );
      if (state === 'sending')
        await enqueue(trx, posReorderSaga.task, { reorderId: id }, { tenantId: pos.tenantId, key: id, now: ctx.now() });
    });
  } catch (error) {
    // Another poll paired it first.
    if (isUniqueViolation(error)) return 'known';
    throw error;
  }
  return state === 'sending' ? 'queued' : 'nothing_mapped';
}

export const posPurchaseOrderFeedJob = defineConnectionTask(
  'reorder.pos-feed',
  onlyConnection,
  { concurrency: 2 },
  (ctx, connection) => pollPurchaseOrderFeed(ctx, connection),
);

/** Queues a poll of every linked POS connection whose connector offers the feed, once per period. */
export async function enqueuePurchaseOrderFeedPolls(ctx: EngineContext, periodMs: number): Promise<number> {
  const bucket = Math.floor(ctx.now() / periodMs);
  let enqueued = 0;
  for (const system of ctx.connectors.systems('pos')) {
    if (!ctx.connectors.manifest(system)?.open.purchaseOrderFeed) continue;
    for (const connection of await connections.listAllLinked(ctx.store.db, system)) {
      const { created } = await enqueue(
        ctx.store.db,
        posPurchaseOrderFeedJob,
        { connectionId: connection.id },
        { tenantId: connection.tenantId, key: `po-feed:${connection.id}:${bucket}`, now: ctx.now() },
      );
      if (created) enqueued++;
    }
  }
  return enqueued;
}
