/**
 * What accepting an amendment would change on the exported purchase order, made from the PO as the POS has it now
 * (core/amendment-plan.ts), and the added lines planned like an export against the POS catalog (match or create
 * items, review). Nothing is written. The fingerprint covers what the plan was made from, so an accept that names
 * the previewed fingerprint is refused (drift) when the PO or the catalog changed since.
 */
import { createHash } from 'node:crypto';
import { planAmendment, type AmendmentPlan, type ExportedPo } from '../../core/amendment-plan.ts';
import { NO_PO_CHANGES, poStage, type PoChangeRules } from '../../core/po-change-rules.ts';
import { conflict, notFound } from '../../core/errors.ts';
import type { ExportPlan } from '../../core/plan.ts';
import type { PurchaseOrderSnapshot } from '../../core/ports/po-changes.ts';
import type { WholesaleOrder } from '../../core/wholesale-order.ts';
import {
  amendmentDecisions,
  exportPlans,
  exports,
  itemLinks,
  wholesaleOrders,
  type AmendmentRecord,
  type Connection,
  type StoredExport,
} from '../../store/repos/index.ts';
import { syncCatalogMirror } from '../catalog-mirror.ts';
import type { EngineContext } from '../engine-context.ts';
import { computePlan, requirePosConnection } from '../plan-export.ts';

/** What applying one amendment will do: stored on the amendment when it is accepted, and what the saga applies. */
export interface AmendmentApplyPlan {
  amendmentId: string;
  orderId: string;
  orderNumber: string;
  exportId: string;
  connectionId: string;
  system: string;
  poId: string;
  poNumber: string;
  poUrl: string;
  poStatus: string;
  /** The PO changes, refusals (with what to do by hand), things to review and notes. */
  plan: AmendmentPlan;
  /** The added lines planned like an export (null: no line added, or the PO takes none). */
  added: ExportPlan | null;
  /** True when the added lines can be applied as planned (nothing to review, nothing blocking). */
  addedReady: boolean;
  /** Nothing refused, nothing to review, the added lines ready: the apply needs no person. */
  needsNoReview: boolean;
  /** Whether anything at all would change on the PO. */
  changesSomething: boolean;
  fingerprint: string;
}

interface Context {
  amendment: AmendmentRecord;
  order: { id: string; orderNumber: string; document: WholesaleOrder };
  row: StoredExport;
  connection: Connection;
}

async function loadContext(ctx: EngineContext, tenantId: string, amendmentId: string): Promise<Context> {
  const { db } = ctx.store;
  const amendment = await amendmentDecisions.get(db, tenantId, amendmentId);
  if (!amendment) throw notFound('Amendment', amendmentId);
  const order = await wholesaleOrders.get(db, tenantId, amendment.orderId);
  if (!order) throw notFound('Order', amendment.orderId);
  const row = (await exports.forOrders(db, tenantId, [order.id])).find((e) => e.state === 'exported' && e.poId);
  if (!row?.poId)
    throw conflict('AMENDMENT_NOT_APPLICABLE', `Order ${order.orderNumber} has no exported purchase order to amend`);
  const connection = await requirePosConnection(ctx, tenantId, row.connectionId);
  return { amendment, order, row, connection };
}

/** The POS connection whose purchase order the amendment changes (the order's exported PO's). */
export async function amendedConnection(ctx: EngineContext, tenantId: string, amendmentId: string) {
  return (await loadContext(ctx, tenantId, amendmentId)).connection;
}

/**
 * Each order line's POS item and pack size on this PO: the export's plan (lines by variant), the item links (what
 * the export created), and the lines earlier amendments added.
 */
async function lineItems(
  ctx: EngineContext,
  c: Context,
): Promise<{ itemOf: Map<string, string>; unitsPerLine: Record<string, number> }> {
  const { db } = ctx.store;
  const plan = await exportPlans.get(db, c.row.tenantId, c.row.planId);
  const earlier = (await amendmentDecisions.forOrder(db, c.row.tenantId, c.order.id))
    .filter((a) => a.applyState === 'applied')
    .flatMap((a) => (a.applyPlan as AmendmentApplyPlan | null)?.added?.lines ?? []);
  const lines = [...(plan?.plan.lines ?? []).filter((l) => l.orderSourceId === c.order.document.sourceId), ...earlier];
  const links = await itemLinks.mapFor(
    db,
    c.row.tenantId,
    c.connection.id,
    lines.map((l) => l.variantKey),
  );
  const itemOf = new Map<string, string>();
  const unitsPerLine: Record<string, number> = {};
  for (const line of lines) {
    const d = line.decision;
    const direct =
      d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer' ? d.posItemId : null;
    const item = links.get(line.variantKey) ?? direct;
    if (item) itemOf.set(line.lineKey, item);
    if (line.pack) unitsPerLine[line.lineKey] = line.pack.unitsPerPack;
  }
  return { itemOf, unitsPerLine };
}

/** How a POS system's POs take changes, as its manifest says (none known: every change goes to a person). */
export function poChangeRules(ctx: EngineContext, system: string): PoChangeRules {
  return ctx.connectors.manifest(system)?.poChanges ?? NO_PO_CHANGES;
}

function exportedPo(
  rules: PoChangeRules,
  po: PurchaseOrderSnapshot,
  itemOf: Map<string, string>,
  unitsPerLine: Record<string, number>,
): ExportedPo {
  const keysByItem = new Map<string, string[]>();
  for (const [lineKey, item] of itemOf) keysByItem.set(item, [...(keysByItem.get(item) ?? []), lineKey]);
  return {
    rules,
    stage: poStage(rules, po.status),
    number: po.number,
    lines: po.lines.map((l) => ({ ...l, sourceLineKeys: keysByItem.get(l.posItemId) ?? [] })),
    unitsPerLine,
  };
}

export async function planAmendmentApply(
  ctx: EngineContext,
  tenantId: string,
  amendmentId: string,
): Promise<AmendmentApplyPlan> {
  const c = await loadContext(ctx, tenantId, amendmentId);
  const changes = await ctx.connectors.purchaseOrderChanges(c.connection);
  const poId = c.row.poId as string;
  const po = await changes.readPurchaseOrder(poId);
  if (!po)
    throw conflict(
      'AMENDMENT_NOT_APPLICABLE',
      `PO ${c.row.poNumber ?? poId} of order ${c.order.orderNumber} no longer exists in the POS; make a new one by hand`,
    );
  const { itemOf, unitsPerLine } = await lineItems(ctx, c);
  const plan = planAmendment(
    c.amendment.changes,
    exportedPo(poChangeRules(ctx, c.connection.system), po, itemOf, unitsPerLine),
  );
  const addLines = plan.changes.find((ch) => ch.kind === 'add_lines');
  let added: ExportPlan | null = null;
  if (addLines?.kind === 'add_lines') {
    const pos = await ctx.connectors.pointOfSale(c.connection);
    await syncCatalogMirror(ctx, c.connection, pos);
    const lineKeys = new Set(addLines.lines.map((l) => l.lineKey));
    const document: WholesaleOrder = {
      ...c.order.document,
      lines: c.order.document.lines.filter((l) => lineKeys.has(l.lineKey)),
    };
    added = await computePlan(ctx, c.connection, [document], []);
  }
  const addedReady = added === null || (added.canApply && added.counts.needsReview === 0);
  const needsNoReview = plan.refused.length === 0 && plan.review.length === 0 && addedReady;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([c.amendment.changes, po.status, po.lines, added?.fingerprint ?? null]))
    .digest('hex')
    .slice(0, 16);
  return {
    amendmentId,
    orderId: c.order.id,
    orderNumber: c.order.orderNumber,
    exportId: c.row.id,
    connectionId: c.connection.id,
    system: c.connection.system,
    poId,
    poNumber: po.number,
    poUrl: po.url,
    poStatus: po.status,
    plan,
    added,
    addedReady,
    needsNoReview,
    changesSomething: plan.changes.length > 0,
    fingerprint,
  };
}
