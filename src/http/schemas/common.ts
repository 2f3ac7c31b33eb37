/**
 * Building blocks of the API's reply schemas. A schema with a `meta({ id })` becomes one named component of
 * `/api/openapi.json` (src/http/openapi.ts), so every reply that carries money or a time points at the same one.
 */
import { z } from 'zod';
import type { Money } from '../../core/money.ts';

/** Every time the API answers is this: ISO 8601 in UTC, to the millisecond (`Date.prototype.toISOString`). */
export const timestamp = z.iso.datetime().meta({
  id: 'Timestamp',
  description: 'An instant, ISO 8601 in UTC (2026-03-01T14:05:09.120Z)',
});

/** Epoch milliseconds (how the store keeps times) as the API writes them. */
export function isoTime(ms: number): string;
export function isoTime(ms: number | null | undefined): string | null;
export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

export const money = z
  .object({
    minor: z.number().int().describe("Amount in the currency's minor unit (cents for USD, yen for JPY)"),
    currency: z.string().describe('ISO 4217, upper case'),
  })
  .meta({ id: 'Money' });

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Any JSON: only for values that are not ours to shape (what a job's task stored, a remote system's reply).
 * Recursive, so it is one named component.
 */
export const jsonValue: z.ZodType<JsonValue> = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    // Each part of the cycle is named, or zod would number it (`__schema0`) differently in every conversion.
    z.array(z.lazy(() => jsonValue)).meta({ id: 'JsonArray' }),
    z
      .record(
        z.string(),
        z.lazy(() => jsonValue),
      )
      .meta({ id: 'JsonObject' }),
  ])
  .meta({ id: 'JsonValue', description: 'Any JSON value' });

/** The one error body: every 4xx and 5xx the API answers has it. */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string().describe('SCREAMING_SNAKE, grouped by area (PLAN_DRIFTED, POS_RATE_LIMITED)'),
      message: z.string().describe('What went wrong, in words a person can act on'),
      details: jsonValue
        .optional()
        .describe('What the code says more about: field paths of a refused request, the differences of a drift…'),
      requestId: z.string().optional().describe('The id of the request in the server log'),
    }),
  })
  .meta({ id: 'Error' });

/** Offset paging, the same on every list: `limit` items from `offset`, newest first unless the list says. */
export function pageQuery(defaultLimit: number, maxLimit: number) {
  return {
    limit: z.coerce.number().int().min(1).max(maxLimit).default(defaultLimit).describe('How many items at most'),
    offset: z.coerce.number().int().min(0).default(0).describe('How many items to skip'),
  };
}

/** What every list reply carries beside its items: `total` counts every item the filters match. */
export const pageFields = {
  total: z.number().int().min(0).describe('Items matching the filters, over every page'),
  limit: z.number().int().min(1),
  offset: z.number().int().min(0),
};

// Compile-time checks that a reply schema and the type the server builds it from are the same shape: a field
// added, dropped or made optional on one side only fails `tsc`. (The contract test checks the real replies too.)
type DeepMutable<T, Required extends boolean> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyArray<infer U>
    ? DeepMutable<U, Required>[]
    : T extends object
      ? Required extends true
        ? { -readonly [K in keyof T]-?: DeepMutable<T[K], Required> }
        : { -readonly [K in keyof T]: DeepMutable<T[K], Required> }
      : T;
type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Each fits the other (optional stays optional), and with every field required they are identical (same fields). */
export type SameShape<A, B> = [DeepMutable<A, false>] extends [DeepMutable<B, false>]
  ? [DeepMutable<B, false>] extends [DeepMutable<A, false>]
    ? Identical<DeepMutable<A, true>, DeepMutable<B, true>>
    : false
  : false;
export const sameShape = <A, B>(check: SameShape<A, B>): SameShape<A, B> => check;

sameShape<z.output<typeof money>, Money>(true);
