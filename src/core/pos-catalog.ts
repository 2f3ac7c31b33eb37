/**
 * What a plan knows about the point of sale's catalog, the same shape for X-Series and R-Series, and the
 * identity keys of wholesale variants.
 */
import { sha256Hex } from './canonical.ts';
import { readGtin } from './gtin.ts';

/** One sellable POS item (X-Series product/variant; R-Series Item). */
export interface PosCatalogEntry {
  readonly posItemId: string;
  /** The family it belongs to: X-Series `variant_parent_id`/family id, R-Series `itemMatrixID` (null for 0 / none). */
  readonly parentId: string | null;
  /**
   * Canonical GTIN-14 of every barcode the item carries (X-Series `product_codes` of a barcode type,
   * R-Series `upc` and `ean`), sorted, without duplicates: build it with `canonicalGtins`.
   */
  readonly gtins: readonly string[];
  readonly sku: string | null;
  readonly name: string;
  /** X-Series `deleted_at`/inactive, R-Series `archived`. Archived items are never matched automatically. */
  readonly archived: boolean;
  /** X-Series `version`, R-Series `timeStamp`: any change means the item changed (drift). */
  readonly version: string;
  /**
   * The retail price the POS shows, decimal text in the store's currency (X-Series `price_excluding_tax`, or
   * including tax when the connection writes prices so; R-Series the Default price level). Absent = unknown.
   * Not evidence: a price change moves `version` anyway. Field ownership compares it with what Tradeloop wrote.
   */
  readonly retail?: string | null;
}

/**
 * How a plan reads the catalog. Synchronous on purpose: the planner is pure, so a flow first collects
 * what it needs (`requiredLookups` in plan.ts), loads those rows from the mirror, and passes an index of
 * just those. A 200,000-item catalog is never copied into a plan.
 */
export interface CatalogLookup {
  /** Every entry, archived included, that carries this GTIN-14. */
  byGtin(gtin14: string): readonly PosCatalogEntry[];
  byId(posItemId: string): PosCatalogEntry | undefined;
}

export interface CatalogIndex extends CatalogLookup {
  readonly size: number;
}

/** An in-memory index. If an id appears twice, the later entry replaces the earlier one. */
export function buildCatalogIndex(entries: Iterable<PosCatalogEntry>): CatalogIndex {
  const byId = new Map<string, PosCatalogEntry>();
  for (const entry of entries) byId.set(entry.posItemId, entry);
  const byGtin = new Map<string, PosCatalogEntry[]>();
  for (const entry of byId.values()) {
    for (const gtin of new Set(entry.gtins)) {
      const list = byGtin.get(gtin);
      if (list === undefined) byGtin.set(gtin, [entry]);
      else list.push(entry);
    }
  }
  return {
    size: byId.size,
    byGtin: (gtin14) => byGtin.get(gtin14) ?? [],
    byId: (id) => byId.get(id),
  };
}

/**
 * The canonical GTIN-14 set of an item's codes: invalid codes and non-barcodes are dropped, so a
 * connector can pass upc, ean and every barcode-typed product code as they come. Codes are read the GS1 way
 * (`readGtin`: a UPC-E as its UPC-A), and an 8-digit code valid both as UPC-E and GTIN-8 is indexed under
 * both readings, so a line finds the item whichever reading the brand meant. The mirror stores these: a change
 * here needs a full pass (catalog-mirror.ts `CATALOG_CODES_VERSION`).
 */
export function canonicalGtins(codes: Iterable<string | null | undefined>): string[] {
  const out = new Set<string>();
  for (const code of codes) {
    const read = readGtin(code);
    if (!read.ok) continue;
    out.add(read.gtin14);
    for (const alternative of read.alternatives) out.add(alternative.gtin14);
  }
  return [...out].sort();
}

/** The fields that identify a wholesale variant. An OrderLine has them all. */
export interface VariantIdentity {
  readonly brand: { readonly sourceId: string };
  readonly styleNumber: string;
  readonly color: string;
  readonly size: string;
}

/** Case-insensitive, Unicode-normalised, spacing collapsed: NuORDER's sandbox re-cases style numbers. */
export function normaliseKeyPart(text: string): string {
  return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The identity of a style/color (one POS matrix/family): `brand|style|color`, each part normalised
 * and URI-encoded so the separator cannot occur inside a part.
 */
export function matrixKey(v: Omit<VariantIdentity, 'size'>): string {
  return [v.brand.sourceId, v.styleNumber, v.color].map((p) => encodeURIComponent(normaliseKeyPart(p))).join('|');
}

/**
 * The identity of a wholesale variant (brand + style + color + size), the key of item links ("Confirmed")
 * and of line-level overrides. Always starts with `matrixKey(v) + '|'`.
 */
export function variantKey(v: VariantIdentity): string {
  return variantKeyIn(matrixKey(v), v.size);
}

/** `variantKey` of a size of the style/color whose `matrixKey` is known (a plan computes each matrix key once). */
export function variantKeyIn(matrix: string, size: string): string {
  return `${matrix}|${sizeKeyPart(size)}`;
}

/** The size's part of a variant key: normalised and URI-encoded. */
export function sizeKeyPart(size: string): string {
  return encodeURIComponent(normaliseKeyPart(size));
}

/** The matrix key a variant key belongs to. */
export function matrixKeyOfVariant(key: string): string {
  return key.slice(0, key.lastIndexOf('|'));
}

/**
 * Correlation keys written into the POS with every record Tradeloop creates, so a create can always be
 * preceded by a lookup (Lightspeed has no idempotency keys). Short, URL- and SKU-safe, and derived only
 * from the domain key and the scope, so a retry after a crash computes the same key.
 *
 * `scope` is the organization: two organizations linked to one POS account (the same store set up twice)
 * must never adopt each other's records, so their keys differ. Keys without a scope are the ones plans
 * made before keys were scoped wrote; plans store the keys they write, so those stay findable.
 */
export function productCorrelationKey(matrix: string, scope?: string): string {
  return `tlp-${sha256Hex(scoped('product', scope, matrix)).slice(0, 20)}`;
}

function scoped(kind: string, scope: string | undefined, key: string): string {
  return scope === undefined ? `${kind}:${key}` : `${kind}:${scope}:${key}`;
}

/**
 * A new item's key is also its SKU in the POS (X-Series `sku`, R-Series `customSku`): the one code the
 * store's staff see, print on labels and search for. So it reads as the item: style, color and size,
 * then eight hex digits of the variant key's hash, which keep it unique (two brands may share a style
 * number): `sty-1042-navy-m-3f9a0c1b`. Lower case, [a-z0-9-], at most 40 characters; a variant whose
 * style, color and size have no Latin letters or digits gets the opaque `tlv-` form.
 */
export function variantCorrelationKey(variant: string, scope?: string): string {
  const hash = sha256Hex(scoped('variant', scope, variant));
  const parts = variant.split('|');
  // brand|style|color|size, each part URI-encoded (variantKey); the brand is in the hash only.
  const readable =
    parts.length === 4 ? parts.slice(1).map((p) => skuSlug(p.includes('%') ? decodeURIComponent(p) : p)) : [];
  const text = readable
    .filter((p) => p !== '')
    .join('-')
    .slice(0, 31)
    .replace(/-+$/, '');
  if (readable[0] === '' || text === '') return `tlv-${hash.slice(0, 20)}`;
  return `${text}-${hash.slice(0, 8)}`;
}

/** `Navy / Ärmel` → `navy-armel`: accents dropped, anything else that is not a letter or digit a dash. */
function skuSlug(text: string): string {
  // Most style numbers, colours and sizes are already a slug once normalised (`st-1042`, `navy`, `m`).
  if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A purchase order's key is also what the POS shows as its number (X-Series `reference`, R-Series
 * `refNum`), so, given the order number, it reads as one: `nuo-3100082-9f2c07`, the order number plus six
 * hex digits of the hash of the scope and source id, which keep it unique (four, `nuo-3100082-9f2c`, in
 * unscoped keys). Without an order number (or with one too long to fit in 24 characters) it is the
 * opaque form.
 */
export function purchaseOrderCorrelationKey(
  sourceSystem: string,
  orderSourceId: string,
  orderNumber?: string,
  scope?: string,
): string {
  const hash = sha256Hex(scoped('order', scope, `${sourceSystem}:${orderSourceId}`));
  const number = (orderNumber ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const readable = `${sourceSystem.slice(0, 3).toLowerCase()}-${number}-${hash.slice(0, scope === undefined ? 4 : 6)}`;
  if (number !== '' && readable.length <= 24) return readable;
  return `tlo-${hash.slice(0, 20)}`;
}

/**
 * A planned PO's correlation key: the one its plan stored (scoped), else the unscoped key that plans made
 * before keys were scoped wrote, so their POs stay findable.
 */
export function purchaseOrderKeyOf(po: {
  readonly orderSourceId: string;
  readonly orderNumber: string;
  readonly correlationKey?: string | undefined;
}): string {
  return po.correlationKey ?? purchaseOrderCorrelationKey('nuorder', po.orderSourceId, po.orderNumber);
}
