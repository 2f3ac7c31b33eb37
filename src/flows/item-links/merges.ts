import { invalidInput } from '../../core/errors.ts';
import {
  findLikelyDuplicates,
  mergeSuccessor,
  type DuplicateCandidate,
  type DuplicatePos,
  type LikelyDuplicate,
} from '../../core/item-links.ts';
import { normaliseKeyPart } from '../../core/pos-catalog.ts';
import { catalogMirror, itemLinks, type Connection } from '../../store/repos/index.ts';
import type { MirrorItem } from '../../store/repos/item-links.ts';
import { syncCatalogMirror } from '../catalog-mirror.ts';
import type { EngineContext } from '../engine-context.ts';
import { requirePosConnection } from '../plan-export.ts';
import { recordLinkChanges, type LinkChangeRequest } from './ledger.ts';

/**
 * Likely duplicates (an item an export created beside the merchant's own item for the same size) with the merge
 * advice (core/item-duplicates.ts), and following a merge the merchant made in the POS: the link moves to the kept
 * item. Where the POS has no merge (its manifest offers no `itemMerge`; X-Series), the equivalent: relink to the merchant's item, then deactivate the
 * duplicate in the POS.
 */

/** What the connection's POS offers against a duplicate, as its manifest says. */
function duplicatePos(ctx: EngineContext, c: Connection): DuplicatePos {
  const manifest = ctx.connectors.manifest(c.system);
  return {
    system: c.system,
    label: ctx.connectors.labels(c.system).shortLabel,
    appName: manifest?.appName ?? 'the POS',
    merge: manifest?.itemMerge ?? null,
  };
}

const keyParts = (variantKey: string): string[] => variantKey.split('|').map((p) => decodeURIComponent(p));

/**
 * Whether a merchant's item reads as this style, colour and size: its SKU and name together mention the style
 * number and the colour, and the size as a word of its own ("1042-NAVY-M", "Harbor Tee 1042 Navy M"). The mirror
 * keeps no style/colour/size of the merchant's items, so this is how they are read.
 */
function readsAs(item: MirrorItem, style: string, color: string, size: string): boolean {
  const text = normaliseKeyPart(`${item.sku ?? ''} ${item.name}`);
  const words = new Set(text.split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  return text.includes(style) && text.includes(color) && words.has(size);
}

export interface DuplicateEntry extends LikelyDuplicate {
  /** The sizes whose links point at Tradeloop's item. */
  variantKeys: string[];
}

/** The connection's likely duplicates, each with both merge directions (or the relink) in plain words. */
export async function likelyDuplicates(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
): Promise<{ system: string; canMerge: boolean; duplicates: DuplicateEntry[] }> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  await syncCatalogMirror(ctx, connection, await ctx.connectors.pointOfSale(connection));
  const created = await itemLinks.withOrigin(ctx.store.db, tenantId, connection.id, 'created_by_export');
  const ourEntries = await catalogMirror.getByIds(
    ctx.store.db,
    connection.id,
    created.map((l) => l.posItemId),
  );
  const byId = new Map(ourEntries.map((e) => [e.posItemId, e]));
  const keysOf = new Map<string, string[]>();
  const ours: DuplicateCandidate[] = [];
  for (const link of created) {
    const entry = byId.get(link.posItemId);
    if (!entry) continue;
    keysOf.set(link.posItemId, [...(keysOf.get(link.posItemId) ?? []), link.variantKey]);
    if (keysOf.get(link.posItemId)!.length > 1) continue;
    const [, style = '', color = '', size = ''] = keyParts(link.variantKey);
    ours.push({
      posItemId: entry.posItemId,
      name: entry.name,
      sku: entry.sku,
      gtins: entry.gtins,
      archived: entry.archived,
      createdByTradeloop: true,
      styleNumber: style,
      color,
      size,
    });
  }
  const ourIds = new Set(ours.map((o) => o.posItemId));
  const mentioned = await itemLinks.mirrorItemsMentioning(
    ctx.store.db,
    connection.id,
    ours.map((o) => o.styleNumber ?? ''),
  );
  const theirs: DuplicateCandidate[] = mentioned
    .filter((item) => !ourIds.has(item.posItemId))
    .map((item) => {
      const same = ours.find((o) => readsAs(item, o.styleNumber ?? '', o.color ?? '', o.size ?? ''));
      return {
        posItemId: item.posItemId,
        name: item.name,
        sku: item.sku,
        gtins: item.gtins,
        archived: item.archived,
        createdByTradeloop: false,
        styleNumber: same?.styleNumber ?? null,
        color: same?.color ?? null,
        size: same?.size ?? null,
      };
    });
  const pos = duplicatePos(ctx, connection);
  return {
    system: pos.system,
    canMerge: pos.merge !== null,
    duplicates: findLikelyDuplicates([...ours, ...theirs], pos).map((d) => ({
      ...d,
      variantKeys: keysOf.get(d.ours.posItemId) ?? [],
    })),
  };
}

export interface FollowedMerge {
  variantKey: string;
  from: string;
  to: string | null;
  /** Why it was or was not followed, in words. */
  note: string;
}

/**
 * After the merchant merged items in the POS: one full read of the catalog (a merge is not in R-Series' change
 * feed), then every link whose item disappeared moves to the live item that now carries its SKU, else its barcode
 * (core mergeSuccessor); a link with no single such item is left for a person and listed.
 */
export async function followMerges(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
): Promise<{ followed: FollowedMerge[]; unresolved: FollowedMerge[] }> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  const before = await itemLinks.linksWithItems(ctx.store.db, tenantId, connection.id);
  await syncCatalogMirror(ctx, connection, await ctx.connectors.pointOfSale(connection), { full: true });
  const present = new Set(
    (
      await catalogMirror.getByIds(
        ctx.store.db,
        connection.id,
        before.map((l) => l.posItemId),
      )
    ).map((e) => e.posItemId),
  );
  const followed: FollowedMerge[] = [];
  const unresolved: FollowedMerge[] = [];
  const changes: LinkChangeRequest[] = [];
  for (const link of before) {
    if (present.has(link.posItemId) || !link.item) continue;
    const gone = link.item;
    const live = await itemLinks.mirrorItemsBySkuOrGtin(
      ctx.store.db,
      connection.id,
      gone.sku ? [gone.sku] : [],
      gone.gtins,
    );
    const to = mergeSuccessor(gone, live);
    if (to === null) {
      unresolved.push({
        variantKey: link.variantKey,
        from: gone.posItemId,
        to: null,
        note: `item ${gone.posItemId} is gone from the POS and no single live item carries its SKU or barcode: choose its item in the ledger`,
      });
      continue;
    }
    const note = `item ${gone.posItemId} was merged into ${to} in the POS (${to} now carries its ${gone.sku && live.some((i) => i.posItemId === to && i.sku?.toLowerCase() === gone.sku?.toLowerCase()) ? `SKU ${gone.sku}` : 'barcode'})`;
    followed.push({ variantKey: link.variantKey, from: gone.posItemId, to, note });
    changes.push({ variantKey: link.variantKey, to, origin: 'followed_merge', by: 'tradeloop', evidence: note });
  }
  await ctx.store.db
    .transaction()
    .execute((trx) => recordLinkChanges(trx, tenantId, connection.id, changes, ctx.now()));
  return { followed, unresolved };
}

/**
 * Where the POS cannot merge (X-Series): every size linked to Tradeloop's duplicate is linked to the merchant's
 * item instead (chosen by a person, with the history kept); the person then deactivates the duplicate in the POS.
 */
export async function relinkDuplicate(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  input: { ours: string; theirs: string; by: string },
): Promise<{ relinked: string[] }> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  const [target] = await catalogMirror.getByIds(ctx.store.db, connection.id, [input.theirs]);
  if (!target || target.archived)
    throw invalidInput(`theirs: ${input.theirs} is not a live item of ${connection.name}`, { field: 'theirs' });
  const linked = await itemLinks.linkedTo(ctx.store.db, tenantId, connection.id, [input.ours]);
  if (linked.length === 0)
    throw invalidInput(`ours: no size is linked to item ${input.ours} on ${connection.name}`, { field: 'ours' });
  const changes: LinkChangeRequest[] = linked.map((l) => ({
    variantKey: l.variantKey,
    to: input.theirs,
    origin: 'chosen_by_person',
    by: input.by,
    evidence: `relinked from the duplicate ${input.ours} to the merchant's item ${input.theirs}; deactivate ${input.ours} in the POS`,
  }));
  await ctx.store.db
    .transaction()
    .execute((trx) => recordLinkChanges(trx, tenantId, connection.id, changes, ctx.now()));
  return { relinked: linked.map((l) => l.variantKey) };
}
