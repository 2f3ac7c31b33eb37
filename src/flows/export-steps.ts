import { AppError } from '../core/errors.ts';
import type { NewProduct, PlannedPurchaseOrder } from '../core/plan.ts';
import type { AddLineOutcome, PointOfSale, PosPurchaseOrder, PurchaseOrderLineSpec } from '../core/ports/pos.ts';
import { purchaseOrderKeyOf } from '../core/pos-catalog.ts';
import { RemoteRejected } from '../connectors/shared/errors.ts';
import {
  exports,
  itemLinks,
  type Connection,
  type ExportSummary,
  type StoredExport,
  type StoredPlan,
} from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';
import type { Cooperation } from './export-cooperation.ts';

/**
 * The steps of the export saga (run by export-saga.ts): ensure a supplier per brand, create each new
 * product, then per order create the PO, add its lines, submit it, record item links and mark it
 * exported. Each step is recorded before it talks to the POS and again with what it created; a step
 * found started-but-unfinished runs its reconcile path (find by correlation key, create what is missing).
 */

export interface ProductStepResult {
  parentId: string | null;
  variantIds: Record<string, string>;
  created: number;
}

export interface SupplierStepResult {
  id: string;
  name: string;
  created: boolean;
}

/**
 * The supplier (X-Series) or vendor (R-Series) of a brand: found by the brand's id or name, else created,
 * under the POS account's lock, so two exports of a brand new to the POS never both create it.
 */
export function supplierStep(
  saga: SagaSteps,
  pos: PointOfSale,
  brand: { sourceId: string; name: string },
  currency: string | null,
  coop: Cooperation,
): Promise<SupplierStepResult> {
  const key = `supplier:${brand.sourceId}`;
  const ensure = async (): Promise<SupplierStepResult> => {
    const found = await pos.findSupplier({ name: brand.name, sourceBrandId: brand.sourceId });
    const bySource = found.filter((s) => s.matchedBy === 'source_id');
    const chosen = bySource.length === 1 ? bySource[0] : found.length === 1 ? found[0] : undefined;
    if (chosen) return { id: chosen.id, name: chosen.name, created: false };
    if (found.length > 1) {
      throw new AppError(
        'SUPPLIER_AMBIGUOUS',
        `Several suppliers in the POS are called ${brand.name}; keep one, or name the brand's id on it`,
        { httpStatus: 409 },
      );
    }
    const created = await pos.createSupplier({ name: brand.name, sourceBrandId: brand.sourceId, currency });
    return { id: created.id, name: created.name, created: true };
  };
  if (saga.isDone(key)) return saga.step(key, null, ensure);
  return coop.exclusive(key, () => saga.step(key, null, ensure));
}

export async function createProductStep(
  saga: SagaSteps,
  pos: PointOfSale,
  product: NewProduct,
  supplierId: string,
  coop: Cooperation,
): Promise<ProductStepResult> {
  const canExtend = pos.capabilities.addsVariantsToExistingParent;
  const spec = (variants: NewProduct['variants'], existingParentId: string | null, existingParentIsOurs = false) => ({
    correlationKey: product.correlationKey,
    matrixKey: product.matrixKey,
    supplierId,
    brandName: product.brand.name,
    styleNumber: product.styleNumber,
    color: product.color,
    name: product.name,
    season: product.season,
    category: product.category,
    images: product.images,
    existingParentId: canExtend ? existingParentId : null,
    existingParentIsOurs: canExtend && existingParentId !== null && existingParentIsOurs,
    variants: variants.map((v) => ({
      variantKey: v.variantKey,
      correlationKey: v.correlationKey,
      size: v.size,
      gtin14: v.gtin14,
      upc: v.upc,
      cost: v.cost,
      retail: v.retail,
    })),
  });
  // What an earlier attempt, or another export sharing this product, created is found by correlation key;
  // only the missing sizes are created (added to that family where the POS can).
  const reconcile = async (): Promise<ProductStepResult> => {
    const [found] = await pos.findProductsByCorrelation([
      {
        correlationKey: product.correlationKey,
        name: product.name,
        color: product.color,
        variants: product.variants.map((v) => ({ variantKey: v.variantKey, correlationKey: v.correlationKey })),
      },
    ]);
    const have = found?.variantIds ?? {};
    const missing = product.variants.filter((v) => !have[v.variantKey]);
    if (missing.length === 0)
      return { parentId: found?.parentId ?? null, variantIds: have, created: product.variants.length };
    const created = await pos.createProduct(
      found?.parentId ? spec(missing, found.parentId, true) : spec(missing, product.existingParentId),
    );
    return {
      parentId: created.parentId ?? found?.parentId ?? null,
      variantIds: { ...have, ...created.variantIds },
      created: product.variants.length,
    };
  };
  // The first export to create the product also creates the sizes the others being applied want, so they
  // find every size (a family cannot always be extended later: X-Series).
  const create = async (): Promise<ProductStepResult> => {
    const variants = [...product.variants];
    for (const v of await coop.companions(product.correlationKey))
      if (!variants.some((w) => w.variantKey === v.variantKey)) variants.push(v);
    try {
      const created = await pos.createProduct(spec(variants, product.existingParentId));
      return { parentId: created.parentId, variantIds: created.variantIds, created: product.variants.length };
    } catch (error) {
      // "SKU already in use": our own key (an export this one could not see made it); find and adopt.
      if (error instanceof RemoteRejected && error.status === 422) return reconcile();
      throw error;
    }
  };
  const key = `product:${product.matrixKey}`;
  if (saga.isDone(key)) return saga.step(key, null, create);
  // Under the account's lock, a step another plan started (it held the lock) looks before it creates.
  return coop.exclusive(`product:${product.correlationKey}`, () =>
    saga.step(key, null, async () => ((await coop.startedElsewhere(key)) ? reconcile() : create()), reconcile),
  );
}

/** What the steps of one order's export share. */
export interface OrderExport {
  ctx: EngineContext;
  saga: SagaSteps;
  pos: PointOfSale;
  connection: Connection;
  plan: StoredPlan;
  po: PlannedPurchaseOrder;
  orderId: string;
  exportRow: StoredExport;
  supplierByBrand: Map<string, string>;
  productByMatrix: Map<string, ProductStepResult>;
  /** When this run of the saga began (the summary's time taken). */
  started: number;
}

/** One order: its PO, its lines a step's worth at a time, the submit, then links and "exported" in one transaction. */
export async function exportOrder(run: OrderExport): Promise<void> {
  const { ctx, plan, exportRow } = run;
  const created = await purchaseOrderStep(run);
  await exports.update(
    ctx.store.db,
    plan.tenantId,
    exportRow.id,
    { poId: created.id, poNumber: created.number, poUrl: created.url },
    ctx.now(),
  );
  const outcomes = await lineSteps(run, created.id);
  const addedCount = outcomes.filter((o) => o.outcome === 'added').length;
  if (addedCount > 0)
    await run.saga.step(
      `submit:${run.orderId}`,
      run.orderId,
      () => run.pos.submitPurchaseOrder(created.id, { firstAttempt: true }),
      () => run.pos.submitPurchaseOrder(created.id),
    );
  const summary = summarize(run, outcomes);
  await ctx.store.db.transaction().execute(async (trx) => {
    await itemLinks.upsertMany(trx, plan.tenantId, run.connection.id, itemLinksOf(run), ctx.now());
    await exports.update(
      trx,
      plan.tenantId,
      exportRow.id,
      { state: 'exported', summary, failure: null, finishedAt: ctx.now(), waiting: null },
      ctx.now(),
    );
  });
}

function purchaseOrderStep(run: OrderExport): Promise<PosPurchaseOrder> {
  const { po, pos } = run;
  const correlationKey = purchaseOrderKeyOf(po);
  const spec = {
    correlationKey,
    orderNumber: po.orderNumber,
    locationId: run.plan.locationId,
    supplierId: run.supplierByBrand.get(po.brand.sourceId) as string,
    name: `NuORDER #${po.orderNumber} · ${po.brand.name}`,
    notes: [
      `Synced from NuORDER order ${po.orderNumber}`,
      po.customerPoNumber ? `Customer PO ${po.customerPoNumber}` : null,
      po.shipWindow.start || po.shipWindow.end
        ? `Ship window ${dateOnly(po.shipWindow.start)} – ${dateOnly(po.shipWindow.end)}`
        : null,
      po.notes || null,
    ]
      .filter(Boolean)
      .join('\n'),
    shipWindow: po.shipWindow,
    currency: po.currency,
    sourceOrderId: po.orderSourceId,
  };
  return run.saga.step(
    `po:${run.orderId}`,
    run.orderId,
    () => pos.createPurchaseOrder(spec),
    async () =>
      (await pos.findPurchaseOrderByCorrelation({ correlationKey, orderNumber: po.orderNumber })) ??
      pos.createPurchaseOrder(spec),
  );
}

/** A step's worth of lines at a time: one bulk request on X-Series, a hundred one-line requests on R-Series. */
async function lineSteps(run: OrderExport, poId: string): Promise<AddLineOutcome[]> {
  const { pos, orderId } = run;
  const lines: PurchaseOrderLineSpec[] = run.po.lines.flatMap((line) => {
    const target = line.target;
    const posItemId =
      target.kind === 'existing'
        ? target.posItemId
        : target.kind === 'new'
          ? run.productByMatrix.get(target.matrixKey)?.variantIds[target.variantKey]
          : undefined;
    if (!posItemId) return [];
    return [{ posItemId, quantity: line.quantity, unitCost: line.unitCost, sourceLineKeys: line.sourceLineKeys }];
  });
  const stepSize = Math.max(pos.capabilities.bulkLineLimit, 100);
  const outcomes: AddLineOutcome[] = [];
  for (let i = 0; i < lines.length; i += stepSize) {
    const chunk = lines.slice(i, i + stepSize);
    const result = await run.saga.step(
      `lines:${orderId}:${i / stepSize}`,
      orderId,
      () => pos.addPurchaseOrderLines(poId, chunk, { firstAttempt: true }),
      async () => {
        const present = new Set((await pos.listPurchaseOrderLines(poId)).map((l) => l.posItemId));
        const missing = chunk.filter((l) => !present.has(l.posItemId));
        const added = missing.length ? await pos.addPurchaseOrderLines(poId, missing) : [];
        return [
          ...chunk
            .filter((l) => present.has(l.posItemId))
            .map((l) => ({ posItemId: l.posItemId, sourceLineKeys: l.sourceLineKeys, outcome: 'added' as const })),
          ...added,
        ];
      },
    );
    outcomes.push(...result);
  }
  return outcomes;
}

/** The item links this order's export teaches: each line's POS item, Confirmed on the next export. */
function itemLinksOf(run: OrderExport): Array<{ variantKey: string; posItemId: string; source: 'buyer' | 'export' }> {
  return run.plan.plan.lines
    .filter((l) => l.orderSourceId === run.po.orderSourceId)
    .flatMap((line) => {
      const d = line.decision;
      const posItemId =
        d.kind === 'confirmed' || d.kind === 'upc_match' || d.kind === 'linked_by_buyer'
          ? d.posItemId
          : d.kind === 'new_item'
            ? run.productByMatrix.get(d.matrixKey)?.variantIds[d.variantKey]
            : undefined;
      if (!posItemId) return [];
      return [{ variantKey: line.variantKey, posItemId, source: d.kind === 'linked_by_buyer' ? 'buyer' : 'export' }];
    });
}

function summarize(run: OrderExport, outcomes: AddLineOutcome[]): ExportSummary {
  const plan = run.plan.plan;
  const newItemIds = new Set(
    plan.newProducts.flatMap((p) => Object.values(run.productByMatrix.get(p.matrixKey)?.variantIds ?? {})),
  );
  const orderLines = plan.lines.filter((l) => l.orderSourceId === run.po.orderSourceId);
  const added = outcomes.filter((o) => o.outcome === 'added');
  const rejected = outcomes.filter(
    (o): o is Extract<AddLineOutcome, { outcome: 'rejected' }> => o.outcome === 'rejected',
  );
  return {
    linesSynced: added.length,
    matchedItemsUpdated: added.filter((o) => !newItemIds.has(o.posItemId)).length,
    newDraftItems: added.filter((o) => newItemIds.has(o.posItemId)).length,
    newProducts: new Set(orderLines.flatMap((l) => (l.decision.kind === 'new_item' ? [l.decision.matrixKey] : [])))
      .size,
    rejectedLines: rejected.map((r) => ({ posItemId: r.posItemId, lineKeys: r.sourceLineKeys, message: r.message })),
    warnings: [
      ...plan.warnings.map((w) => w.message),
      ...rejected.map((r) => `A line was refused by the POS: ${r.message}`),
    ],
    timeTakenMs: run.ctx.now() - run.started,
  };
}

function dateOnly(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '?';
}

/** The recorded steps of one plan's saga, with the resume rule. */
export class SagaSteps {
  readonly #ctx: EngineContext;
  readonly #tenantId: string;
  readonly #planId: string;
  #known = new Map<string, { state: string; result: unknown }>();
  #position = 0;

  readonly #signal: AbortSignal | undefined;
  /** Called once, after the first step this run completes with the POS (an outage the saga waited out is over). */
  #onProgress: (() => Promise<void>) | undefined;

  constructor(
    ctx: EngineContext,
    tenantId: string,
    planId: string,
    options: { signal?: AbortSignal; onProgress?: () => Promise<void> } = {},
  ) {
    this.#ctx = ctx;
    this.#tenantId = tenantId;
    this.#planId = planId;
    this.#signal = options.signal;
    this.#onProgress = options.onProgress;
  }

  /** Whether the step finished in an earlier run (its recorded result is what `step` returns). */
  isDone(key: string): boolean {
    return this.#known.get(key)?.state === 'done';
  }

  async load(): Promise<void> {
    const rows = await exports.steps(this.#ctx.store.db, this.#tenantId, this.#planId);
    this.#known = new Map(rows.map((r) => [r.stepKey, { state: r.state, result: r.result }]));
    this.#position = rows.length;
  }

  /**
   * Runs a step once. A finished step returns its recorded result. A step that was started before but
   * not finished runs `reconcile` (look up by correlation key, create what is missing) instead of `run`.
   */
  async step<T>(
    key: string,
    orderId: string | null,
    run: () => Promise<T>,
    reconcile: () => Promise<T> = run,
  ): Promise<T> {
    const known = this.#known.get(key);
    if (known?.state === 'done') return known.result as T;
    // The job was taken over (lock lost) or the worker is stopping: start no new POS call.
    if (this.#signal?.aborted)
      throw this.#signal.reason instanceof Error ? this.#signal.reason : new Error(String(this.#signal.reason));
    const db = this.#ctx.store.db;
    await exports.startStep(
      db,
      this.#tenantId,
      this.#planId,
      key,
      orderId,
      known ? this.#position : this.#position++,
      this.#ctx.now(),
    );
    let result: T;
    try {
      result = await (known ? reconcile() : run());
      await exports.finishStep(db, this.#planId, key, result, this.#ctx.now());
      this.#known.set(key, { state: 'done', result });
    } catch (error) {
      await exports.failStep(
        db,
        this.#planId,
        key,
        error instanceof Error ? error.message : String(error),
        this.#ctx.now(),
      );
      this.#known.set(key, { state: 'failed', result: null });
      throw error;
    }
    const onProgress = this.#onProgress;
    this.#onProgress = undefined;
    await onProgress?.();
    return result;
  }
}
