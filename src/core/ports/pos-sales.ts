/**
 * The port a point of sale (Lightspeed X-Series) implements for the sales sync: its sales (read by a version cursor,
 * one by id, and created with an id we choose: the correlation key), and the store set-up a sale needs (outlets,
 * registers, users, taxes, payment types, products by SKU).
 *
 * A sale's id is chosen by the caller and derived from the ERP order, so a create whose reply was lost is found again
 * with `getSale`. A create refused because a sale with that id already exists resolves with that sale: the key did
 * its job. Errors are thrown as the Remote* classes (see pos.ts).
 */
export interface PosSaleLine {
  productId: string;
  quantity: number;
  price: number | null;
  note: string | null;
  voided: boolean;
}

export interface PosSale {
  id: string;
  outletId: string | null;
  invoiceNumber: string | null;
  /** Who made the sale (`TRADELOOP_NETSUITE` for ours). */
  source: string | null;
  /** The legacy status the rules map to (CLOSED, AWAITING_PICKUP, …). */
  status: string;
  attributes: string[];
  saleDate: string | null;
  lines: PosSaleLine[];
}

export interface NewPosSaleLine {
  productId: string;
  quantity: number;
  price: number;
  taxId: string;
  taxAmount: number;
  note?: string;
}

export interface NewPosSale {
  /** A UUID chosen by us: the correlation key, derived from the ERP order. */
  id: string;
  authorId: string;
  registerId: string;
  /** The external id, e.g. `NS-SO1042`, and who it came from. */
  sourceId: string;
  sourceType: string;
  date: string;
  state: string;
  attributes: string[];
  note?: string;
  lines: NewPosSaleLine[];
  payment?: { paymentTypeId: string; amount: number; date: string };
  fulfillment?: { type: 'DISPATCH' | 'PICKUP'; note?: string };
}

/** What a create answered: the sale's id, and its state + attributes when the reply carried them. */
export interface CreatedPosSale {
  id: string;
  state: string | null;
  attributes: string[] | null;
}

export interface PosSalesStore {
  outlets: Array<{ id: string; name: string }>;
  registers: Array<{ id: string; outletId: string; name: string }>;
  users: Array<{ id: string }>;
  taxes: Array<{ id: string; name: string; rate: number }>;
  paymentTypes: Array<{ id: string; name: string }>;
}

export interface PosSales {
  /** By id; undefined when there is none. */
  getSale(id: string): Promise<PosSale | undefined>;
  createSale(sale: NewPosSale): Promise<CreatedPosSale>;
  /** One page of sales changed after `version`, oldest first, and the highest version seen. */
  salesAfter(version: number, pageSize?: number): Promise<{ sales: PosSale[]; maxVersion: number }>;
  productsBySku(skus: string[]): Promise<Map<string, { id: string; sku: string }>>;
  product(id: string): Promise<{ id: string; sku: string | null } | undefined>;
  /** What a sale is made with: the store's live outlets, registers, users, taxes and payment types. */
  storeSetup(): Promise<PosSalesStore>;
}
