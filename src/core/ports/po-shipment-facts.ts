/**
 * The port a POS implements to carry a brand's shipment facts (carrier, tracking numbers, shipped quantities, ship
 * date) on the purchase order Tradeloop created. Each POS has one free-text place for them, named in its
 * connector (X-Series: the consignment's `name`, shown as "Note"; R-Series: the Order's `shipInstructions`).
 *
 * Contract for implementers:
 * - `read` answers what the field holds now, so the saga's step writes nothing when the PO already carries the
 *   facts (a retry, or a write whose reply was lost).
 * - `write` replaces Tradeloop's block in that field and keeps whatever else the merchant wrote there (see
 *   core/shipment-facts.ts `withFacts`). A PUT that sets a value: a resend writes the same.
 * - A PO the POS no longer lets anyone change (X-Series RECEIVED or CANCELLED) is reported `writable: false`.
 */
export interface PoShipmentFactsField {
  /** The field's text now ('' when empty). */
  readonly text: string;
  /** The POS's name for the field, for logs and docs (`name`, `shipInstructions`). */
  readonly field: string;
  /** False when the POS refuses changes to this PO now (received, cancelled, archived). */
  readonly writable: boolean;
  /** Why not, in words, when not writable. */
  readonly reason?: string;
}

export interface PurchaseOrderShipmentFacts {
  read(poId: string): Promise<PoShipmentFactsField>;
  /** Sets the field to `text` (the whole field, merchant's text kept by the caller). */
  write(poId: string, text: string): Promise<void>;
}
