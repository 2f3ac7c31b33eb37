/**
 * What a request costs on R-Series today (reference §6, changelog 2026.03.17): every request 1 drip, a POST or PUT
 * +0.5 per nested related entity in its payload (an ItemPrice, an ItemVendorNum, the ItemAttributes…),
 * Category writes 10, Sale/SaleLine writes 2. Which objects count as "nested entities" is [I] beyond the
 * documented SaleLine example: here every object below the top level that holds a scalar field, as the
 * simulator charges (docs/simulators/lightspeed-r.md). The load_relations/or=/count surcharges are not
 * estimated: the connector never sends them on a write.
 */

/** Objects below the top level that hold at least one scalar (a wrapper such as `Prices` counts 0). */
export function nestedEntities(value: unknown, depth = 0): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + nestedEntities(v, depth), 0);
  if (!value || typeof value !== 'object') return 0;
  const entries = Object.values(value);
  let n = depth >= 1 && entries.some((v) => v === null || typeof v !== 'object') ? 1 : 0;
  for (const v of entries) if (v && typeof v === 'object') n += nestedEntities(v, depth + 1);
  return n;
}

export function currentModelCost(method: string, path: string, body: unknown): number {
  const upper = method.toUpperCase();
  if (upper === 'GET' || upper === 'HEAD') return 1;
  if (/\/Category(\/|\.json|$)/.test(path)) return 10;
  if (/\/Sale(Line)?(\/|\.json|$)/.test(path)) return 2;
  if (upper !== 'POST' && upper !== 'PUT') return 1;
  return 1 + 0.5 * nestedEntities(body);
}
