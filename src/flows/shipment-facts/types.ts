import type { PurchaseOrderShipmentFacts } from '../../core/ports/po-shipment-facts.ts';
import type { Connection, Fulfilment, StoredExport, StoredOrder } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { SagaStep, StepEnv } from '../saga/index.ts';

/** What the shipment-facts saga's step is made from: read from the store only. */
export interface FactsLoaded {
  ctx: EngineContext;
  export: StoredExport;
  order: StoredOrder;
  connection: Connection;
  /** The shipments as stored now (a later change than the one that queued the job is written as it is now). */
  fulfilment: Fulfilment | null;
}

export interface FactsPorts {
  facts: PurchaseOrderShipmentFacts;
}

export type FactsStep<T = unknown> = SagaStep<FactsLoaded, FactsPorts, T>;
export type FactsEnv = StepEnv<FactsLoaded, FactsPorts>;
