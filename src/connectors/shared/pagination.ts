import { z } from 'zod';

/**
 * Pagination and vendor-normalisation helpers.
 *
 * - `pages(fetchPage)`: an async iterator over cursor pages, for any cursor type.
 * - `xSeriesPages`: X-Series 2.0 version cursor (`after=<version.max>`, stop on an empty page).
 * - `rSeriesPages`: R-Series V3 `@attributes.next` complete URLs (follow as-is, stop on `""`).
 * - R-Series normalisation: `asArray` (one-element collections come back as an object, empty ones as `""` or
 *   absent), `lsNumber` / `lsInt` / `lsBoolean` (numbers and booleans come back as strings), `lsCollection`.
 * - `describeRemoteErrorBody`: reads every error body shape the vendors use.
 */

export interface Page<T, C> {
  items: T[];
  /** The cursor of the next page; `undefined` (or `null`, `""`) when this was the last. */
  next: C | undefined | null;
}

/** Iterates items across pages. Stops on a missing cursor, an empty page, or a cursor that repeats. */
export async function* pages<T, C>(
  fetchPage: (cursor: C | undefined) => Promise<Page<T, C>>,
  options: { first?: C; maxPages?: number } = {},
): AsyncGenerator<T, void, undefined> {
  let cursor = options.first;
  const seen = new Set<unknown>();
  for (let n = 0; n < (options.maxPages ?? Number.POSITIVE_INFINITY); n++) {
    const page = await fetchPage(cursor);
    yield* page.items;
    const next = page.next;
    if (next === undefined || next === null || next === '' || page.items.length === 0) return;
    if (seen.has(next)) throw new Error(`pagination cursor ${String(next)} repeated`);
    seen.add(next);
    cursor = next;
  }
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** X-Series 2.0 list endpoints: `{ data: [...], version: { min, max } }`; next page is `after=<version.max>`. */
export function xSeriesPages<T>(
  fetchPage: (after: number) => Promise<{ data: T[]; version?: { min?: number | null; max?: number | null } | null }>,
  options: { after?: number } = {},
): AsyncGenerator<T, void, undefined> {
  return pages<T, number>(
    async (after) => {
      const page = await fetchPage(after ?? options.after ?? 0);
      const max = page.version?.max;
      return { items: page.data, next: typeof max === 'number' ? max : undefined };
    },
    { first: options.after ?? 0 },
  );
}

/**
 * R-Series V3 query pages: `fetchPage(undefined)` loads the first page, then `fetchPage(nextUrl)` follows each
 * `@attributes.next` complete URL as-is. `key` is the resource key (`Item`, `Order`).
 */
export function rSeriesPages<T>(
  fetchPage: (nextUrl: string | undefined) => Promise<Record<string, unknown>>,
  key: string,
  itemSchema?: z.ZodType<T>,
): AsyncGenerator<T, void, undefined> {
  return pages<T, string>(async (nextUrl) => {
    const body = await fetchPage(nextUrl);
    const attributes = body['@attributes'] as { next?: unknown } | undefined;
    const raw = asArray(body[key]);
    const items = itemSchema ? raw.map((item) => itemSchema.parse(item)) : (raw as T[]);
    const next = typeof attributes?.next === 'string' && attributes.next !== '' ? attributes.next : undefined;
    return { items, next };
  });
}

/** `null`/`undefined`/`""` → `[]`, an array as is, anything else → `[it]`. */
export function asArray<T>(oneOrMany: T | readonly T[] | null | undefined | ''): T[] {
  if (oneOrMany === null || oneOrMany === undefined || oneOrMany === '') return [];
  return Array.isArray(oneOrMany) ? [...(oneOrMany as readonly T[])] : [oneOrMany as T];
}

const blankToUndefined = (value: unknown): unknown => (value === '' || value === null ? undefined : value);

const toNumber = (value: unknown): unknown => {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    const n = Number(trimmed);
    return Number.isNaN(n) ? value : n;
  }
  return value;
};

/** A number that may come as a string (`"12.50"`). Blank → undefined (wrap with `.optional()` where allowed). */
export const lsNumber = z.preprocess(toNumber, z.number());
export const lsInt = z.preprocess(toNumber, z.number().int());
export const lsOptionalNumber = z.preprocess(toNumber, z.number().optional());

/** `"true"`/`"false"`/`"1"`/`"0"` (or real booleans). */
export const lsBoolean = z.preprocess((value) => {
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0' || v === '') return false;
  }
  if (typeof value === 'number') return value !== 0;
  return value;
}, z.boolean());

/** A string that may be absent or `""`. */
export const lsOptionalString = z.preprocess(blankToUndefined, z.string().optional());

/** A collection that may be one object, an array, `""` or absent: always parsed to an array. */
export function lsCollection<S extends z.ZodType>(item: S) {
  return z.preprocess((value) => asArray(value as unknown), z.array(item));
}

/**
 * Reads a vendor error body: R-Series `{httpCode, httpMessage, message, errorClass}`, OAuth
 * `{error, error_description, hint}`, X-Series `{error}` / `{error, message}` / `{errors: [{message}]}`,
 * NuORDER `{code, message}`.
 */
export function describeRemoteErrorBody(body: unknown): { message: string | undefined; code: string | undefined } {
  if (typeof body === 'string') return { message: body.slice(0, 500) || undefined, code: undefined };
  if (!body || typeof body !== 'object') return { message: undefined, code: undefined };
  const b = body as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
  let message = str(b.message) ?? str(b.error_description) ?? str(b.hint);
  if (message === undefined && Array.isArray(b.errors)) {
    const first = b.errors[0] as unknown;
    message = typeof first === 'string' ? first : str((first as Record<string, unknown> | undefined)?.message);
  }
  const error = b.error;
  if (message === undefined) message = str(error) ?? str(b.httpMessage);
  if (message === undefined && error && typeof error === 'object')
    message = str((error as Record<string, unknown>).message);
  const code = str(error) ?? str(b.errorClass) ?? (typeof b.code === 'string' ? b.code : undefined);
  return { message, code };
}
