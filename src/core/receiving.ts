/**
 * Receiving against a shipment: a scan session. Staff scan barcodes (a keyboard-wedge scanner types the code and
 * Enter) or type quantities; each scan finds its line by any form of the code (UPC-A, EAN-13, GTIN-14 and UPC-E
 * are one GTIN, gtin.ts `readGtin`), or by a SKU typed exactly. What the session refuses is never added silently:
 * a unit beyond what is expected is flagged and left out until a person accepts it, a code no line has is flagged
 * (saying why when the code itself is not a product's, gs1-prefix `matchability`). The result is per-item
 * quantities to commit, as this session's units and as the running totals, so a retried commit can write totals
 * and land once. Partial receipts leave the rest open.
 */
import { matchability } from './gs1-prefix.ts';
import { readGtin } from './gtin.ts';

export interface ExpectedItem {
  /** What the commit writes to: the POS item id. Items with the same key are merged. */
  readonly key: string;
  readonly label: string;
  /** Codes staff may scan: the brand's UPC, the POS item's barcodes and SKUs. */
  readonly codes: readonly string[];
  /** Units this shipment is expected to bring. */
  readonly expected: number;
  /** Units received before this session (a partial receipt earlier): shown, never counted again. */
  readonly alreadyReceived?: number;
}

export type ScanOutcome =
  | { readonly kind: 'matched'; readonly key: string; readonly count: number; readonly expected: number }
  /** Not added: that many more would pass what is expected. */
  | {
      readonly kind: 'over';
      readonly key: string;
      readonly count: number;
      readonly expected: number;
      readonly attempted: number;
    }
  | { readonly kind: 'unknown'; readonly code: string; readonly message: string }
  | { readonly kind: 'ambiguous'; readonly code: string; readonly keys: readonly string[]; readonly message: string }
  | { readonly kind: 'unreadable'; readonly code: string; readonly message: string };

export interface SessionEvent {
  readonly seq: number;
  /** What the person did: a scan (units), a typed count, an accepted over-receipt. */
  readonly action: 'scan' | 'set' | 'accept_over';
  readonly input: string;
  readonly outcome: ScanOutcome;
  /** The count of the line before the event, so the event can be undone. */
  readonly before: { readonly key: string; readonly count: number; readonly over: number } | null;
}

export interface ReceivingSession {
  readonly items: readonly ExpectedItem[];
  readonly counts: Readonly<Record<string, number>>;
  /** Units past the expected that a person accepted (counted, and flagged in the result). */
  readonly acceptedOver: Readonly<Record<string, number>>;
  readonly events: readonly SessionEvent[];
}

function mergeItems(items: readonly ExpectedItem[]): ExpectedItem[] {
  const byKey = new Map<string, ExpectedItem>();
  for (const item of items) {
    const seen = byKey.get(item.key);
    byKey.set(
      item.key,
      seen === undefined
        ? item
        : {
            ...seen,
            codes: [...new Set([...seen.codes, ...item.codes])],
            expected: seen.expected + item.expected,
            alreadyReceived: (seen.alreadyReceived ?? 0) + (item.alreadyReceived ?? 0),
          },
    );
  }
  return [...byKey.values()];
}

/** The keys a code is found under: its GTIN-14 (and other readings), and the text itself for SKUs. */
function lookupKeys(code: string): string[] {
  const keys = [`t:${code.trim().toUpperCase()}`];
  const read = readGtin(code);
  if (read.ok) keys.push(`g:${read.gtin14}`, ...read.alternatives.map((a) => `g:${a.gtin14}`));
  return keys;
}

function indexOf(items: readonly ExpectedItem[]): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>();
  for (const item of items)
    for (const code of item.codes)
      for (const k of lookupKeys(code)) {
        const set = index.get(k) ?? new Set<string>();
        set.add(item.key);
        index.set(k, set);
      }
  return index;
}

export function startSession(items: readonly ExpectedItem[]): ReceivingSession {
  const merged = mergeItems(items);
  return { items: merged, counts: Object.fromEntries(merged.map((i) => [i.key, 0])), acceptedOver: {}, events: [] };
}

/** The line a scanned code belongs to, or why none. */
export function findLine(session: ReceivingSession, code: string): { key: string } | ScanOutcome {
  const trimmed = code.trim();
  if (trimmed === '') return { kind: 'unreadable', code, message: 'Nothing was scanned' };
  const index = indexOf(session.items);
  const keys = new Set<string>();
  for (const k of lookupKeys(trimmed)) for (const key of index.get(k) ?? []) keys.add(key);
  if (keys.size === 1) return { key: [...keys][0] as string };
  if (keys.size > 1)
    return {
      kind: 'ambiguous',
      code: trimmed,
      keys: [...keys],
      message: `${trimmed} is on ${keys.size} lines of this shipment; type the quantity on the right line`,
    };
  // A readable product code, or a typed SKU, is simply not on this shipment; other codes say what they are.
  const m = matchability(trimmed);
  const message =
    m.matchable || m.reason === 'not_numeric' ? `${trimmed}: no line of this shipment has this code` : m.message;
  return { kind: 'unknown', code: trimmed, message };
}

function itemOf(session: ReceivingSession, key: string): ExpectedItem {
  const item = session.items.find((i) => i.key === key);
  if (!item) throw new RangeError(`no line ${key} in this receiving session`);
  return item;
}

function record(
  session: ReceivingSession,
  action: SessionEvent['action'],
  input: string,
  outcome: ScanOutcome,
  change?: { key: string; count: number; over?: number },
): ReceivingSession {
  const before = change
    ? { key: change.key, count: session.counts[change.key] ?? 0, over: session.acceptedOver[change.key] ?? 0 }
    : null;
  const event: SessionEvent = { seq: session.events.length + 1, action, input, outcome, before };
  return {
    ...session,
    counts: change ? { ...session.counts, [change.key]: change.count } : session.counts,
    acceptedOver:
      change?.over !== undefined ? { ...session.acceptedOver, [change.key]: change.over } : session.acceptedOver,
    events: [...session.events, event],
  };
}

/** The most a line may count without a person accepting more. */
function ceiling(session: ReceivingSession, key: string): number {
  return itemOf(session, key).expected + (session.acceptedOver[key] ?? 0);
}

/** One scan (or `units` of the same code, when staff type a multiplier). */
export function scan(
  session: ReceivingSession,
  code: string,
  units = 1,
): { session: ReceivingSession; outcome: ScanOutcome } {
  if (!Number.isInteger(units) || units < 1) throw new RangeError(`units must be a whole number above 0, got ${units}`);
  const found = findLine(session, code);
  if ('kind' in found) return { session: record(session, 'scan', code, found), outcome: found };
  const key = found.key;
  const count = (session.counts[key] ?? 0) + units;
  const expected = itemOf(session, key).expected;
  const outcome: ScanOutcome =
    count > ceiling(session, key)
      ? { kind: 'over', key, count: session.counts[key] ?? 0, expected, attempted: units }
      : { kind: 'matched', key, count, expected };
  const change = outcome.kind === 'matched' ? { key, count } : undefined;
  return { session: record(session, 'scan', code, outcome, change), outcome };
}

/** A typed quantity for a line (replaces its count). Above what is expected is flagged, not taken. */
export function setCount(
  session: ReceivingSession,
  key: string,
  count: number,
): { session: ReceivingSession; outcome: ScanOutcome } {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`a count is a whole number, got ${count}`);
  const expected = itemOf(session, key).expected;
  const current = session.counts[key] ?? 0;
  const outcome: ScanOutcome =
    count > ceiling(session, key)
      ? { kind: 'over', key, count: current, expected, attempted: count - current }
      : { kind: 'matched', key, count, expected };
  const change = outcome.kind === 'matched' ? { key, count } : undefined;
  return { session: record(session, 'set', String(count), outcome, change), outcome };
}

/** A person accepts `units` more than expected on a line (they arrived; the brand sent too many). */
export function acceptOver(session: ReceivingSession, key: string, units: number): ReceivingSession {
  if (!Number.isInteger(units) || units < 1) throw new RangeError(`units must be a whole number above 0, got ${units}`);
  const item = itemOf(session, key);
  const over = (session.acceptedOver[key] ?? 0) + units;
  const count = (session.counts[key] ?? 0) + units;
  const outcome: ScanOutcome = { kind: 'matched', key, count, expected: item.expected };
  return record(session, 'accept_over', String(units), outcome, { key, count, over });
}

/** Undoes the last event that changed a count (a flagged scan changed nothing and is dropped too). */
export function undoLast(session: ReceivingSession): ReceivingSession {
  const last = session.events.at(-1);
  if (!last) return session;
  const events = session.events.slice(0, -1);
  if (!last.before) return { ...session, events };
  const { key, count, over } = last.before;
  return {
    ...session,
    counts: { ...session.counts, [key]: count },
    acceptedOver: { ...session.acceptedOver, [key]: over },
    events,
  };
}

export interface ReceivedLine {
  readonly key: string;
  readonly label: string;
  readonly expected: number;
  readonly received: number;
  readonly remaining: number;
  /** Units a person accepted beyond what was expected. */
  readonly over: number;
  readonly alreadyReceived: number;
}

export interface ReceivingResult {
  readonly lines: readonly ReceivedLine[];
  /** Per POS item: this session's units and the running total to write (a retry writes the same total). */
  readonly toCommit: ReadonlyArray<{ readonly key: string; readonly quantity: number; readonly total: number }>;
  /** Every flagged scan, in order: what staff should look at before committing. */
  readonly flags: readonly ScanOutcome[];
  /** Every expected unit arrived. */
  readonly complete: boolean;
}

export function sessionResult(session: ReceivingSession): ReceivingResult {
  const lines = session.items.map((item) => {
    const received = session.counts[item.key] ?? 0;
    return {
      key: item.key,
      label: item.label,
      expected: item.expected,
      received,
      remaining: Math.max(0, item.expected - received),
      over: session.acceptedOver[item.key] ?? 0,
      alreadyReceived: item.alreadyReceived ?? 0,
    };
  });
  return {
    lines,
    toCommit: lines
      .filter((l) => l.received > 0)
      .map((l) => ({ key: l.key, quantity: l.received, total: l.alreadyReceived + l.received })),
    flags: session.events.map((e) => e.outcome).filter((o) => o.kind !== 'matched'),
    complete: lines.every((l) => l.remaining === 0),
  };
}
