import type { PlannedPurchaseOrder } from '../../core/plan.ts';
import type { PosCapabilities, PointOfSale, PurchaseOrderLineSpec } from '../../core/ports/pos.ts';
import type { Connection, StoredExport, StoredPlan } from '../../store/repos/index.ts';
import type { SagaStep, StepEnv } from '../saga/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { Cooperation } from './cooperation.ts';

/** What the export saga's steps are made from: read from the store only (progress reads it too). */
export interface ExportLoaded {
  ctx: EngineContext;
  plan: StoredPlan;
  connection: Connection;
  capabilities: Pick<PosCapabilities, 'bulkLineLimit'>;
  /** The plan's export rows, one per order, as they were when the run began. */
  exportRows: StoredExport[];
  /** Our order id by the wholesale order's source id (a plan names orders by source id). */
  orderIdBySource: Map<string, string>;
}

/** What a run of the export saga talks to. */
export interface ExportPorts {
  pos: PointOfSale;
  coop: Cooperation;
  /** When this run began (the summary's time taken). */
  started: number;
}

export type ExportStep<T = unknown> = SagaStep<ExportLoaded, ExportPorts, T>;
export type ExportEnv = StepEnv<ExportLoaded, ExportPorts>;

export interface SupplierStepResult {
  id: string;
  name: string;
  created: boolean;
}

export interface ProductStepResult {
  parentId: string | null;
  variantIds: Record<string, string>;
  created: number;
}

/** The step keys other steps read results by: stable across releases (a resumed saga finds its old rows). */
export const stepKeys = {
  supplier: (brandSourceId: string) => `supplier:${brandSourceId}`,
  product: (matrixKey: string) => `product:${matrixKey}`,
  ownership: 'ownership',
  itemPrices: 'item-prices',
  purchaseOrder: (orderId: string) => `po:${orderId}`,
  lines: (orderId: string, part: number) => `lines:${orderId}:${part}`,
  submit: (orderId: string) => `submit:${orderId}`,
  links: (orderId: string) => `links:${orderId}`,
};

/** The POS supplier of a brand: the one the merchant mapped, else what the ensure-supplier step found or made. */
export function supplierIdOf(env: ExportEnv, brandSourceId: string): string {
  const mapped = env.loaded.plan.plan.suppliers?.find((s) => s.brand.sourceId === brandSourceId)?.supplierId;
  return mapped ?? env.result<SupplierStepResult>(stepKeys.supplier(brandSourceId)).id;
}

/** The POS item ids of every new product, by matrix key (what the create-product steps made). */
/**
 * A planned PO line as the POS takes it: its matched item, or the size a create-product step made; none while its
 * item is still unknown (a line to review is not sent).
 */
export function lineSpecOf(
  line: PlannedPurchaseOrder['lines'][number],
  products: ReadonlyMap<string, ProductStepResult>,
): PurchaseOrderLineSpec | undefined {
  const target = line.target;
  const posItemId =
    target.kind === 'existing'
      ? target.posItemId
      : target.kind === 'new'
        ? products.get(target.matrixKey)?.variantIds[target.variantKey]
        : undefined;
  if (!posItemId) return undefined;
  return { posItemId, quantity: line.quantity, unitCost: line.unitCost, sourceLineKeys: line.sourceLineKeys };
}

export function createdProducts(env: ExportEnv): Map<string, ProductStepResult> {
  return new Map(
    env.loaded.plan.plan.newProducts.map((p) => [
      p.matrixKey,
      env.result<ProductStepResult>(stepKeys.product(p.matrixKey)),
    ]),
  );
}
