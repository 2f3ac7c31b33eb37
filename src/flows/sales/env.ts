/**
 * What one run of the sales sync works with: the app context, the organization, both systems' APIs (credentials from
 * the vault), the settings, and per-run caches of the X-Series store set-up.
 */
import type { EngineContext } from '../engine-context.ts';
import type { ErpSalesOrders } from '../../core/ports/erp-sales-orders.ts';
import type { PosSales, PosSalesStore } from '../../core/ports/pos-sales.ts';
import { saleIdFor } from '../../core/sales/keys.ts';
import { loadSalesSettings, type SalesSettings } from './config.ts';
import { openNetsuite, openXSeriesSales, salesPair, type SalesPair } from './connections.ts';

export interface SalesEnv {
  ctx: EngineContext;
  tenantId: string;
  pair: SalesPair;
  ns: ErpSalesOrders;
  x: PosSales;
  settings: SalesSettings;
  /** Aborted when the job running the sync lost its lock or the worker stops: no new remote call is started. */
  signal?: AbortSignal;
  xStore(): Promise<PosSalesStore>;
  /** X-Series products by SKU (cached for the run). */
  xProducts(skus: string[]): Promise<Map<string, { id: string; sku: string }>>;
}

export async function openSalesEnv(
  ctx: EngineContext,
  tenantId: string,
  ids: { netsuite?: string | undefined; xseries?: string | undefined } = {},
): Promise<SalesEnv> {
  const pair = await salesPair(ctx, tenantId, ids);
  const ns = await openNetsuite(ctx, pair.netsuite);
  const x = await openXSeriesSales(ctx, pair.xseries);
  const settings = await loadSalesSettings(ctx.store.db, tenantId);
  let setup: Promise<PosSalesStore> | undefined;
  const products = new Map<string, { id: string; sku: string } | null>();
  return {
    ctx,
    tenantId,
    pair,
    ns,
    x,
    settings,
    xStore() {
      setup ??= x.storeSetup();
      setup.catch(() => {
        setup = undefined;
      });
      return setup;
    },
    async xProducts(skus) {
      const missing = [...new Set(skus)].filter((s) => !products.has(s.toLowerCase()));
      if (missing.length > 0) {
        const found = await x.productsBySku(missing);
        for (const sku of missing) products.set(sku.toLowerCase(), found.get(sku) ?? null);
      }
      const out = new Map<string, { id: string; sku: string }>();
      for (const sku of skus) {
        const p = products.get(sku.toLowerCase());
        if (p) out.set(sku, p);
      }
      return out;
    },
  };
}

/** The row of a NetSuite order, per NetSuite connection. */
export function nsSourceKey(env: SalesEnv, orderId: string): string {
  return `ns:${env.pair.netsuite.id}:${orderId}`;
}

/** The row of an X-Series sale, per X-Series connection. */
export function xSourceKey(env: SalesEnv, saleId: string): string {
  return `x:${env.pair.xseries.id}:${saleId}`;
}

/** The X-Series sale id a NetSuite order always gets (its correlation key). */
export function saleIdForOrder(env: Pick<SalesEnv, 'tenantId' | 'pair'>, orderId: string): string {
  return saleIdFor(`${env.tenantId}:${env.pair.netsuite.externalAccountId}:${orderId}`);
}
