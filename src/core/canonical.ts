import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so two values that mean the same thing hash the same
 * whatever order their keys were built in. Arrays keep their order (callers sort them when order is
 * not meaningful). `undefined` properties are dropped, as JSON.stringify does.
 *
 * Written straight to text rather than copied into sorted objects and stringified: a 10,000-line plan's
 * evidence is hashed on every plan, and the copies were most of that time (issue 18). Stored hashes depend on
 * this text, so it must stay byte-for-byte what `JSON.stringify` of the sorted copy gave (canonical.test.ts
 * checks it against that form): a Map is its entries as an object, a Date or other class instance its own
 * enumerable fields (`{}` for a Date), a non-finite number `null`.
 */
export function canonicalJson(value: unknown): string {
  return write(value) as string;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
        return `${out}]`;
      }
      return writeObject(value instanceof Map ? Object.fromEntries(value) : (value as Record<string, unknown>));
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      // undefined, functions and symbols: left out of objects, null in arrays, as JSON.stringify does.
      return undefined;
  }
}

function writeObject(value: Record<string, unknown>): string {
  let out = '{';
  let first = true;
  for (const key of jsonKeyOrder(Object.keys(value).sort())) {
    const text = write(value[key]);
    if (text === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${text}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * The order JSON.stringify lists an object's keys in: integer-like keys ("2", "10") first, ascending by value,
 * then the rest in insertion order (here: sorted).
 */
function jsonKeyOrder(sorted: string[]): string[] {
  if (!sorted.some(isArrayIndex)) return sorted;
  const indices = sorted.filter(isArrayIndex);
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...sorted.filter((k) => !isArrayIndex(k))];
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false; // not a digit: most keys, decided without the pattern
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4_294_967_295;
}

/** Lower-case hex sha256 of a UTF-8 string (one-shot `crypto.hash`: no Hash object per call). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** sha256 of the canonical JSON of a value: the stable content hash used by orders and plans. */
export function hashCanonical(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
