/**
 * The contract test's receiving and audit journey (issue 14): what a synced PO expects, a receipt committed (and
 * the same receipt again: not a second one), too many units refused, unknown ids, the POS failing while the page
 * reads it; the audit as JSON and CSV, its flags, a bad filter.
 */
import { randomUUID } from 'node:crypto';
import { simControl, type ContractClient } from './contract.ts';
import type { EngineHarness } from './engine.ts';

type Json = Record<string, any>;

export async function receivingJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  // The POS is put back as it was afterwards: the journeys after this one expect the POs as exported.
  const saved = e.pos.sim.exportState();
  try {
    await journey(api, e);
  } finally {
    e.pos.sim.importState(saved);
  }
}

async function journey(api: ContractClient, e: EngineHarness): Promise<void> {
  const exported = ((await api.expect(200, 'GET', '/api/exports?limit=50')).exports as Json[]).filter(
    (x) => x.state === 'exported',
  );
  let target: Json | undefined;
  let page: Json = {};
  for (const candidate of [...exported].reverse()) {
    const reply = await api.call('GET', `/api/purchase-orders/${candidate.id}/receiving`);
    if (reply.status === 200 && reply.body.po.receivable && (reply.body.items as Json[]).some((i) => i.remaining > 0)) {
      [target, page] = [candidate, reply.body];
      break;
    }
  }
  if (!target) throw new Error('the journey needs an exported order with units open');
  const base = `/api/purchase-orders/${target.id}`;
  const item = (page.items as Json[]).find((i) => i.remaining > 0);
  if (!item) throw new Error(`nothing open on ${target.id}: ${JSON.stringify(page)}`);
  const receipt = { receiptId: randomUUID(), lines: [{ posItemId: item.posItemId, quantity: 1 }] };
  await api.expect(400, 'POST', `${base}/receipts`, {
    body: { receiptId: randomUUID(), lines: [{ posItemId: item.posItemId, quantity: item.remaining + 1 }] },
    code: 'INVALID_INPUT',
  });
  // The POS fails while the page reads what is expected: nothing recorded.
  for (const [status, answer] of [
    [400, 502],
    [503, 503],
  ] as const) {
    await simControl(e.pos, 'POST', '/_sim/faults', { kind: 'error', status });
    try {
      await api.expect(answer, 'GET', `${base}/receiving`);
      await api.expect(answer, 'POST', `${base}/receipts`, { body: { ...receipt, receiptId: randomUUID() } });
    } finally {
      await simControl(e.pos, 'DELETE', '/_sim/faults');
    }
  }
  await api.expect(202, 'POST', `${base}/receipts`, { body: receipt });
  await api.expect(202, 'POST', `${base}/receipts`, { body: receipt });
  await e.drain();
  const unknown = `/api/purchase-orders/${randomUUID()}`;
  await api.expect(404, 'GET', `${unknown}/receiving`);
  await api.expect(404, 'POST', `${unknown}/receipts`, { body: { ...receipt, receiptId: randomUUID() } });

  await api.expect(200, 'GET', '/api/audit');
  await api.expect(200, 'GET', `/api/audit?orderId=${target.orderId}&onlyIssues=false`);
  await api.expect(200, 'GET', '/api/audit?format=csv');
  await api.expect(400, 'GET', '/api/audit?orderId=nope');
  await api.expect(200, 'GET', '/api/audit/flags');
}
