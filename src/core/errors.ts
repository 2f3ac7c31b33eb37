/**
 * The one error type that crosses layers. `code` is SCREAMING_SNAKE grouped by area
 * (`POS_RATE_LIMITED`, `PLAN_DRIFTED`, `AUTH_REQUIRED`); the HTTP layer maps it to a status in one place,
 * using `httpStatus`. `retryable` tells the job runner whether another attempt may succeed. `details`
 * is safe to show to the user (field paths, differences, the existing PO number).
 */
export class AppError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(
    code: string,
    message: string,
    options: { httpStatus?: number; retryable?: boolean; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = options.httpStatus ?? 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

export const notFound = (what: string, id?: string): AppError =>
  new AppError('NOT_FOUND', id === undefined ? `${what} not found` : `${what} ${id} not found`, { httpStatus: 404 });

export const invalidInput = (message: string, details?: unknown): AppError =>
  new AppError('INVALID_INPUT', message, { httpStatus: 400, details });

export const conflict = (code: string, message: string, details?: unknown): AppError =>
  new AppError(code, message, { httpStatus: 409, details });

/**
 * The outcome of an operation that can fail in an expected way: a value, not an exception, so one bad
 * line never throws away the other 499.
 */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
