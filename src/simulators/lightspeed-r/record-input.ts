/**
 * Reading write requests (shared by every resource's records): bodies, scalar fields coerced to the record's
 * types, references that must exist. Messages follow reference §2.2/§4/§7 where it gives them; others are [I].
 */
import type { Core } from './core.ts';
import { lsTime } from './model.ts';
import { ApiError, parseQueryDate } from './query.ts';

export type Body = Record<string, unknown>;

export function nowIso(core: Core): string {
  return lsTime(core.clock.now());
}

/** A collection in a request body may be an object (one) or an array (many), like in responses. */
export function oneOrMany(value: unknown): Body[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v));
}

export function toNumber(field: string, value: unknown, integer = false): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() === '') n = 0;
  else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (value === null) n = 0;
  else throw new ApiError(400, `Invalid value for ${field}: ${JSON.stringify(value)}.`, 'Exception');
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new ApiError(400, `Invalid value for ${field}: ${JSON.stringify(value)}.`, 'Exception');
  return n;
}

export function toBool(field: string, value: unknown): boolean {
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0' || value === '' || value === null)
    return false;
  throw new ApiError(400, `Invalid value for ${field}: ${JSON.stringify(value)}.`, 'Exception');
}

function toDate(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = parseQueryDate(String(value));
  if (Number.isNaN(ms)) throw new ApiError(400, `Invalid date for ${field}: ${JSON.stringify(value)}.`, 'Exception');
  return lsTime(ms);
}

const idField = /ID$/;

/** Copies the writable scalar fields of `body` onto `target`, coerced to the type the target already holds. */
export function assignScalars<T extends object>(
  target: T,
  body: Body,
  writable: readonly string[],
  dateFields: readonly string[] = [],
): void {
  const rec = target as Record<string, unknown>;
  for (const field of writable) {
    if (!Object.hasOwn(body, field)) continue;
    const value = body[field];
    if (dateFields.includes(field)) rec[field] = toDate(field, value);
    else if (typeof rec[field] === 'number') rec[field] = toNumber(field, value, idField.test(field));
    else if (typeof rec[field] === 'boolean') rec[field] = toBool(field, value);
    else
      rec[field] =
        value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** Unwraps `{"Item": {...}}` as well as a bare object. */
export function unwrap(body: unknown, key: string): Body {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ApiError(400, 'The request body must be a JSON object.', 'Exception');
  const inner = (body as Body)[key];
  if (inner && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(body).length === 1)
    return inner as Body;
  return body as Body;
}

export function checkRef(core: Core, field: string, id: number, exists: (id: number) => boolean, verb: string): void {
  // [I] The reference does not show the message for a missing related record.
  if (id !== 0 && !exists(id)) throw new ApiError(400, `${verb}. Invalid ${field}: ${id}.`, 'Exception');
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
