import { AppError } from '../core/errors.ts';
import type { PointOfSale } from '../core/ports/pos.ts';
import { catalogMirror, connections, exports, leases, type Connection } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';

export interface MirrorSyncReport {
  pages: number;
  entries: number;
  removed: number;
  full: boolean;
  itemsInMirror: number;
}

const pageSize = 1000;

/**
 * How the mirror's codes were computed (`canonicalGtins`). 2: codes read the GS1 way (UPC-E as its UPC-A,
 * an ambiguous 8-digit code under both readings). A connection whose mirror was built otherwise gets one
 * full pass, which rewrites every item's codes, before its next plan.
 */
export const CATALOG_CODES_VERSION = 2;

/** Per store and connection: the incremental pass running in this process, and the one queued after it. */
const passesByStore = new WeakMap<
  object,
  Map<string, { running: Promise<MirrorSyncReport>; next?: Promise<MirrorSyncReport> }>
>();

/**
 * Brings the connection's catalog mirror up to date from the POS change feed. Incremental by default
 * (one API call when nothing changed); `full` re-reads everything and drops items the POS no longer
 * reports (R-Series merges, which the change feed cannot show). The cursor is saved after each page,
 * so a crash re-reads at most one page. One sync per connection at a time, across processes.
 *
 * Concurrent requests in one process share passes: a request that finds an incremental pass running
 * may have come after that pass read the feed, so it waits for the next pass, which every later request
 * joins as well (it starts after all of them). Fifty concurrent applies of one plan cost two reads.
 * (Across processes each request reads: comparing times from two machines' clocks could skip a change.)
 */
export async function syncCatalogMirror(
  ctx: EngineContext,
  connection: Connection,
  pos: PointOfSale,
  options: {
    full?: boolean;
    /** A scheduled full pass: read the change feed instead when a full pass finished less than this long ago. */
    fullUnlessWithinMs?: number;
    unlessFresherThanMs?: number;
  } = {},
): Promise<MirrorSyncReport | null> {
  if (
    options.unlessFresherThanMs !== undefined &&
    !options.full &&
    (await isFresh(ctx, connection, options.unlessFresherThanMs))
  ) {
    return null;
  }
  if (options.full) return runPass(ctx, connection, pos, true, options.fullUnlessWithinMs);
  let passes = passesByStore.get(ctx.store);
  if (!passes) passesByStore.set(ctx.store, (passes = new Map()));
  const shared = passes;
  const current = shared.get(connection.id);
  if (current?.next) return current.next;
  // When a pass settles, the queued one (already chained to start) becomes the running one.
  const settle = (pass: Promise<MirrorSyncReport>): void => {
    const entry = shared.get(connection.id);
    if (entry?.running !== pass) return;
    if (entry.next) shared.set(connection.id, { running: entry.next });
    else shared.delete(connection.id);
  };
  if (!current) {
    const running: Promise<MirrorSyncReport> = runPass(ctx, connection, pos, false).finally(() => settle(running));
    shared.set(connection.id, { running });
    return running;
  }
  const next: Promise<MirrorSyncReport> = current.running
    .catch(() => undefined)
    .then(() => runPass(ctx, connection, pos, false))
    .finally(() => settle(next));
  shared.set(connection.id, { running: current.running, next });
  return next;
}

async function runPass(
  ctx: EngineContext,
  connection: Connection,
  pos: PointOfSale,
  fullRequested: boolean,
  fullUnlessWithinMs?: number,
): Promise<MirrorSyncReport> {
  return leases.withLease(
    ctx.store.db,
    `catalog-sync:${connection.id}`,
    async () => {
      const fresh = await connections.get(ctx.store.db, connection.tenantId, connection.id);
      if (!fresh) throw new AppError('NOT_FOUND', `Connection ${connection.id} not found`);
      const stale = fresh.settings['catalogCodesVersion'] !== CATALOG_CODES_VERSION;
      const lastFull = fresh.settings['lastFullCatalogPassAt'];
      const recentFull =
        fullUnlessWithinMs !== undefined && typeof lastFull === 'number' && ctx.now() - lastFull < fullUnlessWithinMs;
      const full = (fullRequested && !recentFull) || fresh.catalogCursor === null || stale;
      const passStartedAt = ctx.now();
      let cursor = full ? null : fresh.catalogCursor;
      const report: MirrorSyncReport = { pages: 0, entries: 0, removed: 0, full, itemsInMirror: 0 };
      for (;;) {
        const readAt = ctx.now();
        const page = await pos.catalogChanges(cursor, pageSize);
        report.pages++;
        report.entries += page.entries.length;
        report.removed += page.removedIds.length;
        await ctx.store.db.transaction().execute(async (trx) => {
          await catalogMirror.upsertEntries(trx, connection.tenantId, connection.id, page.entries, ctx.now());
          await catalogMirror.removeItems(trx, connection.id, page.removedIds);
          await connections.update(
            trx,
            connection.tenantId,
            connection.id,
            // lastSyncAt: when the read that reached the present began, so a change made before it was seen.
            { catalogCursor: page.nextCursor, ...(page.done ? { lastSyncAt: readAt } : {}) },
            ctx.now(),
          );
        });
        cursor = page.nextCursor;
        if (page.done) break;
      }
      if (full) report.removed += await dropItemsNotSeenSince(ctx, connection.id, passStartedAt);
      if (full || stale) await markFullPass(ctx, connection, passStartedAt);
      report.itemsInMirror = await catalogMirror.count(ctx.store.db, connection.id);
      return report;
    },
    // Renewed every few seconds while the pass runs: a long full pass keeps it, a killed one frees it in 30 s.
    { ttlMs: 30_000, waitMs: 10 * 60_000 },
  );
}

/**
 * Synced moments ago, and after the last POS change we could know of: an export writes to the POS (new
 * items the mirror has not seen), so a mirror read before an export's last activity is stale.
 */
async function isFresh(ctx: EngineContext, connection: Connection, withinMs: number): Promise<boolean> {
  if (
    connection.lastSyncAt === null ||
    connection.catalogCursor === null ||
    connection.settings['catalogCodesVersion'] !== CATALOG_CODES_VERSION ||
    ctx.now() - connection.lastSyncAt >= withinMs
  )
    return false;
  const lastExport = await exports.lastActivityAt(ctx.store.db, connection.tenantId, connection.id);
  return lastExport === null || lastExport < connection.lastSyncAt;
}

/** After a full pass every stored code is computed the current way; the next daily pass may wait a day from it. */
async function markFullPass(ctx: EngineContext, connection: Connection, startedAt: number): Promise<void> {
  const now = await connections.get(ctx.store.db, connection.tenantId, connection.id);
  if (!now) return;
  const settings = { ...now.settings, catalogCodesVersion: CATALOG_CODES_VERSION, lastFullCatalogPassAt: startedAt };
  await connections.update(ctx.store.db, connection.tenantId, connection.id, { settings }, ctx.now());
  connection.settings = settings;
}

async function dropItemsNotSeenSince(ctx: EngineContext, connectionId: string, since: number): Promise<number> {
  const stale = await catalogMirror.idsNotSeenSince(ctx.store.db, connectionId, since);
  await catalogMirror.removeItems(ctx.store.db, connectionId, stale);
  return stale.length;
}
