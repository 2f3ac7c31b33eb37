/**
 * Test support for the sales sync: the NetSuite and X-Series simulators on real loopback HTTP, an organization with
 * both connections (NetSuite linked through the real link code; X-Series tokens minted by the simulator), the real
 * job handlers on a worker, and helpers that act as the people in each system (raise a NetSuite order, ring up or
 * finish a sale in the POS).
 */
import { createWorker, type Worker } from '../../src/jobs/runner.ts';
import { linkNetsuite, storeXSeriesConnection } from '../../src/flows/sales/connections.ts';
import { openSalesEnv, type SalesEnv } from '../../src/flows/sales/env.ts';
import { salesJobHandlers, type SalesHandlerOptions } from '../../src/flows/sales/jobs.ts';
import { saveSalesSettings, type SalesSettings } from '../../src/flows/sales/config.ts';
import { createLightspeedXSimulator, type LightspeedXSimulator } from '../../src/simulators/lightspeed-x/index.ts';
import {
  createNetsuiteSimulator,
  defaultCredentials,
  type Simulator as NsSimulator,
} from '../../src/simulators/netsuite/index.ts';
import { Vault } from '../../src/secrets/vault.ts';
import type { Store } from '../../src/store/db.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { startSimulator } from '../support/simulators.ts';

export const X_SALES = '/api/2026-07/sales';

type Json = Record<string, any>;

export interface RaiseInput {
  items: Array<{ item: string; quantity?: number; rate?: number }>;
  location?: string;
  fulfilment?: 'pickup' | 'delivery' | 'ship';
  status?: string;
  customForm?: 'invoice' | 'cashSale';
  customer?: string;
  memo?: string;
  custom?: Record<string, unknown>;
}

export interface SalesHarness {
  t: TestApp;
  tenantId: string;
  token: string;
  ns: {
    sim: NsSimulator;
    url: string;
    control(path: string, method?: string, body?: unknown): Promise<any>;
    /** A person raises a sales order in NetSuite and takes it to a status. */
    raise(input: RaiseInput): Promise<{ id: string; tranId: string }>;
    state(): Json;
    /** Fulfilments / invoices / cash sales made from a sales order. */
    children(orderId: string, type: 'itemFulfillment' | 'invoice' | 'cashSale'): any[];
    /** Records of a type carrying an external id. */
    byExternalId(type: string, externalId: string): any[];
    fault(rule: Json): Promise<void>;
    clearFaults(): Promise<void>;
  };
  x: {
    sim: LightspeedXSimulator;
    url: string;
    control(path: string, method?: string, body?: unknown): Promise<any>;
    /** A cashier's API call (its own token, not Tradeloop's). */
    api(path: string, method?: string, body?: unknown): Promise<{ status: number; body: any }>;
    productId(sku: string): string;
    outletId(name: string): string;
    registerOf(outletName: string): string;
    userId(): string;
    taxId(name?: string): string;
    paymentTypeId(name?: string): string;
    /** A cashier rings up a sale. */
    sell(input: {
      outlet?: string;
      status: string;
      lines: Array<{ sku: string; quantity?: number; price?: number; note?: string }>;
      paid?: boolean;
    }): Promise<Json>;
    /** The POS finishes a sale: picked up, dispatched, or completed. */
    finish(saleId: string, how: 'picked_up' | 'dispatched' | 'complete' | 'layby_complete'): Promise<Json>;
    sale(id: string): Json | undefined;
    sales(): Json[];
    fault(rule: Json): Promise<void>;
    clearFaults(): Promise<void>;
  };
  env(): Promise<SalesEnv>;
  worker: Worker;
  /** Runs queued jobs until none is due. */
  drain(): Promise<number>;
  settings(changes: Partial<SalesSettings>): Promise<SalesSettings>;
  close(): Promise<void>;
}

/** NetSuite items that X-Series does not carry in the seeded store; created there by SKU for the tests. */
export const SPECIAL_SKUS = ['TL-WATCH-TIDAL', 'TL-GPS-RIDGE', 'TL-BALM-BEESWAX', 'TL-TOTE-CANVAS', 'TL-KIT-EXPLORER'];

export async function startSalesHarness(
  store: Store,
  options: { handlers?: SalesHandlerOptions; settings?: Partial<SalesSettings>; vaultKey?: string } = {},
): Promise<SalesHarness> {
  // Built here so the harness keeps their own types (NetSuite's account, X-Series' tables).
  const nsSim = createNetsuiteSimulator();
  const nsServer = await startSimulator('netsuite', {
    sim: nsSim,
    scenario: 'small',
    scenarioOptions: { salesOrders: 0 },
  });
  const xSim = createLightspeedXSimulator();
  const xServer = await startSimulator('lightspeed-x', { sim: xSim, scenario: 'small' });

  // NetSuite is reached where the operator configured it (NETSUITE_BASE_URL): here, the simulator.
  const config = createTestApp(store).ctx.config;
  const t = createTestApp(store, {
    config: { ...config, providers: { ...config.providers, netsuite: { baseUrl: nsServer.url } } },
    ...(options.vaultKey ? { vault: new Vault(options.vaultKey) } : {}),
  });
  const tenant = await t.newTenant('Lakeside Goods');
  const tenantId = tenant.tenantId;
  const nsControl = (path: string, method = 'GET', body?: unknown) => nsServer.control(method, path, body);
  const xControl = (path: string, method = 'GET', body?: unknown) => xServer.control(method, path, body);

  // The X-Series store also sells NetSuite's special items (serialized, lot, bin, the kit) under the same SKUs.
  const cashier = (await xControl('/_sim/tokens', 'POST', { scope: 'sales:write products:write' }))
    .access_token as string;
  const xApi = async (path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${xServer.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${cashier}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  for (const [i, sku] of SPECIAL_SKUS.entries()) {
    const made = await xApi('/api/2.0/products', 'POST', { name: `Special ${sku}`, sku, price_excluding_tax: 20 + i });
    if (made.status >= 400) throw new Error(`could not create ${sku}: ${JSON.stringify(made.body)}`);
  }

  const linked = await linkNetsuite(t.ctx, tenantId, {
    accountId: nsSim.accountId,
    ...defaultCredentials,
    name: 'NetSuite (simulator)',
  });
  void linked;
  const minted = await xControl('/_sim/tokens', 'POST', { scope: 'sales:read sales:write products:read outlets:read' });
  await storeXSeriesConnection(t.ctx, tenantId, {
    domainPrefix: xSim.db.retailer.domain_prefix,
    baseUrl: xServer.url,
    name: 'X-Series (simulator)',
    tokens: {
      accessToken: minted.access_token,
      refreshToken: minted.refresh_token,
      expiresAt: Date.now() + Number(minted.expires_in) * 1000,
    },
  });
  if (options.settings) await saveSalesSettings(t.ctx, tenantId, options.settings);

  const worker = createWorker({
    store,
    handlers: salesJobHandlers(t.ctx, options.handlers),
    backoff: { baseMs: 1, capMs: 1 },
    pollMs: 20,
  });

  const nsState = (): Json => nsSim.exportState() as Json;
  const db = xSim.db;
  const product = (sku: string): string => {
    const p = db.products.values().find((x) => x.sku === sku);
    if (!p) throw new Error(`no X-Series product ${sku}`);
    return p.id;
  };
  const outlet = (name: string): string => {
    const o = db.outlets.values().find((x) => x.name === name);
    if (!o) throw new Error(`no outlet ${name}`);
    return o.id;
  };
  const register = (outletName: string): string => {
    const r = db.registers.values().find((x) => x.outlet_id === outlet(outletName));
    if (!r) throw new Error(`no register at ${outletName}`);
    return r.id;
  };
  const tax = (name = 'No Tax'): string => (db.taxes.values().find((x) => x.name === name) as { id: string }).id;
  const payment = (name = 'Cash'): string =>
    (db.paymentTypes.values().find((x) => x.name === name) as { id: string }).id;
  const user = (): string => (db.users.values()[0] as { id: string }).id;

  const harness: SalesHarness = {
    t,
    tenantId,
    token: tenant.token,
    ns: {
      sim: nsSim,
      url: nsServer.url,
      control: nsControl,
      async raise(input) {
        const body = {
          customer: input.customer ?? '201',
          items: input.items.map((i) => ({
            item: i.item,
            quantity: i.quantity ?? 1,
            ...(i.rate !== undefined ? { rate: i.rate } : {}),
          })),
          location: input.location ?? 'Main Street',
          ...(input.fulfilment ? { fulfilment: input.fulfilment } : {}),
          status: input.status ?? 'B',
          customForm: input.customForm ?? 'invoice',
          ...(input.memo ? { memo: input.memo } : {}),
          ...(input.custom ? { custom: input.custom } : {}),
        };
        const made = await nsControl('/_sim/sales-orders', 'POST', body);
        return { id: made.id as string, tranId: made.tranId as string };
      },
      state: nsState,
      children(orderId, type) {
        return Object.values(nsState().transactions as Record<string, Json>).filter(
          (t) => t.type === type && t.createdFrom === orderId,
        );
      },
      byExternalId(type, externalId) {
        return Object.values(nsState().transactions as Record<string, Json>).filter(
          (t) => t.type === type && t.externalId === externalId,
        );
      },
      fault: async (rule) => void (await nsControl('/_sim/faults', 'POST', rule)),
      clearFaults: async () => void (await nsControl('/_sim/faults', 'DELETE')),
    },
    x: {
      sim: xSim,
      url: xServer.url,
      control: xControl,
      api: xApi,
      productId: product,
      outletId: outlet,
      registerOf: register,
      userId: user,
      taxId: tax,
      paymentTypeId: payment,
      async sell(input) {
        const outletName = input.outlet ?? 'Main Street';
        const form = saleForm(input.status);
        const lines = input.lines.map((l) => ({
          product: { id: product(l.sku) },
          quantity: l.quantity ?? 1,
          pricing: { price: String(l.price ?? 25) },
          tax: { id: tax(), amount: '0' },
          // A line note is the line attribute `line_note` in the 2026-07 SaleLineItem (there is no line `note`).
          ...(l.note ? { attributes: [{ name: 'line_note', value: l.note }] } : {}),
        }));
        const total = input.lines.reduce((s, l) => s + (l.price ?? 25) * (l.quantity ?? 1), 0);
        const res = await xApi(X_SALES, 'POST', {
          source: { author_id: user(), register_id: register(outletName) },
          state: form.state,
          attributes: form.attributes,
          line_items: lines,
          ...(input.paid === false ? {} : { payments: [{ amount: total, type: { config_id: payment() } }] }),
        });
        if (res.status >= 400) throw new Error(`sale refused: ${JSON.stringify(res.body)}`);
        return res.body.data;
      },
      async finish(saleId, how) {
        const res =
          how === 'picked_up' || how === 'dispatched'
            ? await xApi(`/api/2.0/sales/${saleId}/fulfill`, 'POST', {
                fulfillment_type: how === 'picked_up' ? 'PICKED_UP' : 'SHIPPED',
              })
            : await xApi(`${X_SALES}/${saleId}`, 'PUT', {
                // SaleUpdateRequest requires the author (SaleRequestBase: source.author_id and state).
                source: { author_id: user() },
                state: 'closed',
                attributes: how === 'layby_complete' ? ['layby'] : [],
              });
        if (res.status >= 400) throw new Error(`finishing ${saleId} refused: ${JSON.stringify(res.body)}`);
        return (await xApi(`/api/2.0/sales/${saleId}`)).body.data;
      },
      sale: (id) => db.sales.get(id) as Json | undefined,
      sales: () => db.sales.values() as Json[],
      fault: async (rule) => void (await xControl('/_sim/faults', 'POST', rule)),
      clearFaults: async () => void (await xControl('/_sim/faults', 'DELETE')),
    },
    env: () => openSalesEnv(t.ctx, tenantId),
    worker,
    drain: () => worker.drain(),
    settings: (changes) => saveSalesSettings(t.ctx, tenantId, changes),
    async close() {
      await worker.stop({ graceMs: 100 });
      await nsServer.close();
      await xServer.close();
    },
  };
  return harness;
}

function saleForm(status: string): { state: string; attributes: string[] } {
  const table: Record<string, { state: string; attributes: string[] }> = {
    SAVED: { state: 'parked', attributes: [] },
    CLOSED: { state: 'closed', attributes: [] },
    LAYBY: { state: 'pending', attributes: ['layby'] },
    AWAITING_PICKUP: { state: 'pending', attributes: ['pickup'] },
    AWAITING_DISPATCH: { state: 'pending', attributes: ['delivery'] },
    ONACCOUNT: { state: 'pending', attributes: ['onaccount'] },
  };
  const form = table[status];
  if (!form) throw new Error(`the test cashier cannot ring up ${status}`);
  return form;
}
