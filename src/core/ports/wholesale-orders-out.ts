/**
 * Sending a new order to the wholesale platform from the retailer's side (a reorder): NuORDER `PUT /api/order/new`
 * [I] (nuorder.md §3.1 names the route, documents no body). The order number is the caller's, so a retry after a
 * lost reply finds the order already made (409 → read it by number) instead of making a second one. The brand then
 * approves it or suggests changes in NuORDER; the ingest flow picks it up once approved, like any order.
 */
export interface NewOrderLine {
  /** The source's product id (NuORDER `product._id`). */
  readonly productSourceId: string;
  readonly styleNumber: string;
  readonly color: string;
  readonly sizes: ReadonlyArray<{ readonly size: string; readonly quantity: number }>;
}

export interface NewWholesaleOrder {
  /** Chosen by Tradeloop and unique per reorder: the retry key. */
  readonly orderNumber: string;
  readonly customerPoNumber: string | null;
  readonly notes: string;
  readonly lines: readonly NewOrderLine[];
}

export interface CreatedWholesaleOrder {
  readonly sourceId: string;
  readonly orderNumber: string;
  /** The source's status word (NuORDER: pending until the brand approves). */
  readonly status: string;
  /** True when the order existed already (a retry). */
  readonly existed: boolean;
}

export interface WholesaleOrderCreation {
  createOrder(order: NewWholesaleOrder): Promise<CreatedWholesaleOrder>;
}
