/**
 * The port a point of sale (Lightspeed X-Series, R-Series) implements. It is shaped by the export saga:
 *
 *   ensure supplier → create products → create purchase order → add lines → submit → record links
 *
 * Each step is recorded in the store before the next begins, and a killed process resumes from the
 * last recorded step. Lightspeed has no idempotency keys, so every create has a matching `find…`
 * by a correlation key that the create writes into the POS. The flow calls the `find…` first whenever
 * it retries a step, and always before a create after an unknown outcome. That is what makes a crash
 * or a lost reply harmless. Implementers: a create must write its correlation key in a field that the
 * matching find can search. Keys come from core (`productCorrelationKey`, `variantCorrelationKey`,
 * `purchaseOrderCorrelationKey`), are 24 characters of [a-z0-9-], and never change for the same
 * wholesale record.
 *
 * Errors are thrown, never returned, as the classes in src/connectors/shared/errors.ts (core does not
 * import them):
 *   RemoteRejected        4xx: the POS refused the request; the remote state did not change.
 *   RemoteUnavailable     5xx, timeout, connection reset: **the state is unknown**. A create may have
 *                         happened, so the caller runs the matching find before trying again.
 *   RemoteRateLimited     429 or an empty budget: defer until its time, without using up an attempt.
 *   RemoteAuthLost        the token cannot be refreshed; the connection needs relinking.
 *   RemoteContractBroken  the reply failed its schema (a bug, or a vendor change).
 * An expected per-record outcome (one line refused out of 500) is a value in the result, not a throw.
 * Every method may throw any of these. The notes on each method say which cases matter to the caller.
 *
 * Money crosses this port as core `Money` (integer minor units). The connector turns it into the
 * vendor's decimal text with `toDecimalString`. It never uses floats.
 */
import type { Money } from '../money.ts';
import type { DoctorCheck } from './doctor.ts';
import type { PosCatalogEntry } from '../pos-catalog.ts';
import type { ShipWindow } from '../wholesale-order.ts';

export interface PosCapabilities {
  /** The connector's system name (its manifest's `system`). */
  readonly system: string;
  /**
   * The most lines `addPurchaseOrderLines` sends in one request (X-Series bulk: 500; R-Series: 1, one
   * OrderLine per POST). The flow records progress in chunks of this size.
   */
  readonly bulkLineLimit: number;
  /**
   * Whether `createProduct` can add variants to an existing family (`existingParentId`). R-Series can
   * (Item.itemMatrixID), X-Series too (2.1 "Add Single Variant"; how it names the family is inferred). If it is
   * false, the flow creates a separate product and warns the buyer.
   */
  readonly addsVariantsToExistingParent: boolean;
}

/** A receiving location: X-Series outlet, R-Series Shop. */
export interface PosLocation {
  id: string;
  name: string;
  /** ISO 4217, when the POS says. */
  currency: string | null;
  archived: boolean;
}

/** One page of the catalog mirror's change feed. */
export interface CatalogPage {
  /** Items created or changed since the cursor, archived ones included (with `archived: true`). */
  entries: PosCatalogEntry[];
  /**
   * Items deleted outright (X-Series soft deletes seen with `deleted=true`). R-Series cannot report
   * items merged away. The mirror catches those with a periodic full pass (cursor null).
   */
  removedIds: string[];
  /** Pass it back to get the next page. Store it after the page is saved, so a crash re-reads the page. */
  nextCursor: string;
  /** True when this page reached the present. The mirror then waits for the next poll. */
  done: boolean;
}

export interface CatalogRecheck {
  entries: PosCatalogEntry[];
  /** Ids the POS no longer has. */
  missingIds: string[];
}

export interface PosSupplier {
  id: string;
  name: string;
  /**
   * How `findSupplier` found it. 'source_id' means the POS record carries the brand's source id
   * (R-Series Vendor.b2bSellerUID, or our key in a field the connector picks). 'name' means only the
   * name matched, compared without regard to case or surrounding spaces.
   */
  matchedBy: 'source_id' | 'name' | 'created';
}

export interface SupplierQuery {
  name: string;
  /** The brand's id at the wholesale source (BrandRef.sourceId). */
  sourceBrandId: string;
}

export interface SupplierSpec extends SupplierQuery {
  /** The brand's trading currency, where the POS keeps one (R-Series purchasingCurrency). */
  currency: string | null;
}

/** One variant to create. The connector writes `correlationKey` where `findProductsByCorrelation` can search it. */
export interface NewVariantSpec {
  variantKey: string;
  correlationKey: string;
  size: string;
  /** Canonical GTIN-14, or null: create the item without a barcode. */
  gtin14: string | null;
  /**
   * The barcode as the brand wrote it (e.g. 12-digit UPC-A). Store this form. Use the gtin14 when a
   * field needs a fixed length (R-Series upc: 11 to 14 digits).
   */
  upc: string | null;
  /** Supply price / default cost. */
  cost: Money;
  /** MSRP, the selling price of a new item, or null to leave the POS default. */
  retail: Money | null;
}

/** A product family (X-Series variant family, R-Series ItemMatrix) and its variants. */
export interface NewProductSpec {
  correlationKey: string;
  matrixKey: string;
  /** The supplier from the "ensure supplier" step. */
  supplierId: string;
  brandName: string;
  styleNumber: string;
  color: string;
  name: string;
  season: string | null;
  category: string | null;
  images: string[];
  /**
   * Add the variants to this existing family instead of creating one. This is set by the plan, or by
   * the flow on a resume after the family was created but some variants were not. It is only passed
   * when `capabilities.addsVariantsToExistingParent` is true.
   */
  existingParentId: string | null;
  /**
   * True when `existingParentId` is a family an earlier attempt of this same step created (a resume),
   * false or absent when it is the merchant's own. A connector that marks its new families until their
   * first variant exists (R-Series) only needs to look at the family in the first case.
   */
  existingParentIsOurs?: boolean;
  /**
   * Every existing family the same run adds sizes to (ids, this one among them). A connector that reads a family
   * before adding to it (R-Series reads its prices) reads them all at once instead of one request per family.
   */
  familiesJoinedInRun?: readonly string[];
  variants: NewVariantSpec[];
}

export interface CreatedProduct {
  /** The family id (null when the POS made a standalone item for a single variant). */
  parentId: string | null;
  /** variantKey → posItemId, for every variant of the spec. */
  variantIds: Record<string, string>;
}

export interface ProductCorrelationQuery {
  correlationKey: string;
  variants: Array<{ variantKey: string; correlationKey: string }>;
  /**
   * The family's name and color as createProduct received them. A POS whose families have no field for a
   * correlation key (R-Series ItemMatrix) recognises a family whose create reply was lost, before any
   * variant exists, as the one family of that name with no items yet.
   */
  name?: string;
  color?: string;
}

export interface FoundProduct {
  correlationKey: string;
  /** Null when no family was found, or when only standalone items were found. */
  parentId: string | null;
  /**
   * variantKey → the POS item that carries the variant's correlation key. Variants that were never
   * created are missing. The flow creates only those, with `existingParentId: parentId`.
   */
  variantIds: Record<string, string>;
}

export interface PurchaseOrderQuery {
  /** From `purchaseOrderCorrelationKey`: what the find searches for. */
  correlationKey: string;
  /** The wholesale order number ("100596-1"), for POSes where the key sits next to it in text. */
  orderNumber: string;
}

export interface PurchaseOrderSpec extends PurchaseOrderQuery {
  locationId: string;
  supplierId: string;
  /**
   * Title a person sees (X-Series consignment `name`, shown as "Note"). It should contain the order
   * number.
   */
  name: string;
  /** Free text for the PO notes: customer PO number, buyer, wholesale notes (R-Series Note). */
  notes: string;
  /** Order-level window. `end` is the expected delivery (X-Series due_at, R-Series arrivalDate). */
  shipWindow: ShipWindow;
  /** The order currency. The connector refuses (RemoteRejected) a PO it cannot express in it. */
  currency: string;
  /** The wholesale order's id at the source: R-Series b2bOrderUID, if the connector chooses to set it. */
  sourceOrderId: string;
}

export interface PosPurchaseOrder {
  id: string;
  /** The POS's own number or reference, shown to the buyer. */
  number: string;
  /** A link a buyer can open in the POS back office. */
  url: string;
  /** Vendor status, for display and for deciding whether lines may still be added. */
  status: string;
  /** False once the POS no longer accepts new lines (received, cancelled, archived). */
  open: boolean;
}

export interface PurchaseOrderLineSpec {
  posItemId: string;
  /** Whole units, > 0. */
  quantity: number;
  unitCost: Money;
  /** The order lines merged into this PO line. The connector passes them back in its result. */
  sourceLineKeys: string[];
}

export interface PosPurchaseOrderLine {
  posItemId: string;
  quantity: number;
  unitCost: Money | null;
  /** Units received so far (X-Series `received`, R-Series `checkedIn` + `numReceived`). */
  received: number;
}

export type AddLineOutcome =
  | { posItemId: string; sourceLineKeys: string[]; outcome: 'added' }
  /** The POS refused this line (e.g. a composite product on X-Series). The other lines stand. */
  | { posItemId: string; sourceLineKeys: string[]; outcome: 'rejected'; message: string };

/** Item-level updates for items that already exist (matched or confirmed), where the POS needs them. */
export interface MatchedItemUpdate {
  posItemId: string;
  /** The latest wholesale cost, when the merchant wants supply prices kept current. */
  cost?: Money;
  /**
   * The retail price, for an item Tradeloop created whose price nobody changed in the POS, when the merchant
   * asked that such prices follow the brand's (field ownership, core/plan-ownership.ts).
   */
  retail?: Money;
}

export interface AddLinesOptions {
  /**
   * The flow's recorded steps show no earlier attempt sent any of these lines (the step's first run).
   * The connector may then skip reading the PO's lines first, which saves a request per call; on a
   * resumed step the flow never sets it.
   */
  firstAttempt?: boolean;
}

export interface SubmitOptions {
  /**
   * The flow's recorded steps show the submit step never ran before, and this export has just added the
   * PO's lines. The connector may then skip reading the PO's state first (one or two requests fewer);
   * on a resumed step the flow never sets it, and the connector checks before it writes.
   */
  firstAttempt?: boolean;
}

export interface PointOfSale {
  readonly capabilities: PosCapabilities;

  /** Where a PO can be received. The buyer picks one per export. */
  listLocations(): Promise<PosLocation[]>;

  /**
   * The currency the store keeps costs in (ISO code, upper case), or null when the POS does not say.
   * A purchase order in another currency is refused by `createPurchaseOrder`; plans flag it first.
   */
  storeCurrency(): Promise<string | null>;

  // --- Catalog mirror ------------------------------------------------------------------------------

  /**
   * The change feed behind the catalog mirror that plans read. `cursor` null starts a full pass.
   * X-Series: a version cursor (`after=`). R-Series: a timeStamp cursor, with archived items included
   * (`archived=true`). Items whose timeStamp ties the cursor must not be skipped while a write can still
   * receive that stamp.
   * `pageSize` is a hint that the connector clamps to the vendor's limits.
   */
  catalogChanges(cursor: string | null, pageSize: number): Promise<CatalogPage>;

  /**
   * Current state of specific items: the drift check before apply, and re-checking link targets.
   * Up to 100 ids per call (the R-Series IN limit). The flow chunks larger lists.
   */
  getCatalogEntries(ids: readonly string[]): Promise<CatalogRecheck>;

  /**
   * Live lookup by barcode: gtin14 → every item carrying it, archived included. The apply step runs it
   * just before creating items, because the mirror may lag: if a GTIN has gained an item, the plan
   * has drifted. Connectors search every written form (`gtinForms`). Up to 100 GTINs per call.
   */
  findCatalogEntriesByGtin(gtin14s: readonly string[]): Promise<Record<string, PosCatalogEntry[]>>;

  // --- Step: ensure supplier -----------------------------------------------------------------------

  /**
   * Suppliers (X-Series supplier, R-Series Vendor) for this brand. Matches on the source id come
   * first. An empty list means create one. More than one match stops the step with
   * SUPPLIER_AMBIGUOUS, and the buyer picks.
   */
  findSupplier(query: SupplierQuery): Promise<PosSupplier[]>;

  /**
   * Every live supplier, for the merchant to map a brand to one (the settings page). `sourceBrandId` is the
   * brand id the supplier carries where `findSupplier` looks (null: none). Optional: a POS without it offers
   * no choice, and the export finds or creates the supplier as before.
   */
  listSuppliers?(): Promise<Array<{ id: string; name: string; sourceBrandId: string | null }>>;

  /**
   * Creates the supplier and writes `sourceBrandId` where `findSupplier` finds it.
   * RemoteUnavailable: call findSupplier before retrying.
   */
  createSupplier(spec: SupplierSpec): Promise<PosSupplier>;

  // --- Step: create products -----------------------------------------------------------------------

  /**
   * Products earlier attempts created, found by correlation keys. Returns one entry per query that
   * found anything. Omit queries that found nothing.
   */
  findProductsByCorrelation(queries: readonly ProductCorrelationQuery[]): Promise<FoundProduct[]>;

  /**
   * Creates one family with all its variants (X-Series: one POST with variants[]; R-Series: the
   * ItemMatrix, then one Item per variant). The whole spec succeeds or the call throws.
   * If it throws RemoteUnavailable part-way (e.g. R-Series after the matrix and 3 of 6 items), the
   * flow calls findProductsByCorrelation. It then creates only the missing variants, with
   * existingParentId set.
   */
  createProduct(spec: NewProductSpec): Promise<CreatedProduct>;

  // --- Step: create purchase order -----------------------------------------------------------------

  /**
   * The PO an earlier attempt created for this wholesale order, or null. It is searched by the
   * correlation key (X-Series consignment `reference`/`name`, SUPPLIER type; R-Series Order `refNum`).
   */
  findPurchaseOrderByCorrelation(query: PurchaseOrderQuery): Promise<PosPurchaseOrder | null>;

  /**
   * Creates an empty PO in its first state (X-Series OPEN, R-Series Open). Lines come next.
   * RemoteUnavailable: call findPurchaseOrderByCorrelation before retrying.
   */
  createPurchaseOrder(spec: PurchaseOrderSpec): Promise<PosPurchaseOrder>;

  // --- Step: add lines -----------------------------------------------------------------------------

  /** The lines the PO holds now. The flow diffs them against the plan before adding anything. */
  listPurchaseOrderLines(poId: string): Promise<PosPurchaseOrderLine[]>;

  /**
   * Adds lines, each for an item not yet on the PO; the connector sends them in requests of at most
   * `bulkLineLimit` lines. Never retry this call blindly: X-Series bulk counts **accumulate**, so a
   * repeated request doubles the quantities. After RemoteUnavailable, the flow calls
   * listPurchaseOrderLines and sends only the lines still missing. Per-line refusals are values. A
   * refusal of the whole request throws RemoteRejected.
   */
  addPurchaseOrderLines(
    poId: string,
    lines: readonly PurchaseOrderLineSpec[],
    options?: AddLinesOptions,
  ): Promise<AddLineOutcome[]>;

  // --- Step: submit --------------------------------------------------------------------------------

  /**
   * Moves the PO to the state a buyer expects after an export. X-Series: SENT, if the connection is
   * configured for it, otherwise a no-op. R-Series: set orderedDate, so it shows as "Ordered"; this
   * only works once the PO has a line. It is idempotent: calling it on a PO already in that state does
   * nothing.
   */
  submitPurchaseOrder(poId: string, options?: SubmitOptions): Promise<PosPurchaseOrder>;

  /**
   * Optional. It exists for POSes that keep per-item data a purchase order does not carry (Lightspeed
   * takes the unit cost from the PO line), and for the retail price of items Tradeloop created (field
   * ownership). It is idempotent (it sets values, it does not add to them). Per-item refusals are values.
   */
  updateMatchedItems?(
    updates: readonly MatchedItemUpdate[],
  ): Promise<Array<{ posItemId: string; outcome: 'updated' | 'rejected'; message?: string }>>;

  /** Read-only probes of every call this connector makes (`tradeloop doctor`), see ports/doctor.ts. */
  doctor?(): Promise<DoctorCheck[]>;
}
