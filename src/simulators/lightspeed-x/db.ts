import type { SimClock } from '../shared/clock.ts';
import { isoSeconds, uuidFrom } from './ids.ts';
import {
  Collection,
  emptyState,
  type BrandRec,
  type ConsignmentLineRec,
  type ConsignmentRec,
  type CustomerRec,
  type FulfillmentRec,
  type InventoryRec,
  type OutletRec,
  type PaymentTypeRec,
  type ProductRec,
  type RegisterRec,
  type SaleRec,
  type SupplierRec,
  type TaxRec,
  type UserRec,
  type VariantAttributeRec,
  type WebhookRec,
  type XState,
} from './state.ts';

/** The live store: collections and indexes over an XState. */
export class XDb {
  readonly clock: SimClock;
  retailer!: XState['retailer'];
  lastVersion = 0;
  sequence = 0;
  outlets = new Collection<OutletRec>();
  registers = new Collection<RegisterRec>();
  users = new Collection<UserRec>();
  taxes = new Collection<TaxRec>();
  paymentTypes = new Collection<PaymentTypeRec>();
  customers = new Collection<CustomerRec>();
  suppliers = new Collection<SupplierRec>();
  brands = new Collection<BrandRec>();
  variantAttributes = new Collection<VariantAttributeRec>();
  products = new Collection<ProductRec>();
  inventory = new Collection<InventoryRec>();
  consignments = new Collection<ConsignmentRec>();
  lines = new Collection<ConsignmentLineRec>();
  sales = new Collection<SaleRec>();
  fulfillments: FulfillmentRec[] = [];
  webhooks: WebhookRec[] = [];
  oauth: XState['oauth'] = { codes: {}, accessTokens: {}, refreshTokens: {} };

  /** lower-cased product code (SKU, UPC, …) → product id, or ids when several share it (a Set per code costs too much at 200k). */
  productsByCode = new Map<string, string | string[]>();
  /** family id → member product ids in creation order. */
  families = new Map<string, string[]>();
  /** `${product_id}:${outlet_id}` → inventory record. */
  inventoryByKey = new Map<string, InventoryRec>();
  /** consignment id → product id → line. */
  linesByConsignment = new Map<string, Map<string, ConsignmentLineRec>>();

  constructor(clock: SimClock) {
    this.clock = clock;
    this.load(emptyState());
  }

  now(): string {
    return isoSeconds(this.clock.now());
  }

  nextVersion(): number {
    return ++this.lastVersion;
  }

  /** A deterministic id for a record created through the API. */
  newId(kind: string): string {
    return uuidFrom(`${this.retailer.domain_prefix}:${kind}:created:${++this.sequence}`);
  }

  // ---- products -------------------------------------------------------------------------------------------

  putProduct(product: ProductRec, previous?: ProductRec): void {
    if (previous) for (const code of codesOf(previous)) this.#unindex(code, previous.id);
    for (const code of codesOf(product)) this.#index(code, product.id);
    if (!previous) {
      const members = this.families.get(product.family_id);
      if (members) members.push(product.id);
      else this.families.set(product.family_id, [product.id]);
    }
    this.products.put(product);
  }

  #index(code: string, id: string): void {
    const held = this.productsByCode.get(code);
    if (held === undefined) this.productsByCode.set(code, id);
    else if (typeof held === 'string') {
      if (held !== id) this.productsByCode.set(code, [held, id]);
    } else if (!held.includes(id)) held.push(id);
  }

  #unindex(code: string, id: string): void {
    const held = this.productsByCode.get(code);
    if (held === id) this.productsByCode.delete(code);
    else if (Array.isArray(held)) {
      const rest = held.filter((x) => x !== id);
      if (rest.length === 0) this.productsByCode.delete(code);
      else this.productsByCode.set(code, rest.length === 1 ? (rest[0] as string) : rest);
    }
  }

  /** Ids of products holding exactly this (already lower-cased) code. */
  idsWithCode(lowerCode: string): string[] {
    const held = this.productsByCode.get(lowerCode);
    return held === undefined ? [] : typeof held === 'string' ? [held] : held;
  }

  productsWithCode(code: string): ProductRec[] {
    return this.idsWithCode(code.toLowerCase())
      .map((id) => this.products.get(id))
      .filter((p): p is ProductRec => p !== undefined);
  }

  familyOf(product: ProductRec): ProductRec[] {
    return (this.families.get(product.family_id) ?? [product.id])
      .map((id) => this.products.get(id))
      .filter((p): p is ProductRec => p !== undefined && p.deleted_at === null);
  }

  // ---- inventory ------------------------------------------------------------------------------------------

  inventoryFor(productId: string, outletId: string): InventoryRec | undefined {
    return this.inventoryByKey.get(`${productId}:${outletId}`);
  }

  /** Sets (absolute) or adds to (delta) a product's level at an outlet; returns the new record. */
  changeInventory(
    productId: string,
    outletId: string,
    change: {
      set?: number;
      add?: number;
      reorder_point?: number | null;
      reorder_amount?: number | null;
      cost?: number;
    },
  ): InventoryRec {
    const existing = this.inventoryFor(productId, outletId);
    const base: InventoryRec = existing ?? {
      id: uuidFrom(`inventory:${productId}:${outletId}`),
      product_id: productId,
      outlet_id: outletId,
      inventory_level: 0,
      reorder_point: null,
      reorder_amount: null,
      average_cost: change.cost ?? 0,
      version: 0,
      deleted_at: null,
    };
    const level = change.set ?? base.inventory_level + (change.add ?? 0);
    const rec: InventoryRec = {
      ...base,
      inventory_level: level,
      ...(change.reorder_point !== undefined ? { reorder_point: change.reorder_point } : {}),
      ...(change.reorder_amount !== undefined ? { reorder_amount: change.reorder_amount } : {}),
      version: this.nextVersion(),
    };
    if (change.add && change.add > 0 && change.cost !== undefined) {
      // Weighted average cost over what was on hand and what arrived ([I] §3.6: the effect is not documented).
      const onHand = Math.max(0, base.inventory_level);
      rec.average_cost = round5((onHand * base.average_cost + change.add * change.cost) / (onHand + change.add));
    }
    this.inventory.put(rec);
    this.inventoryByKey.set(`${productId}:${outletId}`, rec);
    return rec;
  }

  // ---- consignment lines ----------------------------------------------------------------------------------

  linesOf(consignmentId: string): ConsignmentLineRec[] {
    return [...(this.linesByConsignment.get(consignmentId)?.values() ?? [])].filter((l) => l.deleted_at === null);
  }

  putLine(line: ConsignmentLineRec): void {
    let byProduct = this.linesByConsignment.get(line.consignment_id);
    if (!byProduct) this.linesByConsignment.set(line.consignment_id, (byProduct = new Map()));
    byProduct.set(line.product_id, line);
    this.lines.put(line);
  }

  // ---- state ----------------------------------------------------------------------------------------------

  exportState(): XState {
    return {
      retailer: { ...this.retailer },
      lastVersion: this.lastVersion,
      sequence: this.sequence,
      outlets: this.outlets.values(),
      registers: this.registers.values(),
      users: this.users.values(),
      taxes: this.taxes.values(),
      paymentTypes: this.paymentTypes.values(),
      customers: this.customers.values(),
      suppliers: this.suppliers.values(),
      brands: this.brands.values(),
      variantAttributes: this.variantAttributes.values(),
      products: this.products.values(),
      inventory: this.inventory.values(),
      consignments: this.consignments.values(),
      consignmentLines: this.lines.values(),
      sales: this.sales.values(),
      fulfillments: structuredClone(this.fulfillments),
      webhooks: structuredClone(this.webhooks),
      oauth: structuredClone(this.oauth),
    };
  }

  load(state: XState): void {
    this.retailer = state.retailer;
    this.lastVersion = state.lastVersion;
    this.sequence = state.sequence;
    this.outlets.load(state.outlets);
    this.registers.load(state.registers);
    this.users.load(state.users);
    this.taxes.load(state.taxes);
    this.paymentTypes.load(state.paymentTypes);
    this.customers.load(state.customers);
    this.suppliers.load(state.suppliers);
    this.brands.load(state.brands);
    this.variantAttributes.load(state.variantAttributes);
    this.products.load([]);
    this.productsByCode.clear();
    this.families.clear();
    const products = [...state.products].sort((a, b) => a.version - b.version);
    // Families in creation order (the parent first), whatever order the versions put them in.
    for (const p of [...products].sort((a, b) =>
      a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0,
    )) {
      const members = this.families.get(p.family_id);
      if (members) members.push(p.id);
      else this.families.set(p.family_id, [p.id]);
    }
    for (const [familyId, members] of this.families) {
      const at = members.indexOf(familyId);
      if (at > 0) members.unshift(...members.splice(at, 1));
    }
    for (const p of products) {
      for (const code of codesOf(p)) this.#index(code, p.id);
    }
    this.products.load(products);
    this.inventory.load(state.inventory);
    this.inventoryByKey.clear();
    for (const rec of state.inventory) this.inventoryByKey.set(`${rec.product_id}:${rec.outlet_id}`, rec);
    this.consignments.load(state.consignments);
    this.lines.load(state.consignmentLines);
    this.linesByConsignment.clear();
    for (const line of state.consignmentLines) {
      let byProduct = this.linesByConsignment.get(line.consignment_id);
      if (!byProduct) this.linesByConsignment.set(line.consignment_id, (byProduct = new Map()));
      byProduct.set(line.product_id, line);
    }
    this.sales.load(state.sales);
    this.fulfillments = state.fulfillments;
    this.webhooks = state.webhooks;
    this.oauth = state.oauth;
  }
}

function codesOf(product: ProductRec): Set<string> {
  const codes = new Set<string>();
  if (product.sku) codes.add(product.sku.toLowerCase());
  for (const c of product.product_codes) codes.add(c.code.toLowerCase());
  return codes;
}

export function round5(n: number): number {
  return Math.round(n * 100000) / 100000;
}
