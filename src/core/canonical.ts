import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so two values that mean the same thing hash the same
 * whatever order their keys were built in. Arrays keep their order (callers sort them when order is
 * not meaningful). `undefined` properties are dropped, as JSON.stringify does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    if (value instanceof Map) return sortKeys(Object.fromEntries(value));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Lower-case hex sha256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** sha256 of the canonical JSON of a value: the stable content hash used by orders and plans. */
export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
