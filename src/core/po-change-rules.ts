/**
 * How a POS's purchase orders take changes after the export, per stage: the description a POS connector's manifest
 * gives (`poChanges`) and the amendment planner reads (amendment-plan.ts), so a new POS brings its own rules rather
 * than falling into another's. The two Lightspeed descriptions live here, beside the planner, as the variant shapes
 * do (variant-shape.ts): the core tests read them without reaching into a connector.
 */

/** Where the PO is in its life, whatever the POS calls it. */
export type PoStage = 'draft' | 'ordered' | 'receiving' | 'received' | 'closed' | 'cancelled' | 'unknown';

export interface PoChangeRules {
  /** The POS's short name, for messages (`X-Series`). */
  readonly label: string;
  /** Its PO status words by stage (read as written, else upper or lower case). */
  readonly statuses: Readonly<Record<string, PoStage>>;
  /**
   * The stages that take changes: `all`, or `no_counts_or_removals` (lines may be added and costs changed, but no
   * count changes and no line goes). A stage not listed takes none.
   */
  readonly open: Readonly<Partial<Record<PoStage, 'all' | 'no_counts_or_removals'>>>;
  /**
   * How a PO is cancelled: set to its cancelled `status`, or archived (`archive`), which, once units were received,
   * becomes finishing it so the rest leaves the backorder.
   */
  readonly cancel: { readonly kind: 'status'; readonly status: string } | { readonly kind: 'archive' };
}

/** A POS whose manifest describes no PO changes: every status is unknown, so every change is refused for a person. */
export const NO_PO_CHANGES: PoChangeRules = { label: 'The POS', statuses: {}, open: {}, cancel: { kind: 'archive' } };

/**
 * X-Series consignment (reference lightspeed-x-series.md §3.2–§3.4): OPEN/SENT take every change; once DISPATCHED
 * (receiving began) `count` no longer changes and lines cannot be removed, though lines can be added and costs
 * changed [I: adding]; RECEIVED and CANCELLED take nothing. Cancelling = status CANCELLED, from anything but RECEIVED.
 */
export const X_SERIES_PO_CHANGES: PoChangeRules = {
  label: 'X-Series',
  statuses: { OPEN: 'draft', SENT: 'ordered', DISPATCHED: 'receiving', RECEIVED: 'received', CANCELLED: 'cancelled' },
  open: { draft: 'all', ordered: 'all', receiving: 'no_counts_or_removals' },
  cancel: { kind: 'status', status: 'CANCELLED' },
};

/**
 * R-Series Order (reference lightspeed-r-series.md §3.1–§3.3): Open, Ordered and Check In take every change, but a
 * line keeps the units already checked in [I]; Finished takes nothing until set back to Ordered (S3: a Finished PO
 * cannot be received); archived takes nothing. No cancelled status: cancelling archives the order (DELETE), or,
 * when units are already checked in, finishes it.
 */
export const R_SERIES_PO_CHANGES: PoChangeRules = {
  label: 'R-Series',
  statuses: { open: 'draft', ordered: 'ordered', check_in: 'receiving', finished: 'closed', archived: 'cancelled' },
  open: { draft: 'all', ordered: 'all', receiving: 'all' },
  cancel: { kind: 'archive' },
};

/** The stage of a PO from the status word its connector reports. */
export function poStage(rules: PoChangeRules, status: string): PoStage {
  const words = rules.statuses;
  return words[status] ?? words[status.toUpperCase()] ?? words[status.toLowerCase()] ?? 'unknown';
}

/** The status word of a stage, for messages (`DISPATCHED`); null when the POS has none. */
export function statusWord(rules: PoChangeRules, stage: PoStage): string | null {
  return Object.entries(rules.statuses).find(([, s]) => s === stage)?.[0] ?? null;
}
