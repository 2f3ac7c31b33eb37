/**
 * What a plan read from the POS (its evidence), recorded as the decisions ask, fingerprinted, re-asked of a
 * fresh catalog before apply, and compared (drift).
 */
import { hashCanonical } from './canonical.ts';
import type { CatalogLookup, PosCatalogEntry } from './pos-catalog.ts';
import type { Candidate, EvidenceItem, PlanEvidence } from './plan-types.ts';
import { compareText } from './wholesale-order.ts';

const NONE: readonly PosCatalogEntry[] = Object.freeze([]);

/** Records every answer the catalog gives, so the evidence is exactly what the decisions used. */
export class EvidenceRecorder {
  readonly gtins = new Map<string, readonly PosCatalogEntry[]>();
  readonly items = new Map<string, PosCatalogEntry | null>();
  /** Every entry a GTIN answer held, by POS item id (the first seen wins, as a scan in answer order would). */
  private readonly fromGtins = new Map<string, PosCatalogEntry>();
  private readonly catalog: CatalogLookup;

  constructor(catalog: CatalogLookup) {
    this.catalog = catalog;
  }

  byGtin(gtin14: string): readonly PosCatalogEntry[] {
    let found = this.gtins.get(gtin14);
    if (found === undefined) {
      const answer = this.catalog.byGtin(gtin14);
      if (answer.length <= 1) found = answer.length === 0 ? NONE : [answer[0]!];
      else {
        const unique = new Map<string, PosCatalogEntry>();
        for (const e of answer) if (!unique.has(e.posItemId)) unique.set(e.posItemId, e);
        found = [...unique.values()].sort((a, b) => compareText(a.posItemId, b.posItemId));
      }
      this.gtins.set(gtin14, found);
      for (const e of found) if (!this.fromGtins.has(e.posItemId)) this.fromGtins.set(e.posItemId, e);
    }
    return found;
  }

  byId(posItemId: string): PosCatalogEntry | null {
    let found = this.items.get(posItemId);
    if (found === undefined) {
      found = this.catalog.byId(posItemId) ?? null;
      this.items.set(posItemId, found);
    }
    return found;
  }

  /** Any entry seen so far, for parent ids of matched items. */
  known(posItemId: string): PosCatalogEntry | undefined {
    const direct = this.items.get(posItemId);
    if (direct) return direct;
    return this.fromGtins.get(posItemId);
  }

  evidence(): PlanEvidence {
    return {
      gtins: [...this.gtins.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([gtin14, list]) => ({ gtin14, candidates: list.map(evidenceItem) })),
      items: [...this.items.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([posItemId, e]) => ({ posItemId, item: e === null ? null : evidenceItem(e) })),
    };
  }
}

function evidenceItem(e: PosCatalogEntry): EvidenceItem {
  return { posItemId: e.posItemId, parentId: e.parentId, archived: e.archived, version: e.version };
}

export function candidate(e: PosCatalogEntry): Candidate {
  return { posItemId: e.posItemId, parentId: e.parentId, name: e.name, sku: e.sku, archived: e.archived };
}

// ---------------------------------------------------------------------------------------------------
// Fingerprint and drift

/** sha256 of the canonical evidence: equal iff the evidence is equal. */
export function evidenceFingerprint(evidence: PlanEvidence): string {
  return hashCanonical({ v: 1, evidence: normaliseEvidence(evidence) });
}

/** Sorts both lists (and candidates), so hand-built or deserialised evidence hashes like a planned one. */
function normaliseEvidence(e: PlanEvidence): PlanEvidence {
  return {
    gtins: [...e.gtins]
      .sort((a, b) => compareText(a.gtin14, b.gtin14))
      .map((g) => ({
        gtin14: g.gtin14,
        candidates: [...g.candidates].sort((a, b) => compareText(a.posItemId, b.posItemId)).map(cleanItem),
      })),
    items: [...e.items]
      .sort((a, b) => compareText(a.posItemId, b.posItemId))
      .map((i) => ({ posItemId: i.posItemId, item: i.item === null ? null : cleanItem(i.item) })),
  };
}

const cleanItem = (i: EvidenceItem): EvidenceItem => ({
  posItemId: i.posItemId,
  parentId: i.parentId,
  archived: i.archived,
  version: i.version,
});

/** The same lookups as `old`, answered by a fresh catalog: compare fingerprints to detect drift before apply. */
export function refreshEvidence(old: PlanEvidence, catalog: CatalogLookup): PlanEvidence {
  const recorder = new EvidenceRecorder(catalog);
  for (const g of old.gtins) recorder.byGtin(g.gtin14);
  for (const i of old.items) recorder.byId(i.posItemId);
  return recorder.evidence();
}

export type EvidenceChange =
  | { kind: 'gtin_item_added'; gtin14: string; posItemId: string; archived: boolean }
  | { kind: 'gtin_item_removed'; gtin14: string; posItemId: string }
  | { kind: 'item_archived'; posItemId: string }
  | { kind: 'item_unarchived'; posItemId: string }
  | { kind: 'item_removed'; posItemId: string }
  | { kind: 'item_appeared'; posItemId: string }
  | { kind: 'version_changed'; posItemId: string; before: string; after: string }
  | { kind: 'parent_changed'; posItemId: string; before: string | null; after: string | null }
  /** The plans looked up different things (the orders or overrides changed, not the POS). */
  | { kind: 'lookup_added'; gtin14?: string; posItemId?: string }
  | { kind: 'lookup_dropped'; gtin14?: string; posItemId?: string };

/**
 * What changed between two evidences, for the PLAN_DRIFTED answer. Empty iff the fingerprints are
 * equal. Per-item changes (archived, version, parent) are listed once per item.
 */
export function diffEvidence(oldEvidence: PlanEvidence, newEvidence: PlanEvidence): EvidenceChange[] {
  const a = normaliseEvidence(oldEvidence);
  const b = normaliseEvidence(newEvidence);
  const changes: EvidenceChange[] = [];
  const seen = new Set<string>();
  const push = (c: EvidenceChange) => {
    const k = JSON.stringify(c);
    if (!seen.has(k)) {
      seen.add(k);
      changes.push(c);
    }
  };
  const compareItems = (x: EvidenceItem, y: EvidenceItem) => {
    if (x.archived !== y.archived)
      push({ kind: x.archived ? 'item_unarchived' : 'item_archived', posItemId: x.posItemId });
    if (x.parentId !== y.parentId)
      push({ kind: 'parent_changed', posItemId: x.posItemId, before: x.parentId, after: y.parentId });
    if (x.version !== y.version)
      push({ kind: 'version_changed', posItemId: x.posItemId, before: x.version, after: y.version });
  };

  const newGtins = new Map(b.gtins.map((g) => [g.gtin14, g.candidates]));
  const oldGtins = new Map(a.gtins.map((g) => [g.gtin14, g.candidates]));
  for (const [gtin14, before] of oldGtins) {
    const after = newGtins.get(gtin14);
    if (after === undefined) {
      push({ kind: 'lookup_dropped', gtin14 });
      continue;
    }
    const afterById = new Map(after.map((c) => [c.posItemId, c]));
    for (const x of before) {
      const y = afterById.get(x.posItemId);
      if (y === undefined) push({ kind: 'gtin_item_removed', gtin14, posItemId: x.posItemId });
      else compareItems(x, y);
    }
    const beforeIds = new Set(before.map((c) => c.posItemId));
    for (const y of after)
      if (!beforeIds.has(y.posItemId))
        push({ kind: 'gtin_item_added', gtin14, posItemId: y.posItemId, archived: y.archived });
  }
  for (const gtin14 of newGtins.keys()) if (!oldGtins.has(gtin14)) push({ kind: 'lookup_added', gtin14 });

  const newItems = new Map(b.items.map((i) => [i.posItemId, i.item]));
  const oldItems = new Map(a.items.map((i) => [i.posItemId, i.item]));
  for (const [posItemId, before] of oldItems) {
    if (!newItems.has(posItemId)) {
      push({ kind: 'lookup_dropped', posItemId });
      continue;
    }
    const after = newItems.get(posItemId) ?? null;
    if (before !== null && after === null) push({ kind: 'item_removed', posItemId });
    else if (before === null && after !== null) push({ kind: 'item_appeared', posItemId });
    else if (before !== null && after !== null) compareItems(before, after);
  }
  for (const posItemId of newItems.keys()) if (!oldItems.has(posItemId)) push({ kind: 'lookup_added', posItemId });
  return changes;
}
