/**
 * R-Series helpers over the recorded shapes (recorded-shapes/lightspeed-r.json, 2015–2019 traffic of the V2-era
 * API at api.merchantos.com), for the simulator check and the connector's contract suite.
 *
 * - `widen(shape)`: what a recorded shape allows beyond the few values it happened to record, by rules the
 *   recordings and the reference prove (each rule says where): a collection container (`ItemShops.ItemShop`,
 *   `Items.Item`…) is one object or an array, an empty relation may be `""`, a field seen only empty may hold
 *   text, an amount seen only whole may be a decimal.
 * - `replyShape(shape)`: a reply's shape widened, without `@attributes`, whose V2 form (`count/offset/limit`)
 *   V3 replaced with `next/previous` cursors (reference §5, vendor docs); `v3Envelope` checks that part.
 * - `element(shape, path)`: a nested shape, e.g. the OrderLine inside a recorded Order.
 */
import type { Shape } from './shapes.ts';

const isObject = (s: Shape): s is { [key: string]: Shape } => typeof s === 'object' && !Array.isArray(s);
const capitalised = (key: string): boolean => /^[A-Z]/.test(key.replace(/\?$/, ''));

/** Money fields: their scale is not fixed (README: `"0"`, `"1.23"` in the same field). */
const money = /(cost|price|amount|total|discount|rate)$/i;

function widenLeaf(hint: string, key: string): string {
  const parts = hint.split(' | ');
  const out = new Set(parts);
  // valuesSeen is "evidence, not a closed enum" (recorded-shapes/README.md): `ean`, `customSku`, `attribute1`…
  // were empty in every recording, and text is what they are for.
  if (out.has('string:empty')) out.add('string');
  // Amounts were whole in some recordings and decimal in others (`Prices.ItemPrice.amount`:
  // "string:decimal | string:int"); one seen only whole may be a decimal too. Ids and counts stay whole.
  if (out.has('string:int') && money.test(key)) out.add('string:decimal');
  return [...out].join(' | ');
}

/** A relation container: one capitalised key holding a record or a list of records (`{ItemShop: […]}`). */
function isContainer(shape: Shape): shape is { [key: string]: Shape } {
  if (!isObject(shape) || '$oneOrMany' in shape || '$oneOf' in shape) return false;
  const keys = Object.keys(shape);
  if (keys.length !== 1 || !capitalised(keys[0] as string)) return false;
  const inner = shape[keys[0] as string] as Shape;
  return isObject(inner) || Array.isArray(inner);
}

export function widen(shape: Shape, key = ''): Shape {
  if (typeof shape === 'string') return widenLeaf(shape, key);
  if (Array.isArray(shape)) return shape.map((s) => widen(s, key));
  if ('$oneOrMany' in shape) return { $oneOrMany: widen(shape['$oneOrMany'] as Shape, key) };
  if ('$oneOf' in shape) return { $oneOf: (shape['$oneOf'] as Shape[]).map((s) => widen(s, key)) };
  if (isContainer(shape)) {
    const [child] = Object.keys(shape) as [string];
    const inner = shape[child] as Shape;
    const element = Array.isArray(inner)
      ? (inner[0] ?? {})
      : isObject(inner) && '$oneOrMany' in inner
        ? inner['$oneOrMany']
        : inner;
    // Every collection is one object or an array (reference §5; crossCuttingQuirks.oneOrManyPaths), and an
    // empty one is "" (§5: "Empty nested relations can come back as \"\""; emptyStringInsteadOfObjectPaths).
    return { $oneOf: [{ [child]: { $oneOrMany: widen(element as Shape, child) } }, 'string:empty'] };
  }
  const out: { [key: string]: Shape } = {};
  for (const [k, value] of Object.entries(shape)) out[k] = widen(value as Shape, k.replace(/\?$/, ''));
  return out;
}

/**
 * A recorded reply's shape without its V2 `@attributes`, each record widened (the top-level key itself stays
 * as recorded: a single-record reply is one object, a query reply one object or an array).
 */
export function replyShape(shape: Shape): Shape {
  if (!isObject(shape)) return widen(shape);
  const out: { [key: string]: Shape } = {};
  for (const [key, value] of Object.entries(shape)) if (key !== '@attributes') out[key] = widen(value, key);
  return out;
}

/** A nested shape by dotted path (`Order.OrderLines.OrderLine`); arrays and `$oneOrMany` are stepped through. */
export function element(shape: Shape, path: string): Shape {
  let node: Shape = shape;
  for (const part of path.split('.')) {
    while (Array.isArray(node) || (isObject(node) && '$oneOrMany' in node))
      node = Array.isArray(node) ? (node[0] as Shape) : (node['$oneOrMany'] as Shape);
    if (!isObject(node)) throw new Error(`no ${part} in the shape`);
    const value: Shape | undefined = node[part] ?? node[`${part}?`];
    if (value === undefined) throw new Error(`no ${part} in the shape`);
    node = value;
  }
  while (Array.isArray(node) || (isObject(node) && '$oneOrMany' in node))
    node = Array.isArray(node) ? (node[0] as Shape) : (node['$oneOrMany'] as Shape);
  return node;
}

/**
 * The V3 envelope (reference §5, vendor docs; no V3 traffic is recorded): a query reply's `@attributes` holds
 * `next`/`previous` (complete URLs or `""`), a single record's `{"count":"1"}`; returns what is wrong.
 */
export function v3Envelope(reply: unknown, kind: 'list' | 'single'): string[] {
  const attributes = (reply as { '@attributes'?: Record<string, unknown> })['@attributes'];
  if (!attributes || typeof attributes !== 'object') return ['@attributes: missing'];
  const problems: string[] = [];
  const keys = Object.keys(attributes).sort().join(',');
  if (kind === 'single') {
    if (keys !== 'count' || attributes.count !== '1') problems.push(`@attributes: ${JSON.stringify(attributes)}`);
    return problems;
  }
  if (keys !== 'next,previous') problems.push(`@attributes keys: ${keys}`);
  for (const key of ['next', 'previous'])
    if (typeof attributes[key] !== 'string' || !/^(|https?:\/\/\S+)$/.test(attributes[key] as string))
      problems.push(`@attributes.${key}: ${JSON.stringify(attributes[key])}`);
  return problems;
}

/**
 * The shape with the keys at `paths` (dotted, e.g. `Item.ItemShops.ItemShop.m`) made optional: keys a recording
 * had that a simulator leaves out for a stated reason. Marked in the shape rather than filtered from the
 * mismatches, so that a `$oneOf` still picks the alternative that really fits.
 */
export function optional(shape: Shape, paths: readonly string[]): Shape {
  const split = paths.map((p) => p.split('.'));
  const walk = (node: Shape, prefixes: string[][]): Shape => {
    if (typeof node === 'string' || prefixes.length === 0) return node;
    if (Array.isArray(node)) return node.map((n) => walk(n, prefixes));
    if ('$oneOrMany' in node) return { $oneOrMany: walk(node['$oneOrMany'] as Shape, prefixes) };
    if ('$oneOf' in node) return { $oneOf: (node['$oneOf'] as Shape[]).map((n) => walk(n, prefixes)) };
    const out: { [key: string]: Shape } = {};
    for (const [rawKey, value] of Object.entries(node)) {
      const key = rawKey.replace(/\?$/, '');
      const here = prefixes.filter((p) => p[0] === key);
      const makeOptional = here.some((p) => p.length === 1);
      out[makeOptional ? `${key}?` : rawKey] = walk(
        value,
        here.filter((p) => p.length > 1).map((p) => p.slice(1)),
      );
    }
    return out;
  };
  return walk(shape, split);
}
