/**
 * The contract test's amendments journey (issue 15): an exported order edited in NuORDER is listed, planned,
 * accepted (a stale fingerprint first: drifted; again: decided), applied, and its progress read; another edit is
 * dismissed; an added line that needs review is refused for review; a received PO refuses the next edit; a PO gone
 * from the POS is not applicable; the plan and accept while the POS fails.
 */
import { simControl, type ContractClient } from './contract.ts';
import type { EngineHarness } from './engine.ts';

type Json = Record<string, any>;

async function edit(api: ContractClient, e: EngineHarness, orderNumber: string, lines: Json[]): Promise<void> {
  await simControl(e.nuorder, 'POST', `/_sim/orders/${orderNumber}/edit`, { lines });
  await api.expect(202, 'POST', '/api/orders/sync');
  await e.drain();
}

async function openOne(api: ContractClient, orderId: string): Promise<Json> {
  const page = await api.expect(200, 'GET', `/api/orders/${orderId}/amendments?limit=50`);
  const open = (page.amendments as Json[]).filter((a) => a.state === 'open');
  if (open.length === 0) throw new Error(`no open amendment: ${JSON.stringify(page)}`);
  return open[open.length - 1] as Json;
}

/** Sets a consignment's fields in the X-Series simulator (a person working in the POS). */
function setConsignment(e: EngineHarness, poId: string, patch: Json): void {
  const state = e.pos.sim.exportState() as any;
  const c = (state.consignments as Json[]).find((x) => x.id === poId);
  if (!c) throw new Error(`no consignment ${poId}`);
  Object.assign(c, patch);
  e.pos.sim.importState(state);
}

export async function amendmentsJourney(api: ContractClient, e: EngineHarness): Promise<void> {
  const exported = ((await api.expect(200, 'GET', '/api/exports?limit=50')).exports as Json[]).filter(
    (x) => x.state === 'exported',
  );
  if (exported.length < 2) throw new Error('the journey needs two exported orders');
  const [first, second] = exported as [Json, Json];
  const order = await api.expect(200, 'GET', `/api/orders/${first.orderId}`);
  const line = (order.document.lines as Json[]).find((l) => l.quantity > 0) as Json;
  const base = `/api/orders/${order.id}/amendments`;

  await edit(api, e, order.orderNumber, [
    { productId: line.productSourceId, size: line.size, quantity: line.quantity + 1 },
  ]);
  const amendment = await openOne(api, order.id);
  const plan = await api.expect(200, 'GET', `${base}/${amendment.id}/plan`);
  // The POS fails while the plan is read for an accept: nothing decided.
  for (const [status, answer] of [
    [400, 502],
    [503, 503],
  ] as const) {
    await simControl(e.pos, 'POST', '/_sim/faults', { kind: 'error', status });
    try {
      await api.expect(answer, 'GET', `${base}/${amendment.id}/plan`);
      await api.expect(answer, 'POST', `${base}/${amendment.id}/accept`, { body: {} });
    } finally {
      await simControl(e.pos, 'DELETE', '/_sim/faults');
    }
  }
  await api.expect(409, 'POST', `${base}/${amendment.id}/accept`, {
    body: { fingerprint: 'stale' },
    code: 'AMENDMENT_DRIFTED',
  });
  await api.expect(202, 'POST', `${base}/${amendment.id}/accept`, { body: { fingerprint: plan.fingerprint } });
  await api.expect(409, 'POST', `${base}/${amendment.id}/accept`, { body: {}, code: 'AMENDMENT_DECIDED' });
  await e.drain();
  await api.expect(200, 'GET', `${base}/${amendment.id}/progress`);

  await edit(api, e, order.orderNumber, [
    { productId: line.productSourceId, size: line.size, quantity: line.quantity + 2 },
  ]);
  const dismissed = await openOne(api, order.id);
  await api.expect(200, 'POST', `${base}/${dismissed.id}/dismiss`, { body: {} });
  await api.expect(409, 'POST', `${base}/${dismissed.id}/dismiss`, { body: {}, code: 'AMENDMENT_DECIDED' });

  // Received in the POS: the next edit is refused with the reason, and stays open.
  setConsignment(e, first.poId, { status: 'RECEIVED' });
  await edit(api, e, order.orderNumber, [
    { productId: line.productSourceId, size: line.size, quantity: line.quantity + 3 },
  ]);
  const late = await openOne(api, order.id);
  await api.expect(409, 'POST', `${base}/${late.id}/accept`, { body: {}, code: 'AMENDMENT_REFUSED' });

  // The other order's PO is deleted in the POS: its amendment has nothing to apply to.
  const other = await api.expect(200, 'GET', `/api/orders/${second.orderId}`);
  const otherLine = (other.document.lines as Json[]).find((l) => l.quantity > 0) as Json;
  setConsignment(e, second.poId, { deleted_at: new Date().toISOString() });
  await edit(api, e, other.orderNumber, [
    { productId: otherLine.productSourceId, size: otherLine.size, quantity: otherLine.quantity + 1 },
  ]);
  const orphan = await openOne(api, other.id);
  await api.expect(409, 'GET', `/api/orders/${other.id}/amendments/${orphan.id}/plan`, {
    code: 'AMENDMENT_NOT_APPLICABLE',
  });
}
