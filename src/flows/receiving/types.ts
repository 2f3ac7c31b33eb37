import type { ReceivedTotal } from '../../core/ports/po-receiving.ts';
import type { PurchaseOrderReceiving } from '../../core/ports/po-receiving.ts';
import type { Connection, Receipt, StoredExport } from '../../store/repos/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { SagaStep, StepEnv } from '../saga/index.ts';

export const RECEIVING_SAGA = 'receiving';

/** What the receiving saga's steps are made from: the store only (progress reads it too). */
export interface ReceivingLoaded {
  ctx: EngineContext;
  tenantId: string;
  receipt: Receipt;
  exportRow: StoredExport;
  connection: Connection;
}

export interface ReceivingPorts {
  receiving: PurchaseOrderReceiving;
}

export type ReceivingStep<T = unknown> = SagaStep<ReceivingLoaded, ReceivingPorts, T>;
export type ReceivingEnv = StepEnv<ReceivingLoaded, ReceivingPorts>;

/** Stable step keys (a resumed saga finds its rows by them). */
export const receivingStepKeys = {
  record: 'record-receipt',
  write: 'write-received-quantities',
  close: 'receive-into-stock',
  refresh: 'refresh-po',
} as const;

export interface RecordedReceipt {
  totals: ReceivedTotal[];
}

export interface ClosedStep {
  remainderPoId: string | null;
  remainderPoNumber: string | null;
}

/** The correlation key of the order that keeps a receipt's open units (X-Series): the PO's number and the receipt. */
export function remainderKeyOf(receipt: Pick<Receipt, 'poNumber' | 'id'>): string {
  return `${receipt.poNumber}-rest-${receipt.id.slice(0, 8)}`;
}
