/**
 * The contract test's journey over the sales sync (NetSuite and X-Series simulators, test/sales/harness.ts): status,
 * settings, rule versions, the dry run, syncing, the log and its retry, linking NetSuite; with the errors each
 * documents that a journey can bring about. Every reply is checked by the ContractClient.
 */
import { defaultRuleSet } from '../../src/core/sales/rules.ts';
import { defaultCredentials } from '../../src/simulators/netsuite/index.ts';
import type { SalesHarness } from '../sales/harness.ts';
import type { ContractClient } from './contract.ts';

type Json = Record<string, any>;

export async function salesJourney(api: ContractClient, h: SalesHarness): Promise<void> {
  await api.expect(200, 'GET', '/api/sales-orders/status');
  await api.expect(200, 'GET', '/api/sales-orders/settings');
  await api.expect(200, 'PUT', '/api/sales-orders/settings', { body: { lookbackDays: 14 } });
  await rulesJourney(api);
  // A sale rung up in the POS becomes a NetSuite cash sale; an order raised in NetSuite becomes a sale.
  await h.x.sell({ status: 'CLOSED', lines: [{ sku: 'NOR-1001-BLK-L', price: 45 }] });
  await h.ns.raise({ items: [{ item: 'NOR-1001-BLK-S' }], fulfilment: 'pickup', status: 'B' });
  await api.expect(202, 'POST', '/api/sales-orders/sync', { body: { direction: 'both' } });
  await h.drain();
  const log = (await api.expect(200, 'GET', '/api/sales-orders/log?limit=50')).entries as Json[];
  const done = log.find((entry) => entry.state === 'completed');
  const open = log.find((entry) => entry.state !== 'completed');
  if (!done || !open) throw new Error(`a completed and an open entry: ${JSON.stringify(log.map((l) => l.state))}`);
  await api.expect(200, 'GET', `/api/sales-orders/log/${done.id}`);
  await api.expect(409, 'POST', `/api/sales-orders/log/${done.id}/retry`, { code: 'SALES_ALREADY_DONE' });
  await api.expect(202, 'POST', `/api/sales-orders/log/${open.id}/retry`);
  await h.drain();
  const account = { accountId: h.ns.sim.accountId, ...defaultCredentials };
  await api.expect(201, 'POST', '/api/sales-orders/netsuite/link', { body: { ...account, name: 'NetSuite' } });
  await api.expect(400, 'POST', '/api/sales-orders/netsuite/link', {
    body: { ...account, tokenSecret: 'not-the-secret' },
    code: 'NETSUITE_LINK_FAILED',
  });
}

async function rulesJourney(api: ContractClient): Promise<void> {
  const rules = await api.expect(200, 'GET', '/api/sales-orders/rules');
  const document = rules.active.document as Json;
  await api.expect(200, 'POST', '/api/sales-orders/rules/validate', { body: { document } });
  const invalid = {
    ...defaultRuleSet(),
    rules: [{ id: 'x', name: 'Nowhere', enabled: true, when: [], send: true, status: 'NOPE' }],
  };
  await api.expect(400, 'POST', '/api/sales-orders/rules', {
    body: { document: invalid },
    code: 'SALES_RULES_INVALID',
  });
  const saved = await api.expect(201, 'POST', '/api/sales-orders/rules', { body: { document, note: 'as is' } });
  await api.expect(200, 'GET', `/api/sales-orders/rules/${saved.version}`);
  await api.expect(200, 'POST', '/api/sales-orders/dry-run', { body: { version: saved.version, days: 7 } });
  await api.expect(400, 'POST', '/api/sales-orders/dry-run', {
    body: { document: invalid },
    code: 'SALES_RULES_INVALID',
  });
  await api.expect(200, 'POST', `/api/sales-orders/rules/${saved.version}/activate`);
}
