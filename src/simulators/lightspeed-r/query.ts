/**
 * Query parameters of the V3 API (reference §2.3 and §5): field filters with operators, `or=`, sorting,
 * cursor pagination and `load_relations`.
 */

/** An API error answered in the resource server's shape `{httpCode, httpMessage, message, errorClass}` (§7). */
export class ApiError extends Error {
  readonly status: number;
  readonly errorClass: string;
  constructor(status: number, message: string, errorClass = 'Exception') {
    super(message);
    this.status = status;
    this.errorClass = errorClass;
  }
}

export const httpMessages: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '><' | '~' | '!~' | 'IN';

export interface Condition {
  field: string;
  op: Op;
  values: string[];
}

/** Names that are query controls, never field filters. */
export const reservedParams = new Set([
  'limit',
  'sort',
  'after',
  'before',
  'load_relations',
  'archived',
  'count',
  'or',
  'offset',
  'orderby',
  'orderby_desc',
  'timeStamp_utc',
]);

export const maxInValues = 100;

// Longest operators first so `>=` is not read as `>`.
const operatorPrefixes: Op[] = ['><', '>=', '<=', '!=', '!~', '>', '<', '~', '=', 'IN'];

/**
 * Parses `OP,value` (e.g. `>,5`, `~,%shirt%`, `IN,[1,2,3]`, `><,1,10`). A plain value means `=`.
 * The form `~,OP,value` (an explicit operator after the `~` delimiter, e.g. `~,=,value`, `~,IN,[a,b]`) is
 * accepted too and means OP.
 */
export function parseCondition(field: string, raw: string): Condition {
  let op: Op = '=';
  let rest = raw;
  for (const candidate of operatorPrefixes) {
    if (raw.startsWith(`${candidate},`) || (candidate === 'IN' && raw.toUpperCase().startsWith('IN,'))) {
      op = candidate;
      rest = raw.slice(candidate.length + 1);
      break;
    }
  }
  if (op === '~') {
    for (const candidate of operatorPrefixes) {
      if (candidate === '~') continue;
      if (rest.startsWith(`${candidate},`) || (candidate === 'IN' && rest.toUpperCase().startsWith('IN,'))) {
        op = candidate;
        rest = rest.slice(candidate.length + 1);
        break;
      }
    }
  }
  if (op === 'IN') {
    const inner = rest.trim().replace(/^\[/, '').replace(/\]$/, '');
    const values = inner === '' ? [] : inner.split(',').map((v) => v.trim().replace(/^["']|["']$/g, ''));
    if (values.length > maxInValues) {
      throw new ApiError(
        400,
        `The IN operator accepts at most ${maxInValues} values; ${values.length} were given for ${field}.`,
        'Exception',
      );
    }
    return { field, op, values };
  }
  if (op === '><') {
    const parts = rest.split(',');
    if (parts.length !== 2) throw new ApiError(400, `The >< operator needs two values for ${field}.`, 'Exception');
    return { field, op, values: parts };
  }
  return { field, op, values: [rest] };
}

const dateLike = /(Time|Date|timeStamp)$/;

/** `2016-11-01T00:00:00-0400` → `2016-11-01T00:00:00-04:00` (Date.parse wants the colon); no offset = UTC. */
function parseDate(text: string): number {
  let t = text.trim().replace(' ', 'T');
  if (/[+-]\d{4}$/.test(t)) t = `${t.slice(0, -2)}:${t.slice(-2)}`;
  else if (/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t)) t = `${t}Z`;
  return Date.parse(t);
}

/**
 * Compares a record's typed value with a query value (or another record value). Number columns compare as
 * numbers, dates as instants, booleans as true/false, and strings case-insensitively (the way a MySQL
 * default collation does) — so `upc=012345678905` never equals `12345678905`.
 */
export function compareValues(field: string, recordValue: unknown, queryValue: unknown): number {
  if (typeof recordValue === 'number') {
    const q = typeof queryValue === 'number' ? queryValue : Number(String(queryValue).trim() === '' ? NaN : queryValue);
    if (Number.isNaN(q)) return NaN;
    return recordValue - q;
  }
  if (typeof recordValue === 'boolean') {
    const q = String(queryValue).toLowerCase();
    const qb = q === 'true' || q === '1';
    return recordValue === qb ? 0 : recordValue ? 1 : -1;
  }
  const a = recordValue === null || recordValue === undefined ? '' : String(recordValue);
  const b = queryValue === null || queryValue === undefined ? '' : String(queryValue);
  if (dateLike.test(field) && a !== '' && b !== '') {
    const da = parseDate(a);
    const db = parseDate(b);
    if (!Number.isNaN(da) && !Number.isNaN(db)) return da - db;
  }
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+?^${}()|[\]\\*]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

export function isDateField(field: string): boolean {
  return dateLike.test(field);
}

export function parseQueryDate(text: string): number {
  return parseDate(text);
}

export function matches(condition: Condition, value: unknown): boolean {
  if (value === undefined) return false;
  const first = condition.values[0] ?? '';
  const cmp = (v: string): number => compareValues(condition.field, value, v);
  switch (condition.op) {
    case '=':
      return cmp(first) === 0;
    case '!=':
      return cmp(first) !== 0;
    case '>':
      return cmp(first) > 0;
    case '>=':
      return cmp(first) >= 0;
    case '<':
      return cmp(first) < 0;
    case '<=':
      return cmp(first) <= 0;
    case '><':
      return cmp(first) >= 0 && cmp(condition.values[1] ?? '') <= 0;
    case '~':
      return likeToRegExp(first).test(textOf(value));
    case '!~':
      return !likeToRegExp(first).test(textOf(value));
    case 'IN':
      return condition.values.some((v) => cmp(v) === 0);
  }
}

function textOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return String(value);
}

/** `or=upc%3D111|upc%3D222` (decoded: `upc=111|upc=222`): a record matches when any part does. */
export function parseOr(raw: string): Condition[] {
  const parts = raw.split('|').filter((p) => p.trim() !== '');
  if (parts.length === 0) throw new ApiError(400, 'The or parameter is empty.', 'Exception');
  return parts.map((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new ApiError(400, `Invalid or condition: ${part}`, 'Exception');
    return parseCondition(part.slice(0, eq), part.slice(eq + 1));
  });
}

export interface SortSpec {
  field: string;
  descending: boolean;
}

export function parseSort(raw: string | undefined, idField: string, sortable: string[]): SortSpec {
  if (raw === undefined || raw === '') return { field: idField, descending: false };
  const descending = raw.startsWith('-');
  const field = descending ? raw.slice(1) : raw;
  if (!sortable.includes(field)) {
    throw new ApiError(400, `Invalid sort field: ${field}. Sortable fields are: ${sortable.join(', ')}.`, 'Exception');
  }
  return { field, descending };
}

/** Cursors are base64 of a JSON array of the sort key (`WzEwMF0=` is `[100]`), as in the reference's example. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64');
}

export function decodeCursor(raw: string): Array<string | number> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
    if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string' || typeof v === 'number'))
      return parsed as Array<string | number>;
  } catch {
    // fall through
  }
  throw new ApiError(400, 'Invalid pagination cursor.', 'Exception');
}

/** Orders records by [sort value, id] keys (typed values, as stored). */
export function compareKeys(field: string, a: Array<string | number>, b: Array<string | number>): number {
  const first = compareValues(field, a[0], b[0]);
  if (first !== 0 && !Number.isNaN(first)) return first;
  return Number(a[1] ?? 0) - Number(b[1] ?? 0);
}

export function parseLoadRelations(raw: string | undefined, allowed: readonly string[]): string[] {
  if (raw === undefined || raw === '') return [];
  if (raw === 'all') return [...allowed];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'load_relations must be a JSON encoded array of relation names or "all".', 'Exception');
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
    throw new ApiError(400, 'load_relations must be a JSON encoded array of relation names or "all".', 'Exception');
  }
  for (const name of parsed as string[]) {
    if (!allowed.includes(name))
      throw new ApiError(400, `Invalid relation: ${name}. Valid relations are: ${allowed.join(', ')}.`, 'Exception');
  }
  return parsed as string[];
}
