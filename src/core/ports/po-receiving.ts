/**
 * Receiving against a purchase order in the POS: what the receiving saga (flows/receiving/) writes after staff
 * scanned a shipment. Quantities are written as running totals (what the PO shows received in all), never as
 * increments, so a repeated write lands once; every write reads what the POS already shows first.
 *
 * X-Series (reference §3.4, §3.6): a line's `received`; the consignment then goes RECEIVED and the outlet's stock
 * grows by the received units. A partial receipt keeps the rest on order the way Retail POS does: a new order for
 * the units still open (the UI's "keep the rest on order"; its API shape is [I]).
 * R-Series (reference §3.3): the documented API only marks units received (`OrderLine.numReceived`); checking them
 * in, which adds them to stock, is done in the Retail POS UI. The port says so (`stockOnCommit: false`).
 */
import type { Money } from '../money.ts';
import type { PosPurchaseOrder } from './pos.ts';

export interface ReceivingLine {
  posItemId: string;
  /** Units on the PO line. */
  ordered: number;
  /** Units the POS shows received on it (X-Series `received`, R-Series `checkedIn` + `numReceived`). */
  received: number;
  unitCost: Money | null;
}

export interface ReceivingState {
  po: PosPurchaseOrder;
  lines: ReceivingLine[];
  /** The PO still takes receipts (not received in full, finished, cancelled or archived). */
  receivable: boolean;
}

export interface ReceivedTotal {
  posItemId: string;
  /** What the PO line should show received in all, after this receipt. */
  received: number;
}

export interface ClosedReceipt {
  po: PosPurchaseOrder;
  /** Where the units still open went (X-Series: a new order for them); null when none are open or the PO stays open. */
  remainder: PosPurchaseOrder | null;
}

export interface PurchaseOrderReceiving {
  /** Whether committing a receipt adds the units to stock (X-Series), or a person checks them in in the POS (R-Series). */
  readonly stockOnCommit: boolean;

  /** The PO's lines with what the POS shows received. */
  readReceiving(poId: string): Promise<ReceivingState>;

  /**
   * Sets each line's received total. Reads the PO first and writes only lines whose total differs, so a
   * repeated call (a retry, a resumed saga) writes nothing. A total below what the POS shows is refused.
   */
  writeReceived(poId: string, totals: readonly ReceivedTotal[]): Promise<ReceivingState>;

  /**
   * Makes the received units stock where the API can (X-Series: RECEIVED), and keeps what is still open on
   * order (a new order found again by `remainderKey`, so a repeated call finds it instead of making another).
   * Reads first: a PO already received is not written again. R-Series: nothing to write (check-in is in the POS).
   */
  closeReceipt(poId: string, input: { remainderKey: string }): Promise<ClosedReceipt>;
}
