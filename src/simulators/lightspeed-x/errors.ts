/**
 * An API refusal, answered with the real API's status and body (§6: bodies are not uniform; the usual one is
 * `{"error": "…"}`, sometimes with details).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly body: Record<string, unknown>;
  constructor(status: number, body: Record<string, unknown> | string) {
    const payload = typeof body === 'string' ? { error: body } : body;
    super(String(payload.error ?? payload.message ?? 'error'));
    this.name = 'ApiError';
    this.status = status;
    this.body = payload;
  }
}

export const notFound = (what = 'Entity'): ApiError => new ApiError(404, { error: `${what} not found` });
export const unprocessable = (message: string, details?: unknown): ApiError =>
  new ApiError(422, details === undefined ? { error: message } : { error: message, details });
export const badRequest = (message: string, details?: unknown): ApiError =>
  new ApiError(400, details === undefined ? { error: message } : { error: message, details });
