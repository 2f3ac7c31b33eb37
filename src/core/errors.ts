import { codeRetryable, errorStatus, type ErrorCode, type ErrorStatus } from './error-codes.ts';

/**
 * The one error type that crosses layers. `code` is SCREAMING_SNAKE grouped by area (`POS_RATE_LIMITED`,
 * `PLAN_DRIFTED`, `AUTH_REQUIRED`) and must be in the error catalogue (core/error-codes.ts), which alone gives
 * its HTTP status: a throw site names a code, never a status. `retryable` tells the job runner whether another
 * attempt may succeed (the catalogue's answer for the code unless the site knows better). `details` is safe to
 * show to the user (field paths, differences, the existing PO number).
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  /** From the catalogue, never from the throw site. */
  readonly httpStatus: ErrorStatus;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = errorStatus(code);
    this.retryable = options.retryable ?? codeRetryable(code) ?? false;
    this.details = options.details;
  }
}

export const notFound = (what: string, id?: string): AppError =>
  new AppError('NOT_FOUND', id === undefined ? `${what} not found` : `${what} ${id} not found`);

export const invalidInput = (message: string, details?: unknown): AppError =>
  new AppError('INVALID_INPUT', message, { details });

export const conflict = (code: ErrorCode, message: string, details?: unknown): AppError =>
  new AppError(code, message, { details });

/**
 * The outcome of an operation that can fail in an expected way: a value, not an exception, so one bad
 * line never throws away the other 499.
 */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
