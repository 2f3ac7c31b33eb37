/** The browser's client for the Tradeloop API: cookies for the session, the CSRF header on writes. */
/** Who is signed in (GET /api/auth/me): the server's own type. */
export type { Me } from '../../src/http/api-types.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | null = null;

export function rememberCsrf(token: string | null): void {
  csrfToken = token;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Tradeloop cannot be reached. Check your connection and try again.');
  }
  const text = await response.text();
  const data: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    // The session ended (expired, or signed out in another tab): the app shows the sign-in page.
    if (response.status === 401 && !path.startsWith('/api/auth/'))
      window.dispatchEvent(new Event('tradeloop:unauthorized'));
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'HTTP_ERROR',
      error?.message ?? `The server answered ${response.status}`,
      error?.details,
    );
  }
  return data as T;
}

/**
 * A record read by its id, or null when it does not exist (404, or an id that cannot be one: 400), so a page
 * can say so instead of offering to try again.
 */
export async function unlessNotFound<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.code === 'INVALID_INPUT')) return null;
    throw error;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * What to tell a person about a failed request: the server's own message when it is meant for people
 * (4xx), a calm sentence otherwise. Never a status dump or a stack trace.
 */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return error.message;
    if (error.status === 401) return 'Your session ended. Sign in again.';
    if (error.status === 403) return 'You are not allowed to do that.';
    if (error.status >= 500) return 'Something went wrong on our side. Try again in a moment.';
    if (error.status === 404) return 'It was not found: the address may be wrong, or it was removed.';
    if (error.code === 'INVALID_INPUT')
      return 'Some of what was sent is not valid. Check the address or the form and try again.';
    return plainReason(error.message);
  }
  return 'Something went wrong. Try again in a moment.';
}

/**
 * Failure reasons recorded by connectors name the HTTP method and path ("lightspeed-x POST
 * /api/2.0/consignments was rejected with 422: Supplier is inactive"). A buyer needs only what the POS said.
 */
export function plainReason(message: string | null | undefined): string {
  if (!message) return 'No reason was given.';
  return message
    .replace(
      /\b(lightspeed-[xr]|nuorder|netsuite) (GET|POST|PUT|PATCH|DELETE) \S+ (was rejected with|answered) \d{3}:?\s*/gi,
      'the POS said: ',
    )
    .replace(/: the POS said: /i, ': ')
    .replace(/\s*\[[A-Z_]+\]\s*$/, '')
    .trim();
}
