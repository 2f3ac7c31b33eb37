/**
 * Webhook delivery (§7): best effort and asynchronous. A POST with `application/x-www-form-urlencoded` whose
 * `payload` field is a JSON string of the object in the legacy 0.9/1.0 shape, plus `environment`,
 * `domain_prefix`, `retailer_id` and `type`. Webhooks registered with an OAuth token are signed:
 * `X-Signature: signature=<base64 HMAC-SHA256 of the raw body keyed by the app's client_secret>,algorithm=HMAC-SHA256`
 * ([I] §7: key and encoding are not verified; base64 fits the mixed-case sample).
 */
import { createHmac } from 'node:crypto';
import type { XDb } from './db.ts';
import { legacyDate } from './ids.ts';
import { registerSaleOut, consignmentOut, defaultTax } from './render.ts';
import type { ConsignmentRec, InventoryRec, ProductRec, SaleRec } from './state.ts';

export const webhookTypes = [
  'sale.update',
  'product.update',
  'customer.update',
  'inventory.update',
  'register_closure.create',
  'consignment.send',
  'consignment.receive',
] as const;

export interface Delivery {
  webhook_id: string;
  type: string;
  url: string;
  at: string;
  status: number | null;
  error: string | null;
  signed: boolean;
  body: string;
}

export class WebhookDispatcher {
  readonly deliveries: Delivery[] = [];
  #pending = new Set<Promise<void>>();
  readonly #db: XDb;
  readonly #secretOf: (clientId: string) => string | undefined;
  readonly #timeoutMs: () => number;

  constructor(db: XDb, secretOf: (clientId: string) => string | undefined, timeoutMs: () => number) {
    this.#db = db;
    this.#secretOf = secretOf;
    this.#timeoutMs = timeoutMs;
  }

  product(p: ProductRec): void {
    this.#emit('product.update', () => productPayload(p, this.#db));
  }

  sale(s: SaleRec): void {
    this.#emit('sale.update', () => registerSaleOut(s, this.#db));
  }

  inventory(i: InventoryRec): void {
    this.#emit('inventory.update', () => ({
      id: i.id,
      product_id: i.product_id,
      outlet_id: i.outlet_id,
      count: i.inventory_level,
      reorder_point: i.reorder_point,
      restock_level: i.reorder_amount,
      attributed_cost: i.average_cost,
    }));
  }

  consignment(type: 'consignment.send' | 'consignment.receive', c: ConsignmentRec): void {
    this.#emit(type, () => ({
      ...consignmentOut(c, this.#db),
      consignment_products: this.#db.linesOf(c.id).map((l) => ({
        product_id: l.product_id,
        count: l.count,
        received: l.received,
        cost: l.cost,
      })),
    }));
  }

  /** Resolves when every delivery started so far has finished (for tests). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #emit(type: string, build: () => unknown): void {
    const hooks = this.#db.webhooks.filter((w) => w.active && w.type === type);
    if (hooks.length === 0) return;
    const payload = JSON.stringify(build());
    for (const hook of hooks) {
      const body = new URLSearchParams({
        payload,
        environment: 'production',
        domain_prefix: this.#db.retailer.domain_prefix,
        retailer_id: this.#db.retailer.id,
        type,
      }).toString();
      const secret = hook.client_id ? this.#secretOf(hook.client_id) : undefined;
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
        'user-agent': 'Lightspeed-Webhooks/sim',
      };
      if (secret)
        headers['x-signature'] =
          `signature=${createHmac('sha256', secret).update(body).digest('base64')},algorithm=HMAC-SHA256`;
      const delivery: Delivery = {
        webhook_id: hook.id,
        type,
        url: hook.url,
        at: this.#db.now(),
        status: null,
        error: null,
        signed: secret !== undefined,
        body,
      };
      this.deliveries.push(delivery);
      if (this.deliveries.length > 500) this.deliveries.shift();
      const sending = fetch(hook.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.#timeoutMs()) })
        .then(async (res) => {
          delivery.status = res.status;
          await res.body?.cancel();
        })
        .catch((error: unknown) => {
          delivery.error = error instanceof Error ? error.message : String(error);
        })
        .finally(() => this.#pending.delete(sending));
      this.#pending.add(sending);
    }
  }
}

/** The 1.0 product shape webhooks carry (docs/webhooks_example_payloads), abridged. */
function productPayload(p: ProductRec, db: XDb): Record<string, unknown> {
  const tax = defaultTax(db);
  const [one, two, three] = p.variant_options;
  return {
    id: p.id,
    source_id: p.source_id ?? '',
    source_variant_id: p.source_variant_id ?? '',
    variant_parent_id: p.is_variant && p.family_id !== p.id ? p.family_id : '',
    handle: p.handle,
    type: '',
    has_variants: p.is_variant,
    variant_option_one_name: one?.name ?? '',
    variant_option_one_value: one?.value ?? '',
    variant_option_two_name: two?.name ?? '',
    variant_option_two_value: two?.value ?? '',
    variant_option_three_name: three?.name ?? '',
    variant_option_three_value: three?.value ?? '',
    active: p.is_active,
    name: p.name,
    base_name: p.name,
    description: p.description,
    sku: p.sku ?? '',
    brand_name: p.brand_id ? (db.brands.get(p.brand_id)?.name ?? '') : '',
    supplier_name: p.supplier_id ? (db.suppliers.get(p.supplier_id)?.name ?? '') : '',
    supplier_code: p.supplier_code ?? '',
    supply_price: p.supply_price,
    price: p.price_excluding_tax,
    tax: Math.round(p.price_excluding_tax * tax.rate * 100000) / 100000,
    tax_id: tax.id,
    tax_rate: tax.rate,
    tax_name: tax.name,
    inventory: db.outlets.values().map((o) => {
      const inv = db.inventoryFor(p.id, o.id);
      return {
        outlet_id: o.id,
        outlet_name: o.name,
        count: inv?.inventory_level ?? 0,
        reorder_point: inv?.reorder_point ?? 0,
        restock_level: inv?.reorder_amount ?? 0,
        attributed_cost: inv?.average_cost ?? p.supply_price,
      };
    }),
    price_book_entries: [],
    updated_at: legacyDate(Date.parse(p.updated_at)),
    deleted_at: p.deleted_at ? legacyDate(Date.parse(p.deleted_at)) : '',
  };
}
