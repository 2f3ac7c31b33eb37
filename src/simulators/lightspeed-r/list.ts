import type { Context } from 'hono';
import type { Core } from './core.ts';
import {
  ApiError,
  compareKeys,
  decodeCursor,
  encodeCursor,
  matches,
  parseCondition,
  parseLoadRelations,
  parseOr,
  parseSort,
  reservedParams,
  type Condition,
  type SortSpec,
} from './query.ts';
import type { AnyRec, ResourceDef } from './resources.ts';
import { many, type Out } from './serialize.ts';

/**
 * `GET /{Resource}.json`: filters, `or=`, `archived`, sorting, `count=1` and the V3 cursor envelope
 * (reference §2.3, §5).
 */

interface ListQuery {
  rels: Set<string>;
  limit: number;
  sort: SortSpec;
  countOnly: boolean;
  accept(record: AnyRec): boolean;
  conditions: Condition[];
}

function parseLimit(params: URLSearchParams): number {
  if (!params.has('limit')) return 100;
  const raw = params.get('limit') ?? '';
  if (!/^\d+$/.test(raw) || Number(raw) > 100)
    throw new ApiError(400, 'limit must be an integer from 0 to 100.', 'Exception');
  // [I] limit=0 is treated as the default page size.
  return Number(raw) === 0 ? 100 : Number(raw);
}

/** The filters of a query: field conditions, `or=` and `archived`, as one predicate. */
function parseFilters(
  core: Core,
  def: ResourceDef,
  params: URLSearchParams,
  rels: Set<string>,
): { conditions: Condition[]; accept(record: AnyRec): boolean } {
  const table = core.store.tables[def.name] as unknown as Map<number, AnyRec>;
  const fieldNames = new Set(Object.keys(table.values().next().value ?? {}));
  const knownField = (field: string): boolean => {
    if (def.name === 'Item' && field === 'itemCode') return true;
    if (field.includes('.')) {
      const relation = field.slice(0, field.indexOf('.'));
      if (!(relation in def.relations)) return false;
      if (!rels.has(relation))
        throw new ApiError(400, `Filtering on ${field} needs load_relations to include ${relation}.`, 'Exception');
      return true;
    }
    return fieldNames.size === 0 || fieldNames.has(field);
  };
  const conditions: Condition[] = [];
  for (const [key, value] of params) {
    if (reservedParams.has(key)) continue;
    if (!knownField(key)) throw new ApiError(400, `Invalid query parameter: ${key}.`, 'Exception');
    const condition = parseCondition(key, value);
    if (def.name === 'Item' && key === 'itemCode' && !['=', 'IN'].includes(condition.op)) {
      throw new ApiError(400, 'itemCode only supports the =, IN and or operators.', 'Exception');
    }
    conditions.push(condition);
  }
  const orConditions = params.has('or') ? parseOr(params.get('or') ?? '') : [];
  for (const condition of orConditions)
    if (!knownField(condition.field))
      throw new ApiError(400, `Invalid query parameter: ${condition.field}.`, 'Exception');

  const test = (record: AnyRec, condition: Condition): boolean => {
    if (condition.field === 'itemCode' && def.name === 'Item') {
      const [id, upc, ean] = [record.itemID, record.upc, record.ean];
      return condition.values.some((v) => String(id) === v || (upc !== '' && upc === v) || (ean !== '' && ean === v));
    }
    const dot = condition.field.indexOf('.');
    const values =
      dot > 0 && def.related
        ? def.related(core, record, condition.field.slice(0, dot)).map((r) => r[condition.field.slice(dot + 1)])
        : [record[condition.field]];
    return values.some((v) => matches(condition, v));
  };
  const archivedMode = (params.get('archived') ?? 'false').toLowerCase();
  const accept = (record: AnyRec): boolean => {
    if (def.archivable) {
      const archived = record.archived === true;
      if (archivedMode === 'only' ? !archived : archivedMode !== 'true' && archivedMode !== '1' && archived)
        return false;
    }
    for (const condition of conditions) if (!test(record, condition)) return false;
    if (orConditions.length && !orConditions.some((condition) => test(record, condition))) return false;
    return true;
  };
  return { conditions, accept };
}

function parseListQuery(core: Core, def: ResourceDef, params: URLSearchParams): ListQuery {
  const rels = new Set(parseLoadRelations(params.get('load_relations') ?? undefined, Object.keys(def.relations)));
  const countOnly = params.get('count') === '1';
  if (countOnly && ['limit', 'sort', 'after', 'before'].some((p) => params.has(p))) {
    throw new ApiError(400, 'count=1 cannot be combined with limit, sort, after or before.', 'Exception');
  }
  const limit = parseLimit(params);
  const sort = parseSort(params.get('sort') ?? undefined, def.idField, def.sortable);
  return { rels, limit, sort, countOnly, ...parseFilters(core, def, params, rels) };
}

interface Page {
  records: AnyRec[];
  hasNext: boolean;
  hasPrevious: boolean;
}

function selectPage(
  source: Iterable<AnyRec>,
  query: ListQuery,
  keyOf: (r: AnyRec) => Array<string | number>,
  idField: string,
  cursors: { after?: Array<string | number>; before?: Array<string | number> },
): Page {
  const { sort, limit, accept } = query;
  const direction = sort.descending ? -1 : 1;
  const cmp = (a: Array<string | number>, b: Array<string | number>): number =>
    direction * compareKeys(sort.field, a, b);
  const { after, before } = cursors;
  // Insertion order is id order, so an ascending id sort can stream without sorting (fast paging over 200k items).
  if (sort.field === idField && !sort.descending && !before) {
    const records: AnyRec[] = [];
    for (const r of source) {
      if (after && cmp(keyOf(r), after) <= 0) continue;
      if (!accept(r)) continue;
      if (records.length === limit) return { records, hasNext: true, hasPrevious: Boolean(after) };
      records.push(r);
    }
    return { records, hasNext: false, hasPrevious: Boolean(after) && records.length > 0 };
  }
  const all: AnyRec[] = [];
  for (const r of source) if (accept(r)) all.push(r);
  all.sort((a, b) => cmp(keyOf(a), keyOf(b)));
  if (before) {
    const earlier = all.filter((r) => cmp(keyOf(r), before) < 0);
    const records = earlier.slice(Math.max(0, earlier.length - limit));
    return { records, hasPrevious: earlier.length > limit, hasNext: records.length > 0 };
  }
  const later = after ? all.filter((r) => cmp(keyOf(r), after) > 0) : all;
  const records = later.slice(0, limit);
  return { records, hasNext: later.length > limit, hasPrevious: Boolean(after) && records.length > 0 };
}

/** `within` narrows a nested listing to its parent (`/Order/{orderID}/Shipment.json`: that order's receipts). */
export function listResponse(core: Core, def: ResourceDef, c: Context, within?: (record: AnyRec) => boolean): Response {
  const url = new URL(c.req.url);
  const params = url.searchParams;
  const table = core.store.tables[def.name] as unknown as Map<number, AnyRec>;
  const parsed = parseListQuery(core, def, params);
  const query = within ? { ...parsed, accept: (r: AnyRec) => within(r) && parsed.accept(r) } : parsed;

  const candidateIds = def.candidates?.(core, query.conditions);
  const source: Iterable<AnyRec> = candidateIds
    ? (function* () {
        for (const id of candidateIds) {
          const r = table.get(id);
          if (r) yield r;
        }
      })()
    : table.values();

  if (query.countOnly) {
    let n = 0;
    for (const r of source) if (query.accept(r)) n++;
    return c.json({ '@attributes': { count: String(n) } });
  }

  const keyOf = (r: AnyRec): Array<string | number> =>
    query.sort.field === def.idField
      ? [r[def.idField] as number]
      : [r[query.sort.field] as string | number, r[def.idField] as number];
  const after = params.get('after');
  const before = params.get('before');
  const page = selectPage(source, query, keyOf, def.idField, {
    ...(after ? { after: decodeCursor(after) } : {}),
    ...(before ? { before: decodeCursor(before) } : {}),
  });

  const pageUrl = (cursorName: 'after' | 'before', key: Array<string | number>): string => {
    const next = new URLSearchParams();
    for (const [k, v] of params) if (!['after', 'before', 'sort', 'limit'].includes(k)) next.append(k, v);
    next.set('sort', params.get('sort') ?? def.idField);
    next.set('limit', String(query.limit));
    next.set(cursorName, encodeCursor(key));
    return `${core.publicUrl ?? url.origin}${url.pathname}?${next.toString()}`;
  };
  const first = page.records[0];
  const last = page.records[page.records.length - 1];
  const body: Out = {
    '@attributes': {
      next: page.hasNext && last ? pageUrl('after', keyOf(last)) : '',
      previous: page.hasPrevious && first ? pageUrl('before', keyOf(first)) : '',
    },
  };
  // §5: the resource key is absent on an empty result (the recorded count-0 reply has only @attributes); one
  // record is an object.
  if (page.records.length > 0) body[def.name] = many(page.records.map((r) => def.serialize(core, r, query.rels)));
  return c.json(body);
}
