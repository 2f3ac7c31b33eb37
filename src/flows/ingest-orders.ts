import { diffOrders } from '../core/amendment.ts';
import type { KnownOrders, WholesaleSource } from '../core/ports/wholesale-source.ts';
import { RemoteContractBroken, RemoteRejected } from '../core/ports/errors.ts';
import {
  connections,
  exports,
  settings,
  wholesaleOrders,
  type Connection,
  type StoredOrder,
} from '../store/repos/index.ts';
import * as amendments from '../store/repos/amendments.ts';
import type { EngineContext } from './engine-context.ts';

export interface IngestReport {
  seen: number;
  created: number;
  updated: number;
  unchanged: number;
  amendments: number;
  /** Orders held here that were cancelled at the source since they were pulled. */
  cancelled: number;
  unreadable: Array<{ sourceId: string | null; orderNumber: string | null; reason: string }>;
  /** Orders that became known in this run (auto-sync plans these). */
  newOrderIds: string[];
}

/** Edits made while a poll runs are caught by the next one: listings are filtered with this overlap. */
const overlapMs = 10 * 60_000;

/**
 * Pulls approved orders from a wholesale connection and upserts them by source id. A content hash
 * decides whether an order changed; a change to an order that was exported (or is being exported)
 * raises an amendment for the buyer, never a silent rewrite of what the POS holds.
 */
export async function ingestOrders(
  ctx: EngineContext,
  connection: Connection,
  source: WholesaleSource,
): Promise<IngestReport> {
  const startedAt = ctx.now();
  const report: IngestReport = {
    seen: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    amendments: 0,
    cancelled: 0,
    unreadable: [],
    newOrderIds: [],
  };
  // A source that cannot list yet (a NuORDER brand portal whose store is not chosen) imports nothing, and says why.
  const blocked = source.blocked?.() ?? null;
  if (blocked) {
    await connections.update(ctx.store.db, connection.tenantId, connection.id, { lastError: blocked }, ctx.now());
    ctx.logger.info({ connectionId: connection.id }, 'orders not ingested: the source is not scoped yet');
    return report;
  }
  const modifiedSince =
    connection.lastSyncAt === null ? undefined : new Date(connection.lastSyncAt - overlapMs).toISOString();
  const known = await knownOrders(ctx, connection);
  const otherStores: string[] = [];
  const query = { status: 'approved' as const, ...(modifiedSince ? { modifiedSince } : {}), known };
  for await (const item of source.listOrders(query)) {
    if (item.kind === 'other-store') {
      otherStores.push(item.sourceId);
      continue;
    }
    if (item.kind === 'unreadable') {
      report.unreadable.push({ sourceId: item.sourceId, orderNumber: item.orderNumber, reason: item.reason });
      continue;
    }
    report.seen++;
    const { stored, outcome, previous } = await wholesaleOrders.upsertFromSource(
      ctx.store.db,
      connection.tenantId,
      connection.id,
      item.order,
      ctx.now(),
    );
    report[outcome]++;
    if (outcome === 'created') report.newOrderIds.push(stored.id);
    if (outcome === 'updated' && previous) report.amendments += await raiseAmendmentIfExported(ctx, previous, stored);
  }
  await rememberOtherStores(ctx, connection, known.otherStores, otherStores);
  // A cancelled order leaves the approved list, so the pass above never sees it again: ask for the
  // cancelled ids (one call) and re-read the orders held here that are not cancelled yet.
  const cancelledIds = await source.listOrderIds('cancelled').catch((error: unknown) => {
    // The approved orders above are what matters most; a source that will not list cancellations
    // (refused, or an answer we cannot read) does not stop them from counting as synced.
    if (!(error instanceof RemoteRejected || error instanceof RemoteContractBroken)) throw error;
    ctx.logger.warn({ connectionId: connection.id, err: error }, 'listing cancelled orders failed; skipped');
    return [];
  });
  for (const held of await wholesaleOrders.notYetInStatus(
    ctx.store.db,
    connection.tenantId,
    connection.id,
    cancelledIds,
    'cancelled',
  )) {
    const fresh = await source.getOrder(held.sourceId).catch((error: unknown) => {
      if (error instanceof RemoteContractBroken) {
        report.unreadable.push({ sourceId: held.sourceId, orderNumber: held.orderNumber, reason: error.message });
        return null;
      }
      throw error;
    });
    if (fresh === null || fresh.status !== 'cancelled') continue;
    const { stored, outcome, previous } = await wholesaleOrders.upsertFromSource(
      ctx.store.db,
      connection.tenantId,
      connection.id,
      fresh,
      ctx.now(),
    );
    if (outcome !== 'updated' || !previous) continue;
    report.cancelled++;
    report.amendments += await raiseAmendmentIfExported(ctx, previous, stored);
  }
  await connections.update(
    ctx.store.db,
    connection.tenantId,
    connection.id,
    {
      lastSyncAt: startedAt,
      lastError: report.unreadable.length ? `${report.unreadable.length} order(s) could not be read` : null,
    },
    ctx.now(),
  );
  ctx.logger.info({ connectionId: connection.id, ...report, unreadable: report.unreadable.length }, 'orders ingested');
  return report;
}

/**
 * Another store's orders seen in the approved list, kept so the next poll does not read them again (a brand portal
 * sees every store buying from the brand). Kept with the settings its connector reads (`scope`: the store chosen):
 * choosing another store makes the list void. Only the ids still approved are kept, so it never outgrows the listing.
 */
const otherStoresKey = (connection: Connection): string => `ingest.other-stores:${connection.id}`;

async function knownOrders(ctx: EngineContext, connection: Connection): Promise<KnownOrders> {
  const db = ctx.store.db;
  const saved = (await settings.get(db, connection.tenantId, otherStoresKey(connection))) as
    { scope?: unknown; ids?: unknown } | undefined;
  const ids =
    saved?.scope === ctx.connectors.settingsScope(connection) && Array.isArray(saved.ids)
      ? (saved.ids as string[])
      : [];
  return {
    held: await wholesaleOrders.sourceStamps(db, connection.tenantId, connection.id),
    otherStores: new Set(ids),
  };
}

async function rememberOtherStores(
  ctx: EngineContext,
  connection: Connection,
  before: ReadonlySet<string>,
  seen: readonly string[],
): Promise<void> {
  if (seen.length === before.size && seen.every((id) => before.has(id))) return;
  const value = { scope: ctx.connectors.settingsScope(connection), ids: [...new Set(seen)].sort() };
  await settings.set(ctx.store.db, connection.tenantId, otherStoresKey(connection), value, ctx.now());
}

async function raiseAmendmentIfExported(
  ctx: EngineContext,
  previous: StoredOrder,
  current: StoredOrder,
): Promise<number> {
  const related = await exports.forOrders(ctx.store.db, current.tenantId, [current.id]);
  if (related.length === 0) return 0;
  const changes = diffOrders(previous.document, current.document);
  if (changes.length === 0) return 0;
  const amendment = { orderId: current.id, beforeHash: previous.contentHash, afterHash: current.contentHash, changes };
  return (await amendments.recordIfNew(ctx.store.db, current.tenantId, amendment, ctx.now())) ? 1 : 0;
}
