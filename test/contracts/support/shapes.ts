/**
 * The recorded shapes of real NuORDER, Lightspeed R-Series and X-Series traffic (copied unchanged from
 * `shared/reference/recorded-shapes/` into `test/contracts/recorded-shapes/`, so the suite runs on a clone
 * without the reference folder), and two tools over them:
 *
 * - `fixtureVariants(shape)`: synthetic bodies in exactly a recorded shape, one per variant the shape allows
 *   (every optional key present / absent, each alternative of a `a | b` union or `$oneOf`, `$oneOrMany` as one
 *   object and as an array, arrays empty). Values are invented from the leaf hints; no recorded value exists.
 * - `diffShape(value, shape)`: where a reply (from a simulator) departs from a recorded shape: a key the shape
 *   requires is missing, a leaf has another type or format, or a key the shape does not know is present
 *   (reported unless allowed, because real services' extra keys are allowed only where documented).
 *
 * Notation (see recorded-shapes/README.md): `"key?"` optional, leaves such as `string:int`, `string:empty`,
 * `string:iso8601+offset`, `number:double`, `string:enum(a|b)`, `a | b` unions, `[shape]` arrays (`[]` = element
 * type unknown), `{"$oneOrMany": shape}`, `{"$oneOf": [a, b]}`, `"*": "additionalProperties allowed"`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Shape = string | Shape[] | { [key: string]: Shape };

export interface Interaction {
  method: string;
  pathPattern: string;
  status: number;
  /** Absent where the spec declares no body (X-Series update and return). */
  shape: Shape;
  requestShape?: Shape;
  responseHeaders?: Record<string, string>;
  query?: string[];
  valuesSeen?: Record<string, string[]>;
  [key: string]: unknown;
}

export interface RecordedFile {
  system: string;
  interactions: Interaction[];
  bodiesWithoutRequest?: Array<{ what: string; endpointInferred?: string; shape: Shape; valuesSeen?: unknown }>;
  [key: string]: unknown;
}

export type RecordedSystem = 'nuorder' | 'lightspeed-r' | 'lightspeed-x-2026-07-sales';

const folder = join(import.meta.dirname, '..', 'recorded-shapes');
const loaded = new Map<RecordedSystem, RecordedFile>();

export function recorded(system: RecordedSystem): RecordedFile {
  let file = loaded.get(system);
  if (!file) {
    file = JSON.parse(readFileSync(join(folder, `${system}.json`), 'utf8')) as RecordedFile;
    loaded.set(system, file);
  }
  return file;
}

/** The recorded interaction for a method, path pattern (as written in the file) and status. Throws if absent. */
export function interaction(system: RecordedSystem, method: string, pathPattern: string, status = 200): Interaction {
  const found = recorded(system).interactions.find(
    (i) => i.method === method && i.pathPattern === pathPattern && i.status === status,
  );
  if (!found) throw new Error(`No recorded ${system} interaction ${method} ${pathPattern} ${status}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Reading the notation

interface Leaf {
  kind: 'leaf';
  alternatives: string[];
}
type Node =
  | Leaf
  | { kind: 'object'; fields: Array<{ key: string; optional: boolean; node: Node }>; open: boolean }
  | { kind: 'array'; element: Node | null }
  | { kind: 'oneOrMany'; element: Node }
  | { kind: 'oneOf'; alternatives: Node[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `"string:int | string:empty"` → ['string:int', 'string:empty']; `string:enum(a|b)` stays whole. */
function splitUnion(hint: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < hint.length; i++) {
    const ch = hint[i] as string;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && hint.startsWith(' | ', i)) {
      parts.push(current.trim());
      current = '';
      i += 2;
      continue;
    }
    current += ch;
  }
  parts.push(current.trim());
  // `string|null` (X-Series type arrays) is a union too.
  return parts.flatMap((p) => (/^[a-z:0-9]+\|null$/.test(p) ? [p.slice(0, -5), 'null'] : [p]));
}

function parse(shape: Shape): Node {
  if (typeof shape === 'string') return { kind: 'leaf', alternatives: splitUnion(shape) };
  if (Array.isArray(shape)) {
    if (shape.length === 0) return { kind: 'array', element: null };
    const elements = shape.map(parse);
    return {
      kind: 'array',
      element: elements.length === 1 ? (elements[0] as Node) : { kind: 'oneOf', alternatives: elements },
    };
  }
  if ('$oneOrMany' in shape) return { kind: 'oneOrMany', element: parse(shape['$oneOrMany'] as Shape) };
  if ('$oneOf' in shape) return { kind: 'oneOf', alternatives: (shape['$oneOf'] as Shape[]).map(parse) };
  const fields: Array<{ key: string; optional: boolean; node: Node }> = [];
  let open = false;
  for (const [rawKey, value] of Object.entries(shape)) {
    if (rawKey === '*') {
      open = true;
      continue;
    }
    const optional = rawKey.endsWith('?');
    fields.push({ key: optional ? rawKey.slice(0, -1) : rawKey, optional, node: parse(value) });
  }
  return { kind: 'object', fields, open };
}

/** The hint without its comment: `string:uuid (client-supplied…)` → `string:uuid`. */
function baseHint(hint: string): string {
  const enumMatch = /^string:enum\([^)]*\)/.exec(hint);
  if (enumMatch) return enumMatch[0];
  return hint.replace(/\s*\(.*$/, '').trim();
}

// ---------------------------------------------------------------------------------------------------------
// Generating fixtures

export interface FixtureOptions {
  /** Include optional keys (default true). */
  optional?: boolean;
  /** Which alternative of each union / `$oneOf` (modulo its length). Default 0. */
  alternative?: number;
  /** `$oneOrMany`: one object or an array of two. Default 'many'. */
  oneOrMany?: 'one' | 'many';
  /** Elements per array (default 2; 0 = every array empty). */
  arrayLength?: number;
}

class Counter {
  n = 0;
  next(): number {
    return ++this.n;
  }
}

function leafValue(hintRaw: string, counter: Counter, path: string): unknown {
  const hint = baseHint(hintRaw);
  const n = counter.next();
  const hex = (len: number): string =>
    (n.toString(16).padStart(8, '0') + 'a1b2c3d4e5f60718293a4b5c6d7e8f90').slice(0, len);
  const enumMatch = /^string:enum\(([^)]*)\)$/.exec(hint);
  if (enumMatch) {
    const values = (enumMatch[1] as string).split('|');
    return values[n % values.length];
  }
  const secret = /^string:secret\((\d+) chars\)/.exec(hintRaw.trim());
  if (secret) return 'k'.repeat(Number(secret[1]));
  switch (hint) {
    case 'string:int':
      return String(n);
    case 'string:decimal':
      return `${n}.${(n % 9) + 1}5`;
    case 'string:boolean':
      return n % 2 === 0 ? 'true' : 'false';
    case 'string:empty':
      return '';
    case 'string:iso8601+offset':
      return `2026-0${(n % 9) + 1}-13T00:46:${String(n % 60).padStart(2, '0')}+00:00`;
    case 'string:iso8601Z.ms':
      return `2026-0${(n % 9) + 1}-18T09:20:48.${String(n % 1000).padStart(3, '0')}Z`;
    case 'string:iso8601Z':
      return `2026-0${(n % 9) + 1}-18T09:20:48Z`;
    case 'string:date':
      return `2026-0${(n % 9) + 1}-29`;
    case 'string:objectid24hex':
      return hex(24);
    case 'string:uuid':
      return `${hex(8)}-0000-4000-8000-${hex(12)}`;
    case 'string:money-formatted':
      return `$${n}.00`;
    case 'string:digits-dash-digits':
      return `${100000 + n}-${(n % 3) + 1}`;
    case 'string:email':
      return `buyer${n}@store.example`;
    case 'string:phone':
      return `555-01${String(n % 100).padStart(2, '0')}`;
    case 'string:postal-code':
      return `9${String(n).padStart(4, '0')}`;
    case 'string:path':
      return `/files/${n}.pdf`;
    case 'string:url':
      return `https://example.test/${n}`;
    case 'number:int':
    case 'integer':
    case 'integer:int32':
    case 'integer:int64':
      return n;
    case 'number:decimal':
    case 'number:double':
      return n + 0.5;
    case 'boolean':
      return n % 2 === 0;
    case 'null':
      return null;
    case 'string':
      return `${path.split('.').pop() ?? 'text'} ${n}`;
    default:
      if (hint.startsWith('string')) return `${path.split('.').pop() ?? 'text'} ${n}`;
      if (hint.startsWith('<') || hint.startsWith('text/')) return hint;
      throw new Error(`Unknown shape hint "${hintRaw}" at ${path}`);
  }
}

function generate(node: Node, options: Required<FixtureOptions>, counter: Counter, path: string): unknown {
  switch (node.kind) {
    case 'leaf': {
      const alt = node.alternatives[options.alternative % node.alternatives.length] as string;
      return leafValue(alt, counter, path);
    }
    case 'oneOf':
      return generate(
        node.alternatives[options.alternative % node.alternatives.length] as Node,
        options,
        counter,
        path,
      );
    case 'array': {
      if (!node.element) return [];
      return Array.from({ length: options.arrayLength }, (_, i) =>
        generate(node.element as Node, options, counter, `${path}[${i}]`),
      );
    }
    case 'oneOrMany':
      return options.oneOrMany === 'one'
        ? generate(node.element, options, counter, path)
        : [
            generate(node.element, options, counter, `${path}[0]`),
            generate(node.element, options, counter, `${path}[1]`),
          ];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const field of node.fields) {
        if (field.optional && !options.optional) continue;
        out[field.key] = generate(field.node, options, counter, path ? `${path}.${field.key}` : field.key);
      }
      return out;
    }
  }
}

/** One synthetic body in the shape. */
export function fixture(shape: Shape, options: FixtureOptions = {}): unknown {
  const full: Required<FixtureOptions> = {
    optional: options.optional ?? true,
    alternative: options.alternative ?? 0,
    oneOrMany: options.oneOrMany ?? 'many',
    arrayLength: options.arrayLength ?? 2,
  };
  return generate(parse(shape), full, new Counter(), '');
}

function maxAlternatives(node: Node): number {
  switch (node.kind) {
    case 'leaf':
      return node.alternatives.length;
    case 'oneOf':
      return Math.max(node.alternatives.length, ...node.alternatives.map(maxAlternatives));
    case 'array':
      return node.element ? maxAlternatives(node.element) : 1;
    case 'oneOrMany':
      return maxAlternatives(node.element);
    case 'object':
      return Math.max(1, ...node.fields.map((f) => maxAlternatives(f.node)));
  }
}

/**
 * Every variant a connector must read: all optional keys present and absent, each union alternative, one
 * object and an array where R-Series sends `$oneOrMany`, and empty arrays.
 */
export function fixtureVariants(shape: Shape): Array<{ name: string; value: unknown }> {
  const node = parse(shape);
  const variants: Array<{ name: string; value: unknown }> = [];
  const alternatives = maxAlternatives(node);
  for (let alternative = 0; alternative < alternatives; alternative++) {
    for (const optional of [true, false]) {
      for (const oneOrMany of ['many', 'one'] as const) {
        variants.push({
          name: `alternative ${alternative}, optional keys ${optional ? 'present' : 'absent'}, ${oneOrMany === 'one' ? 'single objects' : 'arrays'}`,
          value: fixture(shape, { alternative, optional, oneOrMany }),
        });
      }
    }
  }
  variants.push({ name: 'every array empty', value: fixture(shape, { arrayLength: 0 }) });
  return variants;
}

// ---------------------------------------------------------------------------------------------------------
// Comparing a reply with a shape

export interface ShapeMismatch {
  path: string;
  problem: 'missing' | 'type' | 'unexpected';
  expected: string;
  got: string;
}

export interface DiffOptions {
  /** Keys not in the shape that are allowed (documented extras): dotted paths without array positions, `*` = any key. */
  allowExtra?: string[];
  /** Do not report keys the shape does not know (default false: report them). */
  ignoreExtra?: boolean;
  /** Do not report keys the shape requires but the value lacks (replies with fewer fields than recorded). */
  ignoreMissing?: boolean;
}

const leafChecks: Record<string, (v: unknown) => boolean> = {
  'string:int': (v) => typeof v === 'string' && /^-?\d+$/.test(v),
  'string:decimal': (v) => typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v),
  'string:boolean': (v) => v === 'true' || v === 'false',
  'string:empty': (v) => v === '',
  'string:iso8601+offset': (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/.test(v),
  'string:iso8601Z.ms': (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v),
  'string:iso8601Z': (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(v),
  'string:date': (v) => typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v),
  'string:objectid24hex': (v) => typeof v === 'string' && /^[0-9a-f]{24}$/.test(v),
  'string:uuid': (v) =>
    typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  'string:money-formatted': (v) => typeof v === 'string' && /^\D{0,3}-?[\d,]+(\.\d+)?$/.test(v),
  'string:digits-dash-digits': (v) => typeof v === 'string' && /^\d+-\d+$/.test(v),
  'number:int': (v) => typeof v === 'number' && Number.isInteger(v),
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  'integer:int32': (v) => typeof v === 'number' && Number.isInteger(v),
  'integer:int64': (v) => typeof v === 'number' && Number.isInteger(v),
  'number:decimal': (v) => typeof v === 'number',
  'number:double': (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  null: (v) => v === null,
};

function leafMatches(hintRaw: string, v: unknown): boolean {
  const hint = baseHint(hintRaw);
  const check = leafChecks[hint];
  if (check) return check(v);
  const enumMatch = /^string:enum\(([^)]*)\)$/.exec(hint);
  if (enumMatch) return typeof v === 'string' && (enumMatch[1] as string).split('|').includes(v);
  // Free strings and formats we do not police (email, phone, url, secret(N chars), plain string).
  if (hint.startsWith('string')) return typeof v === 'string';
  return false;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return v === '' ? 'string:empty' : `string "${v.length > 30 ? `${v.slice(0, 30)}…` : v}"`;
  if (typeof v === 'object') return 'object';
  return `${typeof v} ${String(v)}`;
}

function describeNode(node: Node): string {
  switch (node.kind) {
    case 'leaf':
      return node.alternatives.map(baseHint).join(' | ');
    case 'object':
      return 'object';
    case 'array':
      return 'array';
    case 'oneOrMany':
      return 'object or array of objects';
    case 'oneOf':
      return node.alternatives.map(describeNode).join(' | ');
  }
}

function diffNode(node: Node, v: unknown, path: string, options: DiffOptions, out: ShapeMismatch[]): void {
  switch (node.kind) {
    case 'leaf':
      if (!node.alternatives.some((alt) => leafMatches(alt, v)))
        out.push({ path, problem: 'type', expected: describeNode(node), got: describe(v) });
      return;
    case 'oneOf': {
      const attempts = node.alternatives.map((alt) => {
        const found: ShapeMismatch[] = [];
        diffNode(alt, v, path, options, found);
        return found;
      });
      const best = attempts.reduce((a, b) => (b.length < a.length ? b : a));
      out.push(...best);
      return;
    }
    case 'array':
      if (!Array.isArray(v)) {
        out.push({ path, problem: 'type', expected: 'array', got: describe(v) });
        return;
      }
      if (node.element) v.forEach((el, i) => diffNode(node.element as Node, el, `${path}[${i}]`, options, out));
      return;
    case 'oneOrMany':
      if (Array.isArray(v)) v.forEach((el, i) => diffNode(node.element, el, `${path}[${i}]`, options, out));
      else diffNode(node.element, v, path, options, out);
      return;
    case 'object': {
      if (!isRecord(v)) {
        out.push({ path, problem: 'type', expected: 'object', got: describe(v) });
        return;
      }
      const known = new Set(node.fields.map((f) => f.key));
      for (const field of node.fields) {
        const childPath = path ? `${path}.${field.key}` : field.key;
        if (!(field.key in v)) {
          if (!field.optional && !options.ignoreMissing)
            out.push({ path: childPath, problem: 'missing', expected: describeNode(field.node), got: 'absent' });
          continue;
        }
        diffNode(field.node, v[field.key], childPath, options, out);
      }
      if (node.open || options.ignoreExtra) return;
      for (const key of Object.keys(v)) {
        if (known.has(key)) continue;
        const childPath = path ? `${path}.${key}` : key;
        if (extraAllowed(childPath, options.allowExtra ?? [])) continue;
        out.push({
          path: childPath,
          problem: 'unexpected',
          expected: 'absent (not in the recorded shape)',
          got: describe(v[key]),
        });
      }
    }
  }
}

function extraAllowed(path: string, allowed: string[]): boolean {
  // Array positions do not matter: `data.line_items[3].note` is checked as `data.line_items.note`.
  const normalized = path.replace(/\[\d+\]/g, '');
  return allowed.some((pattern) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^.]+')}$`).test(normalized),
  );
}

/** Where `value` departs from `shape` (empty when it fits). */
export function diffShape(value: unknown, shape: Shape, options: DiffOptions = {}): ShapeMismatch[] {
  const out: ShapeMismatch[] = [];
  diffNode(parse(shape), value, '', options, out);
  return out;
}

/** One line per mismatch, for assertion messages. */
export function formatMismatches(mismatches: ShapeMismatch[]): string {
  return mismatches.map((m) => `${m.path || '(root)'}: ${m.problem}, expected ${m.expected}, got ${m.got}`).join('\n');
}
