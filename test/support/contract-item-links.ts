/**
 * The contract test's item-link and reorder journey (issue 15): the ledger listed, a link's history, changed and
 * undone (then undone past its first event: 409), likely duplicates, following merges, relinking a duplicate (then
 * undone, so later journeys see the links as exported), a reorder's draft and the reorder sent, the POS back office's reorders listed. The sweeps bring
 * about the generic answers from these successes.
 */
import { simControl, type ContractClient } from './contract.ts';
import type { EngineHarness } from './engine.ts';

type Json = Record<string, any>;

export async function itemLinksJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const base = `/api/connections/${e.posConnection.id}/item-links`;
  const page = await api.expect(200, 'GET', `${base}?limit=50`);
  const links = page.links as Json[];
  const [a, b] = links;
  if (!a || !b || a.posItemId === b.posItemId) throw new Error('the journey needs two links to different items');
  const key = encodeURIComponent(a.variantKey);
  await api.expect(200, 'GET', `${base}/history?variantKey=${key}`);
  await api.expect(200, 'POST', `${base}/change`, { body: { variantKey: a.variantKey, posItemId: b.posItemId } });
  await api.expect(200, 'POST', `${base}/undo`, { body: { variantKey: a.variantKey } });
  await api.expect(200, 'GET', `${base}/duplicates`);
  await api.expect(200, 'POST', `${base}/follow-merges`);
  const relinked = await api.expect(200, 'POST', `${base}/relink-duplicate`, {
    body: { ours: b.posItemId, theirs: a.posItemId },
  });
  for (const variantKey of relinked.relinked as string[])
    await api.expect(200, 'POST', `${base}/undo`, { body: { variantKey } });

  const orders = (await api.expect(200, 'GET', '/api/orders?limit=100')).orders as Json[];
  const order = orders[0];
  if (!order) throw new Error('the journey needs an order');
  await api.expect(200, 'GET', `/api/orders/${order.id}/reorder`);
  await api.expect(200, 'POST', `/api/orders/${order.id}/reorder`, { body: { key: 'contract-reorder-1' } });
  // NuORDER refuses the new order: 502, nothing made.
  await simControl(e.nuorder, 'POST', '/_sim/faults', { kind: 'error', status: 400 });
  try {
    await api.expect(502, 'POST', `/api/orders/${order.id}/reorder`, { body: { key: 'contract-reorder-2' } });
  } finally {
    await simControl(e.nuorder, 'DELETE', '/_sim/faults');
  }
  // Reorders started in the POS back office: the list (empty here; test/flows/reorder-from-pos.test.ts fills it).
  await api.expect(200, 'GET', `/api/connections/${e.posConnection.id}/pos-reorders?limit=10`);
  await api.expect(404, 'GET', `/api/connections/${crypto.randomUUID()}/pos-reorders`);
}
