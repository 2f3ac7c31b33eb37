/**
 * The connectors the sales-port contract suite (test/contracts/sales-ports.test.ts) runs over: each one's simulator
 * on real loopback HTTP, the port built the way the product builds it, and what a test needs to act on the remote
 * (lose the reply of its next write, count the records a key names). A new ERP or POS connector adds an entry here.
 */
import { createXSeriesClient } from '../../../src/connectors/lightspeed-x/client.ts';
import { createXSeriesSales } from '../../../src/connectors/lightspeed-x/sales.ts';
import { createNetsuiteClient } from '../../../src/connectors/netsuite/client.ts';
import { createNetsuiteSalesOrders } from '../../../src/connectors/netsuite/erp-sales-orders.ts';
import { InMemoryTokenStore } from '../../../src/connectors/shared/oauth2.ts';
import { InMemoryBudgetStore } from '../../../src/connectors/shared/rate-governor.ts';
import type { ErpRecordType, ErpSalesOrders } from '../../../src/core/ports/erp-sales-orders.ts';
import type { PosSales } from '../../../src/core/ports/pos-sales.ts';
import { createLightspeedXSimulator } from '../../../src/simulators/lightspeed-x/index.ts';
import { createNetsuiteSimulator, defaultCredentials } from '../../../src/simulators/netsuite/index.ts';
import { serveApp } from '../../../src/simulators/shared/server.ts';

/** A write whose reply is lost after it committed: a 500 (`ghost_write`) or a dropped connection (`ghost_drop`). */
export type LostReply = 'ghost_write' | 'ghost_drop';

export interface ErpUnderTest {
  port: ErpSalesOrders;
  /** What a new record needs that the account already has: a customer, a location, a plain stocked item. */
  customerId: string;
  locationId: string;
  itemId: string;
  /** A person raises a sales order (pending fulfilment, billed by invoice) for one unit of the plain item. */
  raiseOrder(): Promise<string>;
  /** The next write of this kind commits and its reply is lost. */
  loseReply(write: ErpRecordType, kind: LostReply): Promise<void>;
  /** How many records of a type carry the external id, in the remote itself (not through the port). */
  count(type: ErpRecordType, externalId: string): number;
  close(): Promise<void>;
}

export interface PosSalesUnderTest {
  port: PosSales;
  loseReply(kind: LostReply): Promise<void>;
  /** How many sales with this id the remote holds. */
  count(saleId: string): number;
  close(): Promise<void>;
}

async function control(url: string, path: string, method = 'GET', body?: unknown): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const RECORD = '/services/rest/record/v1';
const netsuiteWrites: Record<ErpRecordType, string> = {
  salesOrder: `${RECORD}/salesOrder`,
  cashSale: `${RECORD}/cashSale`,
  itemFulfillment: `${RECORD}/salesOrder/*/!transform/itemFulfillment`,
  invoice: `${RECORD}/salesOrder/*/!transform/invoice`,
};

async function startNetsuite(): Promise<ErpUnderTest> {
  const sim = createNetsuiteSimulator();
  sim.seedScenario('small', { salesOrders: 0 });
  const server = await serveApp(sim.app, 0);
  const client = createNetsuiteClient({
    baseUrl: server.url,
    credentials: { accountId: sim.accountId, ...defaultCredentials },
    retry: { attempts: 2, baseMs: 0, capMs: 0 },
  });
  const port = createNetsuiteSalesOrders(client);
  const location = await port.locationByName('Main Street');
  const item = (await port.itemsBySku(['NOR-1000-IND-28'])).get('NOR-1000-IND-28');
  const customerId = await port.firstCustomerId();
  if (!location || !item || !customerId) throw new Error('the seeded NetSuite account lacks the contract fixtures');
  type Transaction = { type: string; externalId: string | null };
  const transactions = (): Transaction[] =>
    Object.values((sim.exportState() as { transactions: Record<string, Transaction> }).transactions);
  return {
    port,
    customerId,
    locationId: location.id,
    itemId: item.id,
    async raiseOrder() {
      const made = await control(server.url, '/_sim/sales-orders', 'POST', {
        customer: customerId,
        items: [{ item: 'NOR-1000-IND-28', quantity: 1 }],
        location: 'Main Street',
        fulfilment: 'ship',
        status: 'B',
        customForm: 'invoice',
      });
      return String(made.id);
    },
    loseReply: (write, kind) =>
      control(server.url, '/_sim/faults', 'POST', { kind, method: 'POST', path: netsuiteWrites[write], times: 1 }),
    count: (type, externalId) => transactions().filter((t) => t.type === type && t.externalId === externalId).length,
    close: () => server.close(),
  };
}

async function startXSeries(): Promise<PosSalesUnderTest> {
  const sim = createLightspeedXSimulator();
  sim.seedScenario('small', {});
  const server = await serveApp(sim.app, 0);
  const minted = await control(server.url, '/_sim/tokens', 'POST', {
    scope: 'sales:read sales:write products:read outlets:read',
  });
  const tokens = new InMemoryTokenStore();
  await tokens.write('contract', {
    accessToken: minted.access_token,
    refreshToken: minted.refresh_token,
    expiresAt: Date.now() + Number(minted.expires_in) * 1000,
    tokenType: 'Bearer',
  });
  const client = createXSeriesClient({
    apiBaseUrl: server.url,
    connectionId: 'contract',
    tokens,
    oauth: { tokenUrl: `${server.url}/api/1.0/token`, clientId: 'contract', clientSecret: 'contract' },
    budgets: new InMemoryBudgetStore(),
    budgetKey: 'lightspeed-x:contract',
    retry: { attempts: 2, baseMs: 0, capMs: 0 },
  });
  return {
    port: createXSeriesSales(client),
    loseReply: (kind) =>
      control(server.url, '/_sim/faults', 'POST', { kind, method: 'POST', path: '/api/2026-07/sales', times: 1 }),
    count: (saleId) => sim.db.sales.values().filter((s: { id: string }) => s.id === saleId).length,
    close: () => server.close(),
  };
}

export const erpConnectors: ReadonlyArray<{ system: string; start(): Promise<ErpUnderTest> }> = [
  { system: 'netsuite', start: startNetsuite },
];

export const posSalesConnectors: ReadonlyArray<{ system: string; start(): Promise<PosSalesUnderTest> }> = [
  { system: 'lightspeed-x', start: startXSeries },
];
