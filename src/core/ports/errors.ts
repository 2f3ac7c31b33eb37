import type { ErrorCode } from '../error-codes.ts';
import { AppError } from '../errors.ts';

/**
 * The errors every port throws: connectors raise them, flows decide on them through the one remote-error policy
 * (flows/saga/remote-policy.ts). Each one says whether the state of the remote system is known after the call:
 * - `RemoteRejected`: known, nothing changed (the vendor refused the request). Not retryable.
 * - `RemoteUnavailable`: UNKNOWN for a write (it may have committed). Reconcile by correlation key first.
 * - `RemoteRateLimited`: known, nothing changed. Defer until `retryAt` without using up an attempt.
 * - `RemoteContractBroken`: the call went through but its reply failed its schema. Not retryable.
 * - `RemoteAuthLost`: the credentials are gone (401 after a refresh, invalid_grant). The connection needs re-linking.
 */

// Their statuses and retryability are in the error catalogue (core/error-codes.ts), like every code's.
export const REMOTE_REJECTED = 'REMOTE_REJECTED' satisfies ErrorCode;
export const REMOTE_UNAVAILABLE = 'REMOTE_UNAVAILABLE' satisfies ErrorCode;
export const POS_RATE_LIMITED = 'POS_RATE_LIMITED' satisfies ErrorCode;
export const REMOTE_RATE_LIMITED = 'REMOTE_RATE_LIMITED' satisfies ErrorCode;
export const REMOTE_CONTRACT_BROKEN = 'REMOTE_CONTRACT_BROKEN' satisfies ErrorCode;
export const CONNECTION_NEEDS_RELINK = 'CONNECTION_NEEDS_RELINK' satisfies ErrorCode;

type RemoteErrorCode =
  | typeof REMOTE_REJECTED
  | typeof REMOTE_UNAVAILABLE
  | typeof POS_RATE_LIMITED
  | typeof REMOTE_RATE_LIMITED
  | typeof REMOTE_CONTRACT_BROKEN
  | typeof CONNECTION_NEEDS_RELINK;

/** What kind of system the connector talks to; only changes the rate-limit code (POS budgets are the common case). */
export type RemoteKind = 'pos' | 'source' | 'erp';

export interface RemoteCallInfo {
  /** The external system, e.g. `nuorder`, `lightspeed-x`. */
  vendor: string;
  method?: string;
  /** Path only, never the query string (it may carry cursors or codes). */
  path?: string;
  cause?: unknown;
}

export type RemoteState = 'known' | 'unknown';

export abstract class RemoteError extends AppError {
  readonly vendor: string;
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** `unknown`: a write may or may not have been applied. */
  abstract readonly remoteState: RemoteState;

  constructor(code: RemoteErrorCode, message: string, info: RemoteCallInfo, options: { details?: unknown }) {
    super(code, message, { ...options, cause: info.cause });
    this.name = new.target.name;
    this.vendor = info.vendor;
    this.method = info.method;
    this.path = info.path;
  }
}

const where = (info: RemoteCallInfo): string =>
  info.method && info.path ? `${info.vendor} ${info.method} ${info.path}` : info.vendor;

/** 4xx other than 401/429: the vendor refused the request; nothing changed. */
export class RemoteRejected extends RemoteError {
  readonly remoteState = 'known' as const;
  readonly status: number;
  readonly vendorMessage: string;
  /** A machine code from the body when the vendor sends one (`error`, `errorClass`), e.g. `invalid_grant`. */
  readonly vendorCode: string | undefined;
  readonly body: unknown;

  constructor(info: RemoteCallInfo & { status: number; vendorMessage: string; vendorCode?: string; body?: unknown }) {
    super(REMOTE_REJECTED, `${where(info)} was rejected with ${info.status}: ${info.vendorMessage}`, info, {
      details: { vendor: info.vendor, status: info.status, message: info.vendorMessage },
    });
    this.status = info.status;
    this.vendorMessage = info.vendorMessage;
    this.vendorCode = info.vendorCode;
    this.body = info.body;
  }
}

/**
 * 5xx, timeout, connection reset. The state of a write is UNKNOWN: look the correlation key up before
 * retrying. Retryable (the job runner may try again after reconciling).
 */
export class RemoteUnavailable extends RemoteError {
  readonly remoteState = 'unknown' as const;
  readonly status: number | undefined;
  readonly reason: 'timeout' | 'network' | 'server_error';

  constructor(
    info: RemoteCallInfo & { status?: number; reason: 'timeout' | 'network' | 'server_error'; detail?: string },
  ) {
    const what =
      info.reason === 'timeout'
        ? 'timed out'
        : info.reason === 'network'
          ? `failed to connect${info.detail ? ` (${info.detail})` : ''}`
          : `answered ${info.status ?? '5xx'}${info.detail ? `: ${info.detail}` : ''}`;
    super(REMOTE_UNAVAILABLE, `${where(info)} ${what}`, info, {
      details: { vendor: info.vendor, status: info.status, reason: info.reason },
    });
    this.status = info.status;
    this.reason = info.reason;
  }
}

/** The budget is spent: defer the work until `retryAt` (epoch ms) without using up an attempt. */
export class RemoteRateLimited extends RemoteError {
  readonly remoteState = 'known' as const;
  readonly retryAt: number;

  constructor(info: RemoteCallInfo & { retryAt: number; kind?: RemoteKind }) {
    super(
      info.kind === undefined || info.kind === 'pos' ? POS_RATE_LIMITED : REMOTE_RATE_LIMITED,
      `${where(info)} is rate limited until ${new Date(info.retryAt).toISOString()}`,
      info,
      // Shown to API clients: a time, as every time the API answers (ISO 8601); `retryAt` stays epoch ms for code.
      {
        details: { vendor: info.vendor, retryAt: new Date(info.retryAt).toISOString() },
      },
    );
    this.retryAt = info.retryAt;
  }
}

/** A reply that failed its schema: a bug on our side or a vendor change. Names the field path. */
export class RemoteContractBroken extends RemoteError {
  readonly remoteState = 'known' as const;
  /** e.g. `line_items[0].sizes[2].quantity`, or `(body)` when the reply was not JSON at all. */
  readonly fieldPath: string;
  readonly problem: string;
  /** Every field that failed (the message names the first); `tradeloop doctor` lists them all. */
  readonly issues: ReadonlyArray<{ fieldPath: string; problem: string }>;

  constructor(
    info: RemoteCallInfo & {
      fieldPath: string;
      problem: string;
      issues?: ReadonlyArray<{ fieldPath: string; problem: string }>;
    },
  ) {
    super(
      REMOTE_CONTRACT_BROKEN,
      `${where(info)} replied with an unexpected shape at ${info.fieldPath}: ${info.problem}`,
      info,
      {
        details: { vendor: info.vendor, field: info.fieldPath, problem: info.problem },
      },
    );
    this.fieldPath = info.fieldPath;
    this.problem = info.problem;
    this.issues = info.issues ?? [{ fieldPath: info.fieldPath, problem: info.problem }];
  }
}

/** 401 after one refresh, or invalid_grant: the connection must be linked again by a person. */
export class RemoteAuthLost extends RemoteError {
  readonly remoteState = 'known' as const;

  constructor(info: RemoteCallInfo & { detail?: string }) {
    super(
      CONNECTION_NEEDS_RELINK,
      `${info.vendor} no longer accepts this connection's credentials${info.detail ? ` (${info.detail})` : ''}; link the account again`,
      info,
      { details: { vendor: info.vendor } },
    );
  }
}

export const isRemoteError = (error: unknown): error is RemoteError => error instanceof RemoteError;

/** Formats a zod issue path the way a person reads it: `line_items[0].sizes[2].upc`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
