/**
 * The amendment saga (the job that applies an accepted amendment to the exported purchase order): read the PO →
 * create the new items of the added lines (the export's own supplier and product steps) → set quantities and
 * costs → set the expected date → add the lines → record their item links → remove lines → or, for a cancelled
 * order, cancel the PO the way the POS allows → mark the amendment applied. One step per file in steps/; every
 * write step reads the PO first, so a retry or a write that landed though its reply was lost changes nothing
 * twice. The runtime (flows/saga/) records, resumes and applies the one remote-error policy (429 → defer, outage
 * → wait, lost authorization → needs re-link).
 */
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import type { PoChange } from '../../core/amendment-plan.ts';
import { amendmentDecisions, connections } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { cooperation } from '../export/cooperation.ts';
import { createProduct, familiesJoinedBy } from '../export/steps/create-product.ts';
import { ensureSupplier } from '../export/steps/ensure-supplier.ts';
import { defineSaga } from '../saga/index.ts';
import { poChangeRules, type AmendmentApplyPlan } from './plan.ts';
import { addLines } from './steps/add-lines.ts';
import { cancelPurchaseOrder } from './steps/cancel-purchase-order.ts';
import { markApplied } from './steps/mark-applied.ts';
import { readPurchaseOrder } from './steps/read-purchase-order.ts';
import { recordLinks } from './steps/record-links.ts';
import { removeLines } from './steps/remove-lines.ts';
import { setExpectedDate } from './steps/set-expected-date.ts';
import { setLineQuantities } from './steps/set-line-quantities.ts';
import { addedAsStoredPlan, type AmendmentLoaded, type AmendmentPorts, type AmendmentStep } from './types.ts';

const payload = z.object({ amendmentId: z.string().min(1) });
type Payload = z.infer<typeof payload>;

export const amendmentSaga = defineSaga<EngineContext, Payload, AmendmentLoaded, AmendmentPorts>({
  name: 'amendment',
  task: 'amendment.apply',
  payload,
  options: { concurrency: 2, maxAttempts: 8 },
  lockKey: (p) => `amendment:${p.amendmentId}`,
  sagaId: (p) => p.amendmentId,
  remoteLabel: 'the POS',
  load,
  steps,
  async open(ctx, loaded) {
    return {
      pos: await ctx.connectors.pointOfSale(loaded.connection),
      changes: await ctx.connectors.purchaseOrderChanges(loaded.connection),
      coop: cooperation(ctx, loaded.connection, loaded.plan),
      started: ctx.now(),
    };
  },
  hooks: {
    connectionFor: (run) => run.loaded?.connection.id,
    async onFailed(run, error) {
      const message = error instanceof Error ? error.message : String(error);
      await amendmentDecisions.finishApply(
        run.deps.store.db,
        run.tenantId,
        run.payload.amendmentId,
        'failed',
        { message },
        run.deps.now(),
      );
    },
  },
});

async function load(ctx: EngineContext, tenantId: string, { amendmentId }: Payload): Promise<AmendmentLoaded> {
  const amendment = await amendmentDecisions.get(ctx.store.db, tenantId, amendmentId);
  if (!amendment) throw notFound('Amendment', amendmentId);
  const apply = amendment.applyPlan as AmendmentApplyPlan | null;
  if (!apply) throw notFound('Accepted amendment', amendmentId);
  const connection = await connections.get(ctx.store.db, tenantId, apply.connectionId);
  if (!connection) throw notFound('POS connection', apply.connectionId);
  return {
    ctx,
    amendment,
    apply,
    connection,
    plan: addedAsStoredPlan(apply, tenantId, ''),
    capabilities: ctx.connectors.posCapabilities(connection.system),
    poChanges: poChangeRules(ctx, connection.system),
    exportRows: [],
    orderIdBySource: new Map(),
  };
}

type Change<K extends PoChange['kind']> = Extract<PoChange, { kind: K }>;

/** The planned steps, in the order they run (the progress the page shows is exactly these). */
function steps(loaded: AmendmentLoaded): AmendmentStep[] {
  const { apply } = loaded;
  const changes = apply.plan.changes;
  const of = <K extends PoChange['kind']>(kind: K): Array<Change<K>> =>
    changes.filter((c): c is Change<K> => c.kind === kind);
  const out: AmendmentStep[] = [readPurchaseOrder(apply.poNumber)];
  const cancel = of('cancel_po')[0];
  if (cancel) out.push(cancelPurchaseOrder(apply.poNumber, cancel.how, cancel.message));
  else {
    const added = apply.added;
    if (added && added.newProducts.length > 0) {
      const brands = new Map(added.newProducts.map((p) => [p.brand.sourceId, p.brand]));
      const unmapped = [...brands.values()].filter(
        (b) => !added.suppliers?.some((s) => s.brand.sourceId === b.sourceId && s.supplierId !== null),
      );
      const currency = added.purchaseOrders[0]?.currency ?? null;
      out.push(...unmapped.map((brand) => ensureSupplier(loaded, brand, currency)));
      const joined = familiesJoinedBy(added.newProducts);
      out.push(...added.newProducts.map((product) => createProduct(loaded, product, joined)));
    }
    const sets = [...of('set_quantity'), ...of('set_cost')];
    if (sets.length > 0) out.push(setLineQuantities(apply.poNumber, sets));
    const date = of('set_expected_date')[0];
    if (date) out.push(setExpectedDate(apply.poNumber, date.to));
    if (added && added.purchaseOrders.some((po) => po.lines.length > 0)) {
      out.push(addLines(apply.poNumber, added.purchaseOrders.flatMap((po) => po.lines).length), recordLinks());
    }
    const removed = of('remove_line').map((c) => c.posItemId);
    if (removed.length > 0) out.push(removeLines(apply.poNumber, removed));
  }
  out.push(markApplied(out.map((s) => s.key)));
  return out;
}
