/**
 * `tradeloop doctor`: read-only probes of every resource a connector uses, each reporting whether the live
 * reply still fits the connector's own schema, field by field. It is what an operator with a real account runs
 * first, and what turns a vendor's change of shape into a clear report instead of failed exports.
 *
 * A connector that can be probed implements `ConnectionDoctor` (the ports' `doctor?()`). Each probe makes the
 * same call, through the same client and schema, as the flow that uses it, and never writes.
 */
export type DoctorOutcome = 'ok' | 'mismatch' | 'error' | 'skipped';

export interface DoctorCheck {
  /** What the connector calls, e.g. `GET /api/orders/approved/detail`. */
  call: string;
  /** What the flows use it for, in words (`approved orders`). */
  purpose: string;
  outcome: DoctorOutcome;
  /** For `mismatch`: every field of the reply that no longer fits the connector's schema. */
  fields: Array<{ path: string; problem: string }>;
  /** For `error` / `skipped`: why, in plain words (never a remote body or a secret). */
  detail?: string;
  ms: number;
}

export interface ConnectionDoctor {
  doctor(): Promise<DoctorCheck[]>;
}
