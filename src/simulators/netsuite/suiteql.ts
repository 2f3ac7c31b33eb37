import type { NetsuiteBook } from './book.ts';
import { formatDate, parseDate } from './suiteql-dates.ts';
import {
  invalidQuery,
  parseQuery,
  type DateValue,
  type Expr,
  type Pred,
  type Query,
  type Scalar,
  type Value,
} from './suiteql-syntax.ts';
import { tableFor, type Row, type Table } from './suiteql-tables.ts';

/**
 * A small SuiteQL engine for the query shapes a connector sends (reference/netsuite.md §4, syntax in
 * suiteql-syntax.ts, tables in suiteql-tables.ts): joins (inner and left, an equality in ON is used as an index),
 * WHERE, ORDER BY, DISTINCT, the functions TO_DATE / TO_TIMESTAMP / TO_CHAR / BUILTIN.DF / UPPER / LOWER / NVL /
 * SYSDATE. Every column is resolved before any row is read, so a column a table does not have is refused even when
 * no row would match, as NetSuite refuses it: "Unknown identifier 'x'. Available identifiers are: {t=transaction}."
 */

/** A table in the FROM clause, under its alias. */
interface Bound {
  alias: string;
  name: string;
  table: Table;
}
/** One row of the joined tables, by alias; null for the missing side of a LEFT JOIN. */
type Combo = Record<string, Row | null>;
type Resolved = { alias: string; column: string; bound: Bound };

const isDate = (v: Value): v is DateValue => typeof v === 'object' && v !== null;

class Scope {
  readonly sources: Bound[];
  readonly now: number;
  readonly #resolved = new WeakMap<Expr, Resolved>();

  constructor(sources: Bound[], now: number) {
    this.sources = sources;
    this.now = now;
  }

  #unknown(text: string): never {
    const names = this.sources.map((s) => `${s.alias}=${s.name}`).join(', ');
    throw invalidQuery(`Unknown identifier '${text}'. Available identifiers are: {${names}}.`);
  }

  /** Binds a column reference to its table, or refuses it. */
  resolve(expr: Extract<Expr, { kind: 'col' }>): Resolved {
    const known = this.#resolved.get(expr);
    if (known) return known;
    let bound: Bound | undefined;
    if (expr.qualifier !== null) {
      bound = this.sources.find((s) => s.alias === expr.qualifier || s.name === expr.qualifier);
      if (!bound || !bound.table.columns.has(expr.name)) this.#unknown(expr.text);
    } else {
      const having = this.sources.filter((s) => s.table.columns.has(expr.name));
      if (having.length === 0) this.#unknown(expr.text);
      if (having.length > 1) throw invalidQuery(`Column '${expr.text}' is ambiguous.`);
      bound = having[0];
    }
    const out = { alias: (bound as Bound).alias, column: expr.name, bound: bound as Bound };
    this.#resolved.set(expr, out);
    return out;
  }

  /** Walks the query once so that every column is checked before rows are read. */
  check(query: Query): void {
    const visitExpr = (e: Expr): void => {
      if (e.kind === 'col') this.resolve(e);
      else if (e.kind === 'fn') e.args.forEach(visitExpr);
    };
    const visitPred = (p: Pred): void => {
      switch (p.kind) {
        case 'and':
        case 'or':
          visitPred(p.left);
          visitPred(p.right);
          return;
        case 'not':
          visitPred(p.inner);
          return;
        case 'cmp':
          visitExpr(p.left);
          visitExpr(p.right);
          return;
        case 'in':
          visitExpr(p.expr);
          p.list.forEach(visitExpr);
          return;
        case 'null':
          visitExpr(p.expr);
          return;
        case 'like':
          visitExpr(p.expr);
          visitExpr(p.pattern);
          return;
        case 'between':
          visitExpr(p.expr);
          visitExpr(p.low);
          visitExpr(p.high);
      }
    };
    if (query.columns !== '*') query.columns.forEach((c) => visitExpr(c.expr));
    query.joins.forEach((j) => visitPred(j.on));
    if (query.where) visitPred(query.where);
    query.orderBy.forEach((o) => visitExpr(o.expr));
  }

  evaluate(expr: Expr, combo: Combo): Value {
    switch (expr.kind) {
      case 'lit':
        return expr.value;
      case 'col': {
        const r = this.resolve(expr);
        return combo[r.alias]?.[r.column] ?? null;
      }
      case 'fn':
        return this.call(expr, combo);
    }
  }

  call(expr: Extract<Expr, { kind: 'fn' }>, combo: Combo): Value {
    const args = expr.args;
    const arg = (i: number): Value => {
      const a = args[i];
      if (!a) throw invalidQuery(`${expr.name} needs more arguments.`);
      return this.evaluate(a, combo);
    };
    switch (expr.name) {
      case 'TO_DATE':
      case 'TO_TIMESTAMP': {
        const text = arg(0);
        if (text === null) return null;
        if (isDate(text)) return text;
        const fmt = args[1] ? arg(1) : undefined;
        return {
          t: parseDate(String(text), typeof fmt === 'string' ? fmt : undefined),
          dateOnly: expr.name === 'TO_DATE' && !fmt,
        };
      }
      case 'TO_CHAR': {
        const v = arg(0);
        if (v === null) return null;
        if (!isDate(v)) return String(v);
        const fmt = args[1] ? arg(1) : 'MM/DD/YYYY';
        return formatDate(v.t, String(fmt));
      }
      case 'BUILTIN.DF': {
        const a = args[0];
        if (!a || a.kind !== 'col') throw invalidQuery('BUILTIN.DF takes a field.');
        const r = this.resolve(a);
        const row = combo[r.alias];
        return row ? r.bound.table.display(row, r.column) : null;
      }
      case 'UPPER':
      case 'LOWER': {
        const v = arg(0);
        if (v === null || isDate(v)) return v;
        return expr.name === 'UPPER' ? String(v).toUpperCase() : String(v).toLowerCase();
      }
      case 'NVL': {
        const v = arg(0);
        return v === null ? arg(1) : v;
      }
      case 'SYSDATE':
        return { t: this.now };
      default:
        throw invalidQuery(`Unsupported function ${expr.name}.`);
    }
  }

  /** `status = 'SalesOrd:B'` and `status = 'B'` both match a pending-fulfilment order [I, §3.1]. */
  #statusOperand(expr: Expr, other: Expr, combo: Combo, value: Value): Value {
    if (expr.kind !== 'col' || other.kind !== 'lit' || typeof other.value !== 'string' || !other.value.includes(':'))
      return value;
    const r = this.resolve(expr);
    if (r.bound.name !== 'transaction' || r.column !== 'status') return value;
    return combo[r.alias]?.__statusfull ?? value;
  }

  test(pred: Pred, combo: Combo): boolean {
    const ev = (e: Expr): Value => this.evaluate(e, combo);
    switch (pred.kind) {
      case 'and':
        return this.test(pred.left, combo) && this.test(pred.right, combo);
      case 'or':
        return this.test(pred.left, combo) || this.test(pred.right, combo);
      case 'not':
        return !this.test(pred.inner, combo);
      case 'null': {
        const v = ev(pred.expr);
        return pred.negate ? v !== null && v !== '' : v === null || v === '';
      }
      case 'cmp': {
        const left = this.#statusOperand(pred.left, pred.right, combo, ev(pred.left));
        const right = this.#statusOperand(pred.right, pred.left, combo, ev(pred.right));
        return compare(pred.op, left, right);
      }
      case 'in': {
        const found = pred.list.some((item) => {
          const pair = toComparable(this.#statusOperand(pred.expr, item, combo, ev(pred.expr)), ev(item));
          return pair !== null && pair[0] === pair[1];
        });
        return pred.negate ? !found : found;
      }
      case 'like': {
        const v = ev(pred.expr);
        const p = ev(pred.pattern);
        if (v === null || p === null) return false;
        const re = new RegExp(
          `^${String(p)
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replace(/%/g, '.*')
            .replace(/_/g, '.')}$`,
          's',
        );
        const ok = re.test(isDate(v) ? String(v.t) : String(v));
        return pred.negate ? !ok : ok;
      }
      case 'between': {
        const v = ev(pred.expr);
        const lo = toComparable(v, ev(pred.low));
        const hi = toComparable(v, ev(pred.high));
        return lo !== null && hi !== null && lo[0] >= lo[1] && hi[0] <= hi[1];
      }
    }
  }
}

function toComparable(a: Value, b: Value): [number | string, number | string] | null {
  if (a === null || b === null) return null;
  if (isDate(a) || isDate(b)) {
    const ta = isDate(a) ? a.t : parseDate(String(a));
    const tb = isDate(b) ? b.t : parseDate(String(b));
    return [ta, tb];
  }
  if (typeof a === 'number' || typeof b === 'number') {
    const na = Number(a);
    const nb = Number(b);
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return [na, nb];
  }
  return [String(a), String(b)];
}

function compare(op: string, left: Value, right: Value): boolean {
  const pair = toComparable(left, right);
  if (!pair) return false;
  const [a, b] = pair;
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}

function compareValues(a: Value, b: Value): number {
  if (a === null && b === null) return 0;
  // Oracle sorts NULLs last in ascending order.
  if (a === null) return 1;
  if (b === null) return -1;
  const pair = toComparable(a, b);
  if (!pair) return 0;
  if (typeof pair[0] === 'string' && typeof pair[1] === 'string' && /^\d+$/.test(pair[0]) && /^\d+$/.test(pair[1])) {
    return Number(pair[0]) - Number(pair[1]);
  }
  return pair[0] < pair[1] ? -1 : pair[0] > pair[1] ? 1 : 0;
}

function outputValue(v: Value, dateFormat: 'M/D/YYYY' | 'ISO'): Scalar {
  if (!isDate(v)) return v;
  if (dateFormat === 'ISO') return new Date(v.t).toISOString().replace('.000Z', 'Z');
  // The user's date preference, date only: how SuiteQL shows a datetime column that is not wrapped in TO_CHAR [I].
  const d = new Date(v.t);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/** An equality in ON between a column of the joined table and something else: the index to look rows up by. */
function equiKey(on: Pred, scope: Scope, alias: string): { column: string; other: Expr } | undefined {
  if (on.kind === 'and') return equiKey(on.left, scope, alias) ?? equiKey(on.right, scope, alias);
  if (on.kind !== 'cmp' || on.op !== '=') return undefined;
  const side = (e: Expr): string | undefined => {
    if (e.kind !== 'col') return undefined;
    const r = scope.resolve(e);
    return r.alias === alias ? r.column : undefined;
  };
  const usesAlias = (e: Expr): boolean =>
    e.kind === 'col' ? scope.resolve(e).alias === alias : e.kind === 'fn' && e.args.some(usesAlias);
  const left = side(on.left);
  if (left && !usesAlias(on.right)) return { column: left, other: on.right };
  const right = side(on.right);
  if (right && !usesAlias(on.left)) return { column: right, other: on.left };
  return undefined;
}

function joinRows(query: Query, scope: Scope): Combo[] {
  const [first, ...rest] = scope.sources as [Bound, ...Bound[]];
  let combos: Combo[] = first.table.rows.map((r) => ({ [first.alias]: r }));
  query.joins.forEach((join, i) => {
    const bound = rest[i] as Bound;
    const key = equiKey(join.on, scope, bound.alias);
    let index: Map<string, Row[]> | undefined;
    if (key) {
      index = new Map();
      for (const row of bound.table.rows) {
        const v = row[key.column];
        if (v === null || v === undefined || typeof v === 'object') continue;
        const list = index.get(String(v)) ?? [];
        list.push(row);
        index.set(String(v), list);
      }
    }
    combos = combos.flatMap((combo) => {
      const candidates =
        key && index ? (index.get(String(scope.evaluate(key.other, combo) ?? '')) ?? []) : bound.table.rows;
      const matches = candidates.map((row) => ({ ...combo, [bound.alias]: row })).filter((c) => scope.test(join.on, c));
      if (matches.length === 0 && join.kind === 'left') return [{ ...combo, [bound.alias]: null }];
      return matches;
    });
  });
  return combos;
}

function project(query: Query, scope: Scope, combo: Combo, dateFormat: 'M/D/YYYY' | 'ISO'): Record<string, unknown> {
  const out: Record<string, unknown> = { links: [] };
  if (query.columns === '*') {
    for (const source of scope.sources) {
      for (const [k, v] of Object.entries(combo[source.alias] ?? {})) {
        if (k.startsWith('__')) continue;
        const value = outputValue(v, dateFormat);
        if (value !== null && value !== '') out[k] = value;
      }
    }
    return out;
  }
  for (const col of query.columns) {
    const value = outputValue(scope.evaluate(col.expr, combo), dateFormat);
    // SuiteQL leaves null columns out of a row; ids are strings.
    if (value !== null && value !== '')
      out[col.alias] =
        typeof value === 'number' && col.expr.kind === 'col' && col.expr.name === 'id' ? String(value) : value;
  }
  return out;
}

export interface SuiteqlPage {
  items: Array<Record<string, unknown>>;
  totalResults: number;
}

/** Runs a query and returns one page of rows (SuiteQL returns at most 100,000 results, §4). */
export function runSuiteql(book: NetsuiteBook, q: string, limit: number, offset: number): SuiteqlPage {
  if (typeof q !== 'string' || q.trim() === '') throw invalidQuery('The query is empty.');
  const query = parseQuery(q);
  const sources: Bound[] = [query.from, ...query.joins].map((s) => ({
    alias: s.alias,
    name: s.table,
    table: tableFor(s.table, book),
  }));
  const scope = new Scope(sources, book.clock.now());
  scope.check(query);
  let combos = joinRows(query, scope);
  if (query.where) {
    const where = query.where;
    combos = combos.filter((c) => scope.test(where, c));
  }
  if (query.orderBy.length > 0) {
    const keyed = combos.map((combo) => ({ combo, keys: query.orderBy.map((o) => scope.evaluate(o.expr, combo)) }));
    keyed.sort((a, b) => {
      for (let i = 0; i < query.orderBy.length; i++) {
        const c = compareValues(a.keys[i] ?? null, b.keys[i] ?? null);
        if (c !== 0) return query.orderBy[i]?.desc ? -c : c;
      }
      return 0;
    });
    combos = keyed.map((k) => k.combo);
  }
  const dateFormat = book.state.config.suiteqlDateFormat;
  let rows = combos.map((combo) => project(query, scope, combo, dateFormat));
  if (query.distinct) {
    const seen = new Set<string>();
    rows = rows.filter((r) => {
      const key = JSON.stringify(r);
      return seen.has(key) ? false : (seen.add(key), true);
    });
  }
  const total = Math.min(rows.length, 100_000);
  return { items: rows.slice(offset, Math.min(offset + limit, total)), totalResults: total };
}
