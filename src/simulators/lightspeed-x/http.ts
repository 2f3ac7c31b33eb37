import type { Context } from 'hono';
import { ApiError, badRequest } from './errors.ts';

type Handler = (c: Context) => Response | Promise<Response>;

/** Turns ApiError into the API's own error response; anything else reaches mountControl's handler (500, no stack). */
export const h =
  (fn: Handler): Handler =>
  async (c) => {
    try {
      return await fn(c);
    } catch (error) {
      if (error instanceof ApiError) return c.json(error.body, error.status as 400);
      throw error;
    }
  };

/** Reads a JSON body; an empty body is `{}`; malformed JSON is a 400 as the real API answers it. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('Invalid JSON in request body');
  }
}

/**
 * §3.5: the spec wraps request bodies in `{"data": …}`, the tutorial, Postman and MCP client send them bare.
 * Both are accepted: a body whose only key is `data` holding an object (or array) is unwrapped.
 */
export function unwrap(body: unknown): unknown {
  if (isObject(body) && 'data' in body && (isObject(body.data) || Array.isArray(body.data))) {
    const keys = Object.keys(body);
    if (keys.length === 1) return body.data;
  }
  return body;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Numbers may come as numbers or decimal strings (§3.4). Returns undefined when absent, throws when bad. */
export function num(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n))
    throw new ApiError(422, { error: `Invalid value for ${field}`, details: { [field]: [`must be a number`] } });
  return n;
}

export interface PageParams {
  after: number;
  before: number | undefined;
  pageSize: number;
  deleted: boolean;
}

/** §2.5 version-cursor parameters. page_size defaults to 100 (spec 1 `PageSize`) and is capped ([I] govend). */
export function pageParams(c: Context, maxPageSize = 10_000): PageParams {
  const after = intParam(c.req.query('after'), 'after') ?? 0;
  const before = intParam(c.req.query('before'), 'before');
  const size = intParam(c.req.query('page_size'), 'page_size') ?? 100;
  if (size < 1) throw badRequest('page_size must be at least 1');
  const deleted = c.req.query('deleted');
  return { after, before, pageSize: Math.min(size, maxPageSize), deleted: deleted === 'true' || deleted === '1' };
}

function intParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value for ${name}: must be a non-negative integer`);
  return Number(raw);
}

/** `{"data": [...], "version": {"min", "max"}}`; an empty page keeps the cursor where it was. */
export function collection<T extends { version: number }>(
  items: T[],
  render: (item: T) => unknown,
  after: number,
): { data: unknown[]; version: { min: number; max: number } } {
  const first = items[0];
  const last = items[items.length - 1];
  return {
    data: items.map(render),
    version: { min: first ? first.version : after, max: last ? last.version : after },
  };
}
