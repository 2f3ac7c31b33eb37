/**
 * Changing a purchase order the export made, after the wholesale order changed (an accepted amendment): read the
 * PO as the POS has it now, set a line's quantity or cost, remove a line, set the expected date, cancel the PO the
 * way the POS allows. Every write sets an absolute value (never "add 2"), so a retry after a lost reply, or a write
 * that reached the POS though its caller died, changes nothing twice. Adding lines and creating items stay on the
 * PointOfSale port (the export's own writes). One implementation per POS (connectors/<system>/po-changes.ts).
 */
import type { Money } from '../money.ts';
import type { PosPurchaseOrderLine } from './pos.ts';

export interface PurchaseOrderSnapshot {
  id: string;
  /** The POS's own number or reference, for messages. */
  number: string;
  url: string;
  /**
   * The vendor's status word (X-Series OPEN/SENT/DISPATCHED/RECEIVED/CANCELLED; R-Series open/ordered/check_in/
   * finished/archived), read by core/amendment-plan.ts `poStage`.
   */
  status: string;
  /** The expected delivery (X-Series `due_at`, R-Series `arrivalDate`), ISO 8601, when set. */
  expectedAt: string | null;
  lines: PosPurchaseOrderLine[];
}

/** How a PO is cancelled (core/amendment-plan.ts): X-Series status CANCELLED; R-Series archive, or finish once units are in. */
export type CancelHow = 'cancel' | 'archive' | 'finish';

export interface PurchaseOrderChanges {
  /** The PO now, with every line; null when the POS no longer has it (deleted). */
  readPurchaseOrder(poId: string): Promise<PurchaseOrderSnapshot | null>;
  /** Sets the ordered quantity of the line of this item (whole units, > 0). */
  setLineQuantity(poId: string, posItemId: string, quantity: number): Promise<void>;
  /** Sets the unit cost of the line of this item. */
  setLineCost(poId: string, posItemId: string, cost: Money): Promise<void>;
  /** Removes the line of this item; a line already gone is done. */
  removeLine(poId: string, posItemId: string): Promise<void>;
  /** Sets (or clears) the expected delivery date (`YYYY-MM-DD` or an ISO time). */
  setExpectedDate(poId: string, expectedAt: string | null): Promise<void>;
  /** Cancels, archives or finishes the PO; one already so is left as it is. Returns the PO after. */
  cancelPurchaseOrder(poId: string, how: CancelHow): Promise<PurchaseOrderSnapshot>;
}
