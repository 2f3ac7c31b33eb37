/**
 * The item-link ledger: for every wholesale variant (by `variantKey`), which POS item Tradeloop links it to, why
 * (its origin and evidence), who made it and when, and every change since. Links are never overwritten: each
 * change is an event appended to the variant's history, so "Confirmed" can always say where it came from, a person
 * can change or forget a link, and the last change can be undone (an undo is itself an event; undoing again walks
 * further back). Pure: the store keeps the events; these functions say what they mean.
 *
 * Likely duplicates and the advice on merging them are in item-duplicates.ts (re-exported here).
 */

export type LinkOrigin = 'upc_match' | 'created_by_export' | 'chosen_by_person' | 'followed_merge';

export const linkOriginLabels: Readonly<Record<LinkOrigin, string>> = {
  upc_match: 'UPC match',
  created_by_export: 'Created by an export',
  chosen_by_person: 'Chosen by a person',
  followed_merge: 'Followed a merge',
};

export type LinkEventKind = 'linked' | 'changed' | 'forgotten' | 'undone';

export interface LinkEvent {
  /** 1, 2, 3… within one variant's history. */
  readonly seq: number;
  readonly variantKey: string;
  readonly kind: LinkEventKind;
  readonly at: string;
  /** A user id, or `tradeloop` for what an export or a followed merge did. */
  readonly by: string;
  /** The link after the event; null once forgotten. */
  readonly posItemId: string | null;
  readonly origin: LinkOrigin | null;
  /** The link before the event, so any event can be read (and undone) on its own. */
  readonly previousPosItemId: string | null;
  readonly previousOrigin: LinkOrigin | null;
  /** In words: "UPC 012345678905 matched item 42", "export of order 3100082 created it". */
  readonly evidence: string | null;
  /** For an undo: the seq of the event it reverted. */
  readonly undoes?: number;
}

export interface ItemLink {
  readonly variantKey: string;
  readonly posItemId: string | null;
  readonly origin: LinkOrigin | null;
  /** The event that made the link what it is. */
  readonly since: string | null;
  readonly by: string | null;
  readonly evidence: string | null;
  /** How many events the history holds. */
  readonly changes: number;
}

/** The link a history comes to (events in seq order). */
export function currentLink(variantKey: string, history: readonly LinkEvent[]): ItemLink {
  const last = history.at(-1);
  return {
    variantKey,
    posItemId: last?.posItemId ?? null,
    origin: last?.origin ?? null,
    since: last?.at ?? null,
    by: last?.by ?? null,
    evidence: last?.evidence ?? null,
    changes: history.length,
  };
}

export interface LinkChange {
  /** The POS item to link to, or null to forget the link. */
  readonly to: string | null;
  readonly origin: LinkOrigin;
  readonly at: string;
  readonly by: string;
  readonly evidence?: string | null;
}

/** The event that records a change, or null when the link already is that (nothing to record). */
export function linkEvent(variantKey: string, history: readonly LinkEvent[], change: LinkChange): LinkEvent | null {
  const now = currentLink(variantKey, history);
  if (now.posItemId === change.to && (change.to === null || now.origin === change.origin)) return null;
  const kind: LinkEventKind = change.to === null ? 'forgotten' : now.posItemId === null ? 'linked' : 'changed';
  return {
    seq: history.length + 1,
    variantKey,
    kind,
    at: change.at,
    by: change.by,
    posItemId: change.to,
    origin: change.to === null ? null : change.origin,
    previousPosItemId: now.posItemId,
    previousOrigin: now.origin,
    evidence: change.evidence ?? null,
  };
}

/** The events still in effect: an undo takes its target out, so a second undo reaches the one before. */
function effective(history: readonly LinkEvent[]): LinkEvent[] {
  const stack: LinkEvent[] = [];
  for (const event of history) {
    if (event.kind === 'undone') {
      const i = stack.findIndex((e) => e.seq === event.undoes);
      if (i >= 0) stack.splice(i, 1);
    } else stack.push(event);
  }
  return stack;
}

/** The event that undoes the last change still in effect, or null when there is none. */
export function undoLastChange(
  variantKey: string,
  history: readonly LinkEvent[],
  at: string,
  by: string,
): LinkEvent | null {
  const target = effective(history).at(-1);
  if (!target) return null;
  const now = currentLink(variantKey, history);
  return {
    seq: history.length + 1,
    variantKey,
    kind: 'undone',
    at,
    by,
    posItemId: target.previousPosItemId,
    origin: target.previousOrigin,
    previousPosItemId: now.posItemId,
    previousOrigin: now.origin,
    evidence: `undid ${target.kind === 'forgotten' ? 'forgetting the link' : `the link to ${target.posItemId}`}`,
    undoes: target.seq,
  };
}

/** A sentence for the ledger page: "Chosen by a person (dana, 2026-11-04): linked to 42 instead of 17". */
export function describeEvent(event: LinkEvent): string {
  const who = `${event.by}, ${event.at.slice(0, 10)}`;
  const origin = event.origin ? linkOriginLabels[event.origin] : 'Forgotten';
  const what =
    event.kind === 'linked'
      ? `linked to ${event.posItemId}`
      : event.kind === 'forgotten'
        ? `link to ${event.previousPosItemId} forgotten`
        : event.kind === 'undone'
          ? `undo: back to ${event.posItemId ?? 'no link'}`
          : `linked to ${event.posItemId} instead of ${event.previousPosItemId}`;
  return `${event.kind === 'forgotten' ? 'Forgotten' : origin} (${who}): ${what}${event.evidence ? ` · ${event.evidence}` : ''}`;
}

export interface CatalogView {
  readonly posItemId: string;
  readonly sku: string | null;
  readonly gtins: readonly string[];
  readonly archived: boolean;
}

/**
 * Where a link goes after the merchant merged its item away (R-Series: the merged item disappears; the kept item
 * takes its details, SKU and barcodes included, reference §8). The one live item that now carries the gone item's
 * SKU, else its barcode; null when none or several do (then a person chooses). `gone` is the item as last seen.
 */
export function mergeSuccessor(gone: CatalogView, live: readonly CatalogView[]): string | null {
  const others = live.filter((i) => i.posItemId !== gone.posItemId && !i.archived);
  const sku = gone.sku?.trim().toLowerCase();
  const bySku = sku ? others.filter((i) => i.sku?.trim().toLowerCase() === sku) : [];
  if (bySku.length === 1) return (bySku[0] as CatalogView).posItemId;
  if (bySku.length > 1) return null;
  const byGtin = others.filter((i) => i.gtins.some((g) => gone.gtins.includes(g)));
  return byGtin.length === 1 ? (byGtin[0] as CatalogView).posItemId : null;
}

export {
  findLikelyDuplicates,
  mergeAdvice,
  type DuplicateCandidate,
  type DuplicatePos,
  type LikelyDuplicate,
  type MergeAdvice,
  type MergeDirection,
} from './item-duplicates.ts';
