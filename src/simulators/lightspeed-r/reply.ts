import type { Context } from 'hono';
import { httpMessages } from './query.ts';

/**
 * The resource server's error body, `{httpCode, httpMessage, message, errorClass}` with `httpCode` a string
 * (reference §7). Served as `text/html; charset=UTF-8`, as every recorded 400/404/405/429 was (2015–2016
 * traffic); a client must parse the body whatever the content type says.
 */
export function apiErrorResponse(c: Context, status: number, message: string, errorClass = 'Exception'): Response {
  const body = { httpCode: String(status), httpMessage: httpMessages[status] ?? 'Error', message, errorClass };
  return c.body(JSON.stringify(body), status as 400, { 'Content-Type': 'text/html; charset=UTF-8' });
}

/** The recorded 405 (POST ItemAttributeSet, 2015): `Allow` names the methods, errorClass `Exception`. */
export function methodNotAllowed(c: Context, allow: readonly string[]): Response {
  c.header('Allow', allow.join(', '));
  return apiErrorResponse(c, 405, `Method ${c.req.method} is not allowed on this resource.`, 'Exception');
}
