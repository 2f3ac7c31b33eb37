import { conflict, invalidInput, notFound, type AppError } from '../../core/errors.ts';
import {
  currentLink,
  describeEvent,
  linkEvent,
  linkOriginLabels,
  undoLastChange,
  type LinkEvent,
  type LinkOrigin,
} from '../../core/item-links.ts';
import { normaliseKeyPart } from '../../core/pos-catalog.ts';
import type { Db } from '../../store/db.ts';
import { catalogMirror, itemLinks, type Connection } from '../../store/repos/index.ts';
import type { StoredLinkEvent } from '../../store/repos/item-links.ts';
import { syncCatalogMirror } from '../catalog-mirror.ts';
import type { EngineContext } from '../engine-context.ts';
import { brandOf, requireBrand } from '../forecast.ts';
import { requirePosConnection } from '../plan-export.ts';

/**
 * The item-link ledger over the store: every change to a link is an event (core/item-links.ts decides what it
 * means), written in the same transaction as the current link plans read. Who: a user id, or `tradeloop` for what
 * an export or a followed merge did.
 */

export interface LinkChangeRequest {
  variantKey: string;
  /** The POS item, or null to forget the link. */
  to: string | null;
  origin: LinkOrigin;
  by: string;
  evidence?: string | null;
}

const toCore = (e: StoredLinkEvent): LinkEvent => ({
  seq: e.seq,
  variantKey: e.variantKey,
  kind: e.kind,
  at: new Date(e.at).toISOString(),
  by: e.by,
  posItemId: e.posItemId,
  origin: e.origin as LinkOrigin | null,
  previousPosItemId: e.previousPosItemId,
  previousOrigin: e.previousOrigin as LinkOrigin | null,
  evidence: e.evidence,
  ...(e.undoes === null ? {} : { undoes: e.undoes }),
});

const toStored = (e: LinkEvent): StoredLinkEvent => ({
  variantKey: e.variantKey,
  seq: e.seq,
  kind: e.kind,
  at: Date.parse(e.at),
  by: e.by,
  posItemId: e.posItemId,
  origin: e.origin,
  previousPosItemId: e.previousPosItemId,
  previousOrigin: e.previousOrigin,
  evidence: e.evidence,
  undoes: e.undoes ?? null,
});

/**
 * Records link changes (an export's links, a person's choice, a followed merge); a change that leaves the link as
 * it is records nothing. Call inside the transaction that makes the change true.
 */
export async function recordLinkChanges(
  db: Db,
  tenantId: string,
  connectionId: string,
  changes: readonly LinkChangeRequest[],
  now: number,
): Promise<LinkEvent[]> {
  const histories = await itemLinks.historyFor(
    db,
    tenantId,
    connectionId,
    changes.map((c) => c.variantKey),
  );
  const at = new Date(now).toISOString();
  const written: LinkEvent[] = [];
  for (const change of changes) {
    const history = (histories.get(change.variantKey) ?? []).map(toCore);
    const event = linkEvent(change.variantKey, history, {
      to: change.to,
      origin: change.origin,
      at,
      by: change.by,
      evidence: change.evidence ?? null,
    });
    if (!event) continue;
    histories.set(change.variantKey, [...(histories.get(change.variantKey) ?? []), toStored(event)]);
    written.push(event);
  }
  await itemLinks.appendEvents(db, tenantId, connectionId, written.map(toStored));
  return written;
}

export interface LinkHistoryView {
  variantKey: string;
  link: ReturnType<typeof currentLink> & { originLabel: string | null };
  events: Array<LinkEvent & { sentence: string }>;
}

async function historyOf(db: Db, connection: Connection, variantKey: string): Promise<LinkEvent[]> {
  const found = await itemLinks.historyFor(db, connection.tenantId, connection.id, [variantKey]);
  return (found.get(variantKey) ?? []).map(toCore);
}

function view(variantKey: string, history: LinkEvent[]): LinkHistoryView {
  const link = currentLink(variantKey, history);
  return {
    variantKey,
    link: { ...link, originLabel: link.origin ? linkOriginLabels[link.origin] : null },
    events: history.map((e) => ({ ...e, sentence: describeEvent(e) })),
  };
}

/** One size's link and its whole history (404 when the ledger never held it). */
export async function linkHistory(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  variantKey: string,
): Promise<LinkHistoryView> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  const history = await historyOf(ctx.store.db, connection, variantKey);
  if (history.length === 0) throw noLink(variantKey);
  return view(variantKey, history);
}

const noLink = (variantKey: string): AppError => notFound('Item link of', variantKey);

/**
 * A person changes a link to another POS item (a live item of the mirror) or forgets it (`to` null). The history
 * keeps the old link; undo brings it back.
 */
export async function changeLink(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  input: { variantKey: string; to: string | null; by: string },
): Promise<LinkHistoryView> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  if (input.to !== null) {
    // An item added in the POS seconds ago is known: read the change feed first, as a plan a person asks for does.
    await syncCatalogMirror(ctx, connection, await ctx.connectors.pointOfSale(connection));
    const [item] = await catalogMirror.getByIds(ctx.store.db, connection.id, [input.to]);
    if (!item || item.archived)
      throw invalidInput(
        `posItemId: ${input.to} is not a live item of ${connection.name} (search the catalog for the item's id)`,
        { field: 'posItemId' },
      );
  }
  return ctx.store.db.transaction().execute(async (trx) => {
    const before = await historyOf(trx, connection, input.variantKey);
    if (before.length === 0) throw noLink(input.variantKey);
    await recordLinkChanges(
      trx,
      tenantId,
      connection.id,
      [
        {
          variantKey: input.variantKey,
          to: input.to,
          origin: 'chosen_by_person',
          by: input.by,
          evidence: input.to === null ? 'forgotten in the ledger' : 'chosen in the ledger',
        },
      ],
      ctx.now(),
    );
    return view(input.variantKey, await historyOf(trx, connection, input.variantKey));
  });
}

/** Undoes the last change still in effect (an undo is an event too; undoing again walks further back). */
export async function undoLink(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  input: { variantKey: string; by: string },
): Promise<LinkHistoryView> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  return ctx.store.db.transaction().execute(async (trx) => {
    const history = await historyOf(trx, connection, input.variantKey);
    if (history.length === 0) throw noLink(input.variantKey);
    const event = undoLastChange(input.variantKey, history, new Date(ctx.now()).toISOString(), input.by);
    if (!event) throw conflict('NOTHING_TO_UNDO', `The link of ${input.variantKey} has no change left to undo`);
    await itemLinks.appendEvents(trx, tenantId, connection.id, [toStored(event)]);
    return view(input.variantKey, [...history, event]);
  });
}

export interface LinkListItem {
  variantKey: string;
  /** brand, style, colour, size read back from the key. */
  parts: { brand: string; style: string; color: string; size: string };
  posItemId: string;
  origin: LinkOrigin | null;
  originLabel: string | null;
  since: number;
  item: { name: string | null; sku: string | null; archived: boolean | null };
  changes: number;
}

/** The key part a brand's variant keys start with (core/pos-catalog.ts variantKey). */
export function brandKeyPart(brandSourceId: string): string {
  return encodeURIComponent(normaliseKeyPart(brandSourceId));
}

/** A page of the connection's links, of one brand (a NuORDER connection id) and/or matching a search. */
export async function listLinks(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  options: { brandId?: string; search?: string; limit: number; offset: number },
): Promise<{ links: LinkListItem[]; total: number; brand: { id: string; name: string } | null }> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  const brand = options.brandId ? await requireBrand(ctx, tenantId, options.brandId) : null;
  const page = await itemLinks.list(ctx.store.db, tenantId, connection.id, {
    ...(brand ? { brandPrefix: brandKeyPart(brandOf(brand).sourceId) } : {}),
    ...(options.search ? { search: options.search } : {}),
    limit: options.limit,
    offset: options.offset,
  });
  return {
    total: page.total,
    brand: brand ? { id: brand.id, name: brandOf(brand).name } : null,
    links: page.links.map((l) => {
      const [b = '', style = '', color = '', size = ''] = l.variantKey.split('|').map(decodeURIComponent);
      const origin = l.origin as LinkOrigin | null;
      return {
        variantKey: l.variantKey,
        parts: { brand: b, style, color, size },
        posItemId: l.posItemId,
        origin,
        originLabel: origin ? linkOriginLabels[origin] : null,
        since: l.updatedAt,
        item: { name: l.itemName, sku: l.itemSku, archived: l.itemArchived },
        changes: l.changes,
      };
    }),
  };
}
