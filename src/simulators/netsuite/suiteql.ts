import { NsError } from './errors.ts';
import {
  salesOrderStatuses,
  suiteqlTypes,
  cashSaleStatuses,
  invoiceStatuses,
  fulfillmentStatuses,
  type NsState,
} from './model.ts';
import type { NetsuiteBook } from './book.ts';
import { itemTypeCode } from './records.ts';

/**
 * A small SuiteQL engine for the query shapes a connector sends (reference/netsuite.md §4):
 *   SELECT cols | * FROM transaction|item|customer|location [alias]
 *   [WHERE pred (AND|OR pred)…] [ORDER BY col [ASC|DESC], …]
 * with predicates `=, !=, <>, <, <=, >, >=, IN (…), NOT IN, IS [NOT] NULL, LIKE, BETWEEN`, the functions
 * TO_DATE / TO_TIMESTAMP / TO_CHAR / BUILTIN.DF / UPPER / LOWER, and string, number and date literals.
 * Anything else is refused with NetSuite's "Invalid search query" error. Times are UTC (the account's time zone in
 * a real account) [I].
 */

type Scalar = string | number | null;
/** A date value (epoch ms); `dateOnly` for date fields such as trandate. */
interface DateValue {
  t: number;
  dateOnly?: boolean;
}
type Value = Scalar | DateValue;
type Row = Record<string, Value>;
interface Known {
  has(name: string): boolean;
}

const isDate = (v: Value): v is DateValue => typeof v === 'object' && v !== null;

function invalidQuery(reason: string): NsError {
  return new NsError(
    400,
    'INVALID_PARAMETER',
    `Invalid search query. Detailed unprocessed description follows. Search error occurred: ${reason}`,
  );
}

// ---- tokens ---------------------------------------------------------------------------------------------

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'punct'; text: string };

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= q.length) throw invalidQuery('Unterminated string literal.');
        if (q[i] === "'" && q[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (q[i] === "'") {
          i++;
          break;
        } else s += q[i++];
      }
      tokens.push({ kind: 'string', text: s });
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(q.slice(i));
    if (num) {
      tokens.push({ kind: 'number', text: num[0] });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.$]*/.exec(q.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0] });
      i += ident[0].length;
      continue;
    }
    const op = /^(<=|>=|<>|!=|=|<|>)/.exec(q.slice(i));
    if (op) {
      tokens.push({ kind: 'op', text: op[0] });
      i += op[0].length;
      continue;
    }
    if ('(),*'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch });
      i++;
      continue;
    }
    throw invalidQuery(`Unexpected character '${ch}'.`);
  }
  return tokens;
}

// ---- syntax tree ----------------------------------------------------------------------------------------

type Expr = { kind: 'col'; name: string } | { kind: 'lit'; value: Value } | { kind: 'fn'; name: string; args: Expr[] };

type Pred =
  | { kind: 'and' | 'or'; left: Pred; right: Pred }
  | { kind: 'not'; inner: Pred }
  | { kind: 'cmp'; op: string; left: Expr; right: Expr }
  | { kind: 'in'; expr: Expr; list: Expr[]; negate: boolean }
  | { kind: 'null'; expr: Expr; negate: boolean }
  | { kind: 'like'; expr: Expr; pattern: Expr; negate: boolean }
  | { kind: 'between'; expr: Expr; low: Expr; high: Expr };

interface Query {
  columns: Array<{ expr: Expr; alias: string }> | '*';
  table: string;
  where: Pred | null;
  orderBy: Array<{ expr: Expr; desc: boolean }>;
}

const keywords = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'in',
  'is',
  'null',
  'like',
  'between',
  'order',
  'by',
  'asc',
  'desc',
  'as',
]);

class Parser {
  #t: Token[];
  #i = 0;
  #table = '';
  #alias = '';
  #exprCount = 0;

  constructor(tokens: Token[]) {
    this.#t = tokens;
  }

  peek(offset = 0): Token | undefined {
    return this.#t[this.#i + offset];
  }

  isKw(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'ident' && t.text.toLowerCase() === word;
  }

  kw(word: string): void {
    if (!this.isKw(word))
      throw invalidQuery(`Expected ${word.toUpperCase()} near '${this.peek()?.text ?? 'end of query'}'.`);
    this.#i++;
  }

  punct(p: string): boolean {
    const t = this.peek();
    if (t?.kind === 'punct' && t.text === p) {
      this.#i++;
      return true;
    }
    return false;
  }

  parse(): Query {
    this.kw('select');
    // Look ahead for FROM to learn the table alias before column names are resolved.
    const fromIndex = this.#t.findIndex(
      (t, idx) => idx > this.#i && t.kind === 'ident' && t.text.toLowerCase() === 'from',
    );
    if (fromIndex < 0) throw invalidQuery('Expected FROM.');
    const tableTok = this.#t[fromIndex + 1];
    if (!tableTok || tableTok.kind !== 'ident') throw invalidQuery('Expected a table after FROM.');
    this.#table = tableTok.text.toLowerCase();
    const aliasTok = this.#t[fromIndex + 2];
    if (aliasTok?.kind === 'ident' && aliasTok.text.toLowerCase() === 'as')
      this.#alias = (this.#t[fromIndex + 3]?.text ?? '').toLowerCase();
    else if (aliasTok?.kind === 'ident' && !keywords.has(aliasTok.text.toLowerCase()))
      this.#alias = aliasTok.text.toLowerCase();

    let columns: Query['columns'];
    if (this.punct('*')) columns = '*';
    else {
      columns = [];
      do {
        const expr = this.expr();
        let alias: string;
        if (this.isKw('as')) {
          this.#i++;
          alias = this.ident();
        } else if (this.peek()?.kind === 'ident' && !this.isKw('from')) alias = this.ident();
        else alias = expr.kind === 'col' ? expr.name : `expr${++this.#exprCount}`;
        columns.push({ expr, alias: alias.toLowerCase() });
      } while (this.punct(','));
    }
    this.kw('from');
    this.#i++; // table
    if (this.isKw('as')) this.#i += 2;
    else if (this.peek()?.kind === 'ident' && !keywords.has((this.peek()?.text ?? '').toLowerCase())) this.#i++;
    let where: Pred | null = null;
    if (this.isKw('where')) {
      this.#i++;
      where = this.orPred();
    }
    const orderBy: Query['orderBy'] = [];
    if (this.isKw('order')) {
      this.#i++;
      this.kw('by');
      do {
        const expr = this.expr();
        let desc = false;
        if (this.isKw('asc')) this.#i++;
        else if (this.isKw('desc')) {
          this.#i++;
          desc = true;
        }
        orderBy.push({ expr, desc });
      } while (this.punct(','));
    }
    if (this.peek()) throw invalidQuery(`Unexpected '${this.peek()?.text}'.`);
    return { columns, table: this.#table, where, orderBy };
  }

  ident(): string {
    const t = this.peek();
    if (t?.kind !== 'ident') throw invalidQuery(`Expected a name near '${t?.text ?? 'end of query'}'.`);
    this.#i++;
    return t.text;
  }

  orPred(): Pred {
    let left = this.andPred();
    while (this.isKw('or')) {
      this.#i++;
      left = { kind: 'or', left, right: this.andPred() };
    }
    return left;
  }

  andPred(): Pred {
    let left = this.pred();
    while (this.isKw('and')) {
      this.#i++;
      left = { kind: 'and', left, right: this.pred() };
    }
    return left;
  }

  pred(): Pred {
    if (this.isKw('not')) {
      this.#i++;
      return { kind: 'not', inner: this.pred() };
    }
    const t = this.peek();
    // A parenthesised predicate (not a function call's parentheses, which expr() consumes).
    if (t?.kind === 'punct' && t.text === '(') {
      this.#i++;
      const inner = this.orPred();
      if (!this.punct(')')) throw invalidQuery('Expected ).');
      return inner;
    }
    const expr = this.expr();
    let negate = false;
    if (this.isKw('is')) {
      this.#i++;
      if (this.isKw('not')) {
        this.#i++;
        negate = true;
      }
      this.kw('null');
      return { kind: 'null', expr, negate };
    }
    if (this.isKw('not')) {
      this.#i++;
      negate = true;
    }
    if (this.isKw('in')) {
      this.#i++;
      if (!this.punct('(')) throw invalidQuery('Expected ( after IN.');
      const list: Expr[] = [];
      do list.push(this.expr());
      while (this.punct(','));
      if (!this.punct(')')) throw invalidQuery('Expected ) after the IN list.');
      return { kind: 'in', expr, list, negate };
    }
    if (this.isKw('like')) {
      this.#i++;
      return { kind: 'like', expr, pattern: this.expr(), negate };
    }
    if (this.isKw('between') && !negate) {
      this.#i++;
      const low = this.expr();
      this.kw('and');
      return { kind: 'between', expr, low, high: this.expr() };
    }
    if (negate) throw invalidQuery('Expected IN or LIKE after NOT.');
    const op = this.peek();
    if (op?.kind !== 'op') throw invalidQuery(`Expected a comparison near '${op?.text ?? 'end of query'}'.`);
    this.#i++;
    return { kind: 'cmp', op: op.text === '!=' ? '<>' : op.text, left: expr, right: this.expr() };
  }

  expr(): Expr {
    const t = this.peek();
    if (!t) throw invalidQuery('Unexpected end of query.');
    if (t.kind === 'string') {
      this.#i++;
      return { kind: 'lit', value: t.text };
    }
    if (t.kind === 'number') {
      this.#i++;
      return { kind: 'lit', value: Number(t.text) };
    }
    if (t.kind === 'ident') {
      if (keywords.has(t.text.toLowerCase()) && t.text.toLowerCase() !== 'null')
        throw invalidQuery(`Unexpected ${t.text}.`);
      this.#i++;
      if (t.text.toLowerCase() === 'null') return { kind: 'lit', value: null };
      if (this.peek()?.kind === 'punct' && this.peek()?.text === '(') {
        this.#i++;
        const args: Expr[] = [];
        if (!this.punct(')')) {
          do args.push(this.expr());
          while (this.punct(','));
          if (!this.punct(')')) throw invalidQuery('Expected ) after function arguments.');
        }
        return { kind: 'fn', name: t.text.toUpperCase(), args };
      }
      const lowerName = t.text.toLowerCase();
      const parts = lowerName.split('.');
      if (parts.length === 2 && (parts[0] === this.#alias || parts[0] === this.#table))
        return { kind: 'col', name: parts[1] ?? '' };
      if (parts.length > 1)
        throw invalidQuery(`Unknown identifier '${t.text}' (joins are not supported by this simulator).`);
      if (lowerName === 'sysdate' || lowerName === 'current_date') return { kind: 'fn', name: 'SYSDATE', args: [] };
      return { kind: 'col', name: lowerName };
    }
    throw invalidQuery(`Unexpected '${t.text}'.`);
  }
}

// ---- dates ----------------------------------------------------------------------------------------------

const formatToken = /YYYY|MM|DD|HH24|HH12|HH|MI|SS|AM|PM|"[^"]*"|[\s\S]/gi;

export function formatDate(ms: number, fmt: string): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (fmt.match(formatToken) ?? [])
    .map((tok) => {
      switch (tok.toUpperCase()) {
        case 'YYYY':
          return String(d.getUTCFullYear());
        case 'MM':
          return pad(d.getUTCMonth() + 1);
        case 'DD':
          return pad(d.getUTCDate());
        case 'HH24':
          return pad(d.getUTCHours());
        case 'HH':
        case 'HH12':
          return pad(d.getUTCHours() % 12 || 12);
        case 'MI':
          return pad(d.getUTCMinutes());
        case 'SS':
          return pad(d.getUTCSeconds());
        case 'AM':
        case 'PM':
          return d.getUTCHours() < 12 ? 'AM' : 'PM';
        default:
          return tok.startsWith('"') ? tok.slice(1, -1) : tok;
      }
    })
    .join('');
}

export function parseDate(text: string, fmt?: string): number {
  if (fmt) {
    let re = '^';
    const order: string[] = [];
    for (const tok of fmt.match(formatToken) ?? []) {
      const up = tok.toUpperCase();
      if (up === 'YYYY') re += '(\\d{4})';
      else if (['MM', 'DD', 'HH24', 'HH', 'HH12', 'MI', 'SS'].includes(up)) re += '(\\d{1,2})';
      else if (up === 'AM' || up === 'PM') re += '(AM|PM|am|pm)';
      else re += (tok.startsWith('"') ? tok.slice(1, -1) : tok).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (/^(YYYY|MM|DD|HH24|HH|HH12|MI|SS|AM|PM)$/.test(up)) order.push(up);
    }
    const m = new RegExp(`${re}$`).exec(text.trim());
    if (!m) throw invalidQuery(`The date '${text}' does not match the format '${fmt}'.`);
    const parts: Record<string, string> = {};
    order.forEach((k, i) => (parts[k] = m[i + 1] ?? ''));
    let hours = Number(parts.HH24 ?? parts.HH ?? parts.HH12 ?? 0);
    const meridiem = (parts.AM ?? parts.PM ?? '').toUpperCase();
    if (meridiem === 'PM' && hours < 12) hours += 12;
    if (meridiem === 'AM' && hours === 12) hours = 0;
    return Date.UTC(
      Number(parts.YYYY ?? 1970),
      Number(parts.MM ?? 1) - 1,
      Number(parts.DD ?? 1),
      hours,
      Number(parts.MI ?? 0),
      Number(parts.SS ?? 0),
    );
  }
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i.exec(text.trim());
  if (us) {
    let h = Number(us[4] ?? 0);
    if (us[7]?.toLowerCase() === 'pm' && h < 12) h += 12;
    if (us[7]?.toLowerCase() === 'am' && h === 12) h = 0;
    return Date.UTC(Number(us[3]), Number(us[1]) - 1, Number(us[2]), h, Number(us[5] ?? 0), Number(us[6] ?? 0));
  }
  const iso = Date.parse(
    /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) || text.length <= 10 ? text : `${text.replace(' ', 'T')}Z`,
  );
  if (Number.isNaN(iso)) throw invalidQuery(`Invalid date '${text}'.`);
  return iso;
}

// ---- tables ---------------------------------------------------------------------------------------------

const dateMs = (iso: string): DateValue => ({ t: Date.parse(iso) });
const dayMs = (day: string): DateValue => ({ t: Date.parse(`${day}T00:00:00Z`), dateOnly: true });
const tf = (b: boolean): string => (b ? 'T' : 'F');

interface Table {
  rows: Row[];
  /** Display values for BUILTIN.DF. */
  display(row: Row, column: string): Value;
}

function tableFor(name: string, book: NetsuiteBook): Table {
  const s: NsState = book.state;
  const customerName = (id: Value): Value => {
    const c = typeof id === 'string' ? s.customers[id] : undefined;
    return c ? `${c.entityId} ${c.isPerson ? `${c.firstName} ${c.lastName}` : c.companyName}` : null;
  };
  switch (name) {
    case 'transaction': {
      const typeNames: Record<string, string> = {
        SalesOrd: 'Sales Order',
        ItemShip: 'Item Fulfillment',
        CustInvc: 'Invoice',
        CashSale: 'Cash Sale',
      };
      const rows = Object.values(s.transactions).map((t): Row => {
        const status =
          t.type === 'salesOrder' ? book.statusOf(t) : t.type === 'itemFulfillment' ? t.shipStatus : t.statusCode;
        const custom = Object.fromEntries(
          Object.entries(t.custom).map(([k, v]) => [
            k,
            v === null || v === undefined
              ? null
              : typeof v === 'object'
                ? JSON.stringify(v)
                : typeof v === 'boolean'
                  ? tf(v)
                  : (v as Scalar),
          ]),
        );
        const total = t.type === 'itemFulfillment' ? null : t.lines.reduce((sum, l) => sum + l.amount, 0);
        return {
          ...custom,
          id: t.id,
          tranid: t.tranId,
          type: suiteqlTypes[t.type],
          recordtype: t.type.toLowerCase(),
          status,
          lastmodifieddate: dateMs(t.lastModifiedDate),
          createddate: dateMs(t.createdDate),
          trandate: dayMs(t.tranDate),
          externalid: t.externalId,
          entity: t.entity,
          memo: t.memo || null,
          otherrefnum:
            t.type === 'salesOrder' || t.type === 'invoice' || t.type === 'cashSale' ? t.otherRefNum || null : null,
          shipmethod: t.type === 'salesOrder' ? t.shipMethod : null,
          shipdate: t.type === 'salesOrder' && t.shipDate ? dayMs(t.shipDate) : null,
          location: t.location,
          foreigntotal: total === null ? null : Math.round(total * 100) / 100,
          createdfrom: t.type === 'salesOrder' ? null : t.createdFrom,
          __statusfull: `${suiteqlTypes[t.type]}:${status}`,
        };
      });
      return {
        rows,
        display(row, column) {
          if (column === 'status') {
            const code = String(row.status);
            const names: Record<string, Record<string, string>> = {
              SalesOrd: salesOrderStatuses,
              ItemShip: fulfillmentStatuses,
              CustInvc: invoiceStatuses,
              CashSale: cashSaleStatuses,
            };
            const type = String(row.type);
            return `${typeNames[type] ?? type} : ${names[type]?.[code] ?? code}`;
          }
          if (column === 'type') return typeNames[String(row.type)] ?? row.type ?? null;
          if (column === 'entity') return customerName(row.entity ?? null);
          if (column === 'location')
            return typeof row.location === 'string' ? (s.locations[row.location]?.name ?? null) : null;
          if (column === 'shipmethod')
            return typeof row.shipmethod === 'string' ? (s.shipMethods[row.shipmethod]?.itemId ?? null) : null;
          if (column === 'createdfrom')
            return typeof row.createdfrom === 'string' ? (s.transactions[row.createdfrom]?.tranId ?? null) : null;
          return row[column] ?? null;
        },
      };
    }
    case 'item':
      return {
        rows: [
          ...Object.values(s.items).map((i): Row => ({
            id: i.id,
            itemid: i.itemId,
            displayname: i.displayName,
            upccode: i.upcCode,
            itemtype: itemTypeCode(i),
            isserialitem: tf(i.itemType === 'serializedInventoryItem'),
            islotitem: tf(i.itemType === 'lotNumberedInventoryItem'),
            usebins: tf(i.useBins),
            isinactive: tf(i.isInactive),
            externalid: i.externalId,
            vendorname: i.vendorName || null,
            createddate: dateMs(i.createdDate),
            lastmodifieddate: dateMs(i.lastModifiedDate),
          })),
          ...Object.values(s.shipMethods).map((m): Row => ({
            id: m.id,
            itemid: m.itemId,
            displayname: m.displayName,
            itemtype: 'ShipItem',
            isinactive: 'F',
            isserialitem: 'F',
            islotitem: 'F',
            usebins: 'F',
          })),
        ],
        display: (row, column) => row[column] ?? null,
      };
    case 'customer':
      return {
        rows: Object.values(s.customers).map((c): Row => ({
          id: c.id,
          entityid: c.entityId,
          companyname: c.companyName || null,
          firstname: c.firstName || null,
          lastname: c.lastName || null,
          isperson: tf(c.isPerson),
          email: c.email || null,
          phone: c.phone || null,
          externalid: c.externalId,
          datecreated: dateMs(c.createdDate),
          lastmodifieddate: dateMs(c.lastModifiedDate),
        })),
        display: (row, column) => row[column] ?? null,
      };
    case 'location':
      return {
        rows: Object.values(s.locations).map((l): Row => ({
          id: l.id,
          name: l.name,
          isinactive: tf(l.isInactive),
          usebins: tf(l.useBins),
          lastmodifieddate: dateMs(l.lastModifiedDate),
        })),
        display: (row, column) => row[column] ?? null,
      };
    default:
      throw invalidQuery(`Unknown table '${name}' (this simulator knows transaction, item, customer and location).`);
  }
}

// ---- evaluation -----------------------------------------------------------------------------------------

function evaluate(expr: Expr, row: Row, table: Table, nowMs: number, known: Known): Value {
  switch (expr.kind) {
    case 'lit':
      return expr.value;
    case 'col':
      if (!known.has(expr.name))
        throw invalidQuery(
          `Field '${expr.name}' for record 'transaction' was not found.`.replace('transaction', 'this table'),
        );
      return row[expr.name] ?? null;
    case 'fn': {
      const args = expr.args;
      const arg = (i: number): Value => {
        const a = args[i];
        if (!a) throw invalidQuery(`${expr.name} needs more arguments.`);
        return evaluate(a, row, table, nowMs, known);
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
          if (!known.has(a.name)) throw invalidQuery(`Field '${a.name}' was not found.`);
          return table.display(row, a.name);
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
          return { t: nowMs };
        default:
          throw invalidQuery(`Unsupported function ${expr.name}.`);
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

/** `status = 'SalesOrd:B'` and `status = 'B'` both match a pending-fulfilment order [I, §3.1]. */
function statusOperand(expr: Expr, other: Expr, row: Row, value: Value): Value {
  if (
    expr.kind === 'col' &&
    expr.name === 'status' &&
    other.kind === 'lit' &&
    typeof other.value === 'string' &&
    other.value.includes(':')
  ) {
    return row.__statusfull ?? value;
  }
  return value;
}

function test(pred: Pred, row: Row, table: Table, nowMs: number, known: Known): boolean {
  const ev = (e: Expr): Value => evaluate(e, row, table, nowMs, known);
  switch (pred.kind) {
    case 'and':
      return test(pred.left, row, table, nowMs, known) && test(pred.right, row, table, nowMs, known);
    case 'or':
      return test(pred.left, row, table, nowMs, known) || test(pred.right, row, table, nowMs, known);
    case 'not':
      return !test(pred.inner, row, table, nowMs, known);
    case 'null': {
      const v = ev(pred.expr);
      return pred.negate ? v !== null && v !== '' : v === null || v === '';
    }
    case 'cmp': {
      const left = statusOperand(pred.left, pred.right, row, ev(pred.left));
      const right = statusOperand(pred.right, pred.left, row, ev(pred.right));
      const pair = toComparable(left, right);
      if (!pair) return false;
      const [a, b] = pair;
      switch (pred.op) {
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
    case 'in': {
      const found = pred.list.some((item) => {
        const pair = toComparable(statusOperand(pred.expr, item, row, ev(pred.expr)), ev(item));
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

export interface SuiteqlPage {
  items: Array<Record<string, unknown>>;
  totalResults: number;
}

/** Runs a query and returns one page of rows (SuiteQL returns at most 100,000 results, §4). */
export function runSuiteql(book: NetsuiteBook, q: string, limit: number, offset: number): SuiteqlPage {
  if (typeof q !== 'string' || q.trim() === '') throw invalidQuery('The query is empty.');
  const query = new Parser(tokenize(q)).parse();
  const table = tableFor(query.table, book);
  const known = new Set<string>();
  for (const row of table.rows) for (const k of Object.keys(row)) if (!k.startsWith('__')) known.add(k);
  // Columns that exist on the table even when no row has a value (custom fields are only known once used).
  const baseColumns: Record<string, string[]> = {
    transaction: [
      'id',
      'tranid',
      'type',
      'recordtype',
      'status',
      'lastmodifieddate',
      'createddate',
      'trandate',
      'externalid',
      'entity',
      'memo',
      'otherrefnum',
      'shipmethod',
      'shipdate',
      'location',
      'foreigntotal',
      'createdfrom',
    ],
    item: [
      'id',
      'itemid',
      'displayname',
      'upccode',
      'itemtype',
      'isserialitem',
      'islotitem',
      'usebins',
      'isinactive',
      'externalid',
      'vendorname',
      'createddate',
      'lastmodifieddate',
    ],
    customer: [
      'id',
      'entityid',
      'companyname',
      'firstname',
      'lastname',
      'isperson',
      'email',
      'phone',
      'externalid',
      'datecreated',
      'lastmodifieddate',
    ],
    location: ['id', 'name', 'isinactive', 'usebins', 'lastmodifieddate'],
  };
  for (const c of baseColumns[query.table] ?? []) known.add(c);
  const isCustom = (name: string): boolean => query.table === 'transaction' && /^custbody/.test(name);
  const knownOrCustom: Known = { has: (name) => known.has(name) || isCustom(name) };
  const now = book.clock.now();
  let rows = table.rows;
  if (query.where) {
    const where = query.where;
    rows = rows.filter((row) => test(where, row, table, now, knownOrCustom));
  }
  if (query.orderBy.length > 0) {
    const keyed = rows.map((row) => ({
      row,
      keys: query.orderBy.map((o) => evaluate(o.expr, row, table, now, knownOrCustom)),
    }));
    keyed.sort((a, b) => {
      for (let i = 0; i < query.orderBy.length; i++) {
        const c = compareValues(a.keys[i] ?? null, b.keys[i] ?? null);
        if (c !== 0) return query.orderBy[i]?.desc ? -c : c;
      }
      return 0;
    });
    rows = keyed.map((k) => k.row);
  }
  const total = Math.min(rows.length, 100_000);
  const page = rows.slice(offset, Math.min(offset + limit, total));
  const dateFormat = book.state.config.suiteqlDateFormat;
  const items = page.map((row) => {
    const out: Record<string, unknown> = { links: [] };
    if (query.columns === '*') {
      for (const [k, v] of Object.entries(row)) {
        if (k.startsWith('__')) continue;
        const value = outputValue(v, dateFormat);
        if (value !== null && value !== '') out[k] = value;
      }
    } else {
      for (const col of query.columns) {
        const value = outputValue(evaluate(col.expr, row, table, now, knownOrCustom), dateFormat);
        // SuiteQL leaves null columns out of a row.
        if (value !== null && value !== '')
          out[col.alias] =
            typeof value === 'number' && col.expr.kind === 'col' && col.alias === 'id' ? String(value) : value;
      }
    }
    return out;
  });
  return { items, totalResults: total };
}
