/**
 * Helpers for the NuORDER contract suite over the recorded shapes (support/shapes.ts): the categorical values real
 * traffic showed, several recorded shapes of one object merged into one, leaves widened with a stated reason, and
 * the recorded response headers.
 */
import type { Interaction, Shape } from './shapes.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Puts the values real traffic showed (`valuesSeen`, e.g. `status: ["approved", "pending"]`, `currency_code:
 * ["USD"]`) where a fixture has invented free text, cycling through them by variant. Dotted paths go through
 * arrays; the path `""` of a list body is its elements.
 */
export function applyValuesSeen(value: unknown, seen: Record<string, string[]>, variant: number): unknown {
  const set = (node: unknown, segments: string[], pick: string): void => {
    if (Array.isArray(node)) {
      for (const el of node) set(el, segments, pick);
      return;
    }
    if (!isObject(node) || segments.length === 0) return;
    const [head, ...rest] = segments as [string, ...string[]];
    if (!(head in node)) return;
    if (rest.length === 0) node[head] = pick;
    else set(node[head], rest, pick);
  };
  const copy = structuredClone(value);
  for (const [path, values] of Object.entries(seen)) {
    if (values.length === 0) continue;
    set(copy, path.split('.'), values[variant % values.length] as string);
  }
  return copy;
}

/**
 * One shape from several recordings of the same object (the 2014 listing, the process and cancel replies and the
 * 2023 body): a key is required only where every recording had it, leaf types are the union of what was seen.
 */
export function mergeShapes(a: Shape, b: Shape): Shape {
  if (typeof a === 'string' && typeof b === 'string')
    return [...new Set([...a.split(' | '), ...b.split(' | ')])].join(' | ');
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length === 0) return b;
    if (b.length === 0) return a;
    return [mergeShapes(a[0] as Shape, b[0] as Shape)];
  }
  if (isObject(a) && isObject(b) && !('$oneOf' in a) && !('$oneOf' in b)) {
    const strip = (k: string): string => k.replace(/\?$/, '');
    const entries = (o: Json) =>
      new Map(Object.entries(o).map(([k, v]) => [strip(k), { optional: k.endsWith('?'), shape: v as Shape }]));
    const ea = entries(a);
    const eb = entries(b);
    const out: Record<string, Shape> = {};
    for (const key of new Set([...ea.keys(), ...eb.keys()])) {
      const x = ea.get(key);
      const y = eb.get(key);
      const optional = !x || !y || x.optional || y.optional;
      out[optional ? `${key}?` : key] = x && y ? mergeShapes(x.shape, y.shape) : ((x ?? y) as { shape: Shape }).shape;
    }
    return out;
  }
  return { $oneOf: [a, b] };
}

/** Adds a type to the leaves at dotted paths (through arrays): `{ "line_items.sizes.price": "number:decimal" }`. */
export function widen(shape: Shape, leaves: Record<string, string>): Shape {
  const copy = structuredClone(shape);
  const visit = (node: Shape, segments: string[], hint: string): Shape => {
    if (Array.isArray(node)) return node.map((el) => visit(el, segments, hint));
    if (typeof node === 'string') return segments.length === 0 ? `${node} | ${hint}` : node;
    const [head, ...rest] = segments;
    for (const key of Object.keys(node)) {
      if (key.replace(/\?$/, '') === head) node[key] = visit(node[key] as Shape, rest, hint);
    }
    return node;
  };
  let out = copy;
  for (const [path, hint] of Object.entries(leaves)) {
    const before = JSON.stringify(out);
    out = visit(out, path.split('.'), hint);
    if (JSON.stringify(out) === before) throw new Error(`widen: no leaf at ${path}`);
  }
  return out;
}

/** The response headers a recorded interaction carried, with invented values in the recorded formats. */
export function recordedHeaders(i: Interaction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, format] of Object.entries(i.responseHeaders ?? {})) {
    const name = rawName.replace(/\?$/, '');
    if (name === 'Transfer-Encoding' || name === 'Content-Length') continue;
    if (name === 'Request-Token') out[name] = '1700000000123';
    else if (name === 'Etag') out[name] = '"-1286431946"';
    else out[name] = format;
  }
  return out;
}
