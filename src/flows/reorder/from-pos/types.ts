import type { PurchaseOrderFeed } from '../../../core/ports/po-feed.ts';
import type { WholesaleOrderCreation } from '../../../core/ports/wholesale-orders-out.ts';
import type { Connection, PosReorder } from '../../../store/repos/index.ts';
import type { EngineContext } from '../../engine-context.ts';
import type { SagaStep, StepEnv } from '../../saga/index.ts';

/** What the POS-reorder saga's steps are made from: read from the store only. */
export interface PosReorderLoaded {
  ctx: EngineContext;
  reorder: PosReorder;
  posConnection: Connection;
  brandConnection: Connection;
}

export interface PosReorderPorts {
  orders: WholesaleOrderCreation;
  feed: PurchaseOrderFeed;
}

export type PosReorderStep<T = unknown> = SagaStep<PosReorderLoaded, PosReorderPorts, T>;
export type PosReorderEnv = StepEnv<PosReorderLoaded, PosReorderPorts>;

export const stepKeys = {
  createOrder: 'create-wholesale-order',
  tag: 'tag-pos-order',
  record: 'record-pairing',
} as const;

export interface CreatedOrderResult {
  sourceId: string;
  orderNumber: string;
  status: string;
  existed: boolean;
}
