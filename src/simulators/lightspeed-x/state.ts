/**
 * The X-Series simulator's state: plain JSON records (the snapshot format) plus in-memory indexes rebuilt on
 * import. Every write takes a fresh value of one global, monotonically increasing `version` (§2.5), and each
 * collection keeps its records in version order so version-cursor pages are a binary search, even at 200,000
 * products.
 */

export interface Versioned {
  id: string;
  version: number;
}

export interface RetailerRec {
  id: string;
  domain_prefix: string;
  name: string;
  currency: string;
  currency_symbol: string;
  created_at: string;
}

export interface OutletRec extends Versioned {
  name: string;
  time_zone: string;
  default_tax_id: string;
  physical_address_1: string;
  physical_city: string;
  physical_state: string;
  physical_postcode: string;
  physical_country_id: string;
  email: string;
  order_reference_prefix: string;
  deleted_at: string | null;
}

export interface RegisterRec extends Versioned {
  name: string;
  outlet_id: string;
  invoice_prefix: string;
  invoice_sequence: number;
  deleted_at: string | null;
}

export interface UserRec extends Versioned {
  username: string;
  display_name: string;
  email: string;
  account_type: 'cashier' | 'manager' | 'admin';
  created_at: string;
  deleted_at: string | null;
}

export interface TaxRec extends Versioned {
  name: string;
  rate: number;
  is_default: boolean;
  deleted_at: string | null;
}

export interface PaymentTypeRec extends Versioned {
  name: string;
  type_id: number;
  deleted_at: string | null;
}

export interface CustomerRec extends Versioned {
  name: string;
  customer_code: string;
  deleted_at: string | null;
}

export interface SupplierRec extends Versioned {
  name: string;
  description: string;
  source: string;
  default_markup: number;
  contact: Record<string, string>;
  deleted_at: string | null;
}

export interface BrandRec extends Versioned {
  name: string;
  description: string;
  deleted_at: string | null;
}

export interface VariantAttributeRec extends Versioned {
  name: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ProductCodeRec {
  type: string;
  code: string;
}

export interface ProductRec extends Versioned {
  /** The family's parent (the first variant); the product's own id when it is the parent or a standard product. */
  family_id: string;
  name: string;
  handle: string;
  sku: string | null;
  description: string;
  source: string;
  source_id: string | null;
  source_variant_id: string | null;
  is_active: boolean;
  is_composite: boolean;
  has_inventory: boolean;
  /** Whether the product belongs to a variant family (even a family of one). */
  is_variant: boolean;
  variant_options: Array<{ attribute_id: string; name: string; value: string }>;
  price_excluding_tax: number;
  supply_price: number;
  supplier_id: string | null;
  supplier_code: string | null;
  brand_id: string | null;
  product_type_id: string | null;
  tag_ids: string[];
  product_codes: ProductCodeRec[];
  composite: Array<{ product_id: string; quantity: number }>;
  image_url: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface InventoryRec extends Versioned {
  product_id: string;
  outlet_id: string;
  inventory_level: number;
  reorder_point: number | null;
  reorder_amount: number | null;
  average_cost: number;
  deleted_at: string | null;
}

export type ConsignmentType = 'SUPPLIER' | 'OUTLET' | 'STOCKTAKE' | 'RETURN';

export interface ConsignmentRec extends Versioned {
  outlet_id: string;
  name: string;
  type: ConsignmentType;
  status: string;
  supplier_id: string | null;
  source_outlet_id: string | null;
  supplier_invoice: string | null;
  reference: string | null;
  consignment_date: string;
  due_at: string | null;
  received_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ConsignmentLineRec extends Versioned {
  /** `${consignment_id}:${product_id}` (lines are addressed by product within a consignment). */
  consignment_id: string;
  product_id: string;
  product_sku: string | null;
  count: number;
  received: number | null;
  cost: number;
  is_included: boolean;
  status: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface SaleLineRec {
  id: string;
  product_id: string;
  quantity: number;
  price: number;
  cost: number;
  tax: number;
  tax_id: string;
  discount: number;
  loyalty_value: number;
  price_set: boolean;
  sequence: number;
  note: string | null;
  status: 'SAVED' | 'VOIDED' | 'CONFIRMED';
  is_return: boolean;
}

export interface SalePaymentRec {
  id: string;
  register_id: string;
  retailer_payment_type_id: string;
  payment_type_id: string;
  name: string;
  payment_date: string;
  amount: number;
}

export interface SaleRec extends Versioned {
  outlet_id: string;
  register_id: string;
  user_id: string;
  customer_id: string;
  invoice_number: string;
  invoice_sequence: number;
  source: string;
  source_id: string | null;
  status: string;
  note: string | null;
  short_code: string;
  sale_date: string;
  line_items: SaleLineRec[];
  payments: SalePaymentRec[];
  fulfillment_details: unknown[];
  /** Whether this sale has taken its quantities out of the outlet's inventory. */
  stock_taken: boolean;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface FulfillmentRec {
  id: string;
  sale_id: string;
  outlet_id: string;
  user_id: string;
  status: 'SHIPPED' | 'PICKED_UP';
  created_at: string;
  line_items: Array<{ id: string; product_id: string; quantity: number }>;
}

export interface WebhookRec {
  id: string;
  retailer_id: string;
  user_id: string;
  url: string;
  active: boolean;
  type: string;
  /** The OAuth client whose secret signs the deliveries (null: not signed). */
  client_id: string | null;
}

export interface TokenRec {
  client_id: string;
  scope: string;
  expires_at: number;
}

export interface RefreshRec {
  client_id: string;
  scope: string;
  /** Set once the token has been exchanged: rotated tokens are refused afterwards. */
  used_at: number | null;
}

export interface CodeRec {
  client_id: string;
  redirect_uri: string;
  scope: string;
  expires_at: number;
  used_at: number | null;
}

export interface XState {
  retailer: RetailerRec;
  lastVersion: number;
  /** Counts created ids, so ids of records created through the API are deterministic too. */
  sequence: number;
  outlets: OutletRec[];
  registers: RegisterRec[];
  users: UserRec[];
  taxes: TaxRec[];
  paymentTypes: PaymentTypeRec[];
  customers: CustomerRec[];
  suppliers: SupplierRec[];
  brands: BrandRec[];
  variantAttributes: VariantAttributeRec[];
  products: ProductRec[];
  inventory: InventoryRec[];
  consignments: ConsignmentRec[];
  consignmentLines: ConsignmentLineRec[];
  sales: SaleRec[];
  fulfillments: FulfillmentRec[];
  webhooks: WebhookRec[];
  oauth: {
    codes: Record<string, CodeRec>;
    accessTokens: Record<string, TokenRec>;
    refreshTokens: Record<string, RefreshRec>;
  };
}

/** Records in version order with O(log n) cursor pages. */
export class Collection<T extends Versioned> {
  readonly map = new Map<string, T>();
  #sorted: T[] | null = null;

  get(id: string): T | undefined {
    return this.map.get(id);
  }

  get size(): number {
    return this.map.size;
  }

  /** Stores a record whose `version` is the newest so far (re-inserting keeps the Map in version order). */
  put(rec: T): void {
    this.map.delete(rec.id);
    this.map.set(rec.id, rec);
    this.#sorted = null;
  }

  delete(id: string): void {
    if (this.map.delete(id)) this.#sorted = null;
  }

  values(): T[] {
    this.#sorted ??= [...this.map.values()];
    return this.#sorted;
  }

  /** Items with after < version (< before), in version order, at most pageSize of them. */
  page(after: number, before: number | undefined, pageSize: number, keep: (rec: T) => boolean = () => true): T[] {
    const sorted = this.values();
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as T).version <= after) lo = mid + 1;
      else hi = mid;
    }
    const out: T[] = [];
    for (let i = lo; i < sorted.length && out.length < pageSize; i++) {
      const rec = sorted[i] as T;
      if (before !== undefined && rec.version >= before) break;
      if (keep(rec)) out.push(rec);
    }
    return out;
  }

  load(records: T[]): void {
    this.map.clear();
    this.#sorted = null;
    for (const rec of [...records].sort((a, b) => a.version - b.version)) this.map.set(rec.id, rec);
  }
}

export function emptyState(domainPrefix = 'lakesidegoods', name = 'Lakeside Goods Co.', createdMs = 0): XState {
  return {
    retailer: {
      id: '',
      domain_prefix: domainPrefix,
      name,
      currency: 'USD',
      currency_symbol: '$',
      created_at: new Date(createdMs).toISOString(),
    },
    lastVersion: 0,
    sequence: 0,
    outlets: [],
    registers: [],
    users: [],
    taxes: [],
    paymentTypes: [],
    customers: [],
    suppliers: [],
    brands: [],
    variantAttributes: [],
    products: [],
    inventory: [],
    consignments: [],
    consignmentLines: [],
    sales: [],
    fulfillments: [],
    webhooks: [],
    oauth: { codes: {}, accessTokens: {}, refreshTokens: {} },
  };
}
