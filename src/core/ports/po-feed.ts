/**
 * The POS's purchase orders as a feed, for reorders a merchant starts in the POS back office: a PO made for a
 * supplier that is a linked brand is sent to the brand as a new wholesale order (flows/reorder/from-pos/). The feed
 * answers POs changed since a cursor (X-Series: SUPPLIER consignments by version), heads only; lines are read per PO.
 * Tagging writes the wholesale order's number on the PO where the merchant sees it, after reading the PO, so a retry
 * or a write whose reply was lost writes nothing twice. One implementation per POS (connectors/<system>/po-feed.ts).
 */

export interface PosPurchaseOrderHead {
  id: string;
  /** What the merchant reads as the PO's number or name (X-Series `reference`, else `name`). */
  number: string;
  /** A link a merchant can open in the POS back office. */
  url: string;
  /** The POS supplier (X-Series `supplier_id`, R-Series `vendorID`); null when none was chosen. */
  supplierId: string | null;
  /** Where it is delivered (X-Series `outlet_id`, R-Series `shopID`). */
  locationId: string | null;
  /** The vendor's status word (X-Series OPEN/SENT/DISPATCHED/RECEIVED/CANCELLED, R-Series open/ordered/…). */
  status: string;
  /**
   * Still being ordered from the supplier, so it may be sent to the brand (X-Series OPEN/SENT, R-Series Open and
   * Ordered); later stages (receiving, received, finished, cancelled) were ordered already or never will be.
   */
  ordering: boolean;
  /** The order number field (X-Series `reference`, R-Series `refNum`), as the merchant left it; null when empty. */
  reference: string | null;
  /** When the POS says it was made, ISO 8601, when it says. */
  createdAt: string | null;
  /**
   * A PO the POS spawned for what did not arrive on another (X-Series: a partial receipt's "keep the rest on
   * order"): the rest of an order already placed with the brand, never a new one to send.
   */
  isRemainder: boolean;
}

export interface PosPurchaseOrderFeedPage {
  orders: PosPurchaseOrderHead[];
  /** Where the next read starts; unchanged when nothing changed. */
  cursor: string | null;
}

export interface PoTagOutcome {
  /** The POS's field the tag is in (`reference`, `name`). */
  field: string;
  /** False when the PO carried the tag already (a retry). */
  written: boolean;
}

export interface PurchaseOrderFeed {
  /** Purchase orders made or changed after the cursor (null: from the beginning), oldest change first. */
  changedSince(cursor: string | null): Promise<PosPurchaseOrderFeedPage>;
  /** The ordered lines of a PO: the POS item and the quantity. */
  lines(poId: string): Promise<Array<{ posItemId: string; quantity: number }>>;
  /**
   * Writes `tag` (the wholesale order's number) on the PO: in the order-number field when the merchant left it
   * empty, else added to the PO's note, so the merchant's own number is kept. Reads first: already there, nothing.
   */
  tag(poId: string, tag: string): Promise<PoTagOutcome>;
}
