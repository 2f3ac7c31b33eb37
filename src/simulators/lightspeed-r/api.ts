import type { Context, Hono } from 'hono';
import type { Core } from './core.ts';
import { apiMiddleware } from './limits.ts';
import { listResponse } from './list.ts';
import { priceLevels } from './model.ts';
import { ApiError, parseLoadRelations } from './query.ts';
import * as rec from './records.ts';
import { apiErrorResponse, methodNotAllowed } from './reply.ts';
import { defs, type AnyRec, type ResourceDef } from './resources.ts';
import { many, scalars, type Out } from './serialize.ts';
import { mountShipmentApi } from './shipment-api.ts';

/**
 * The resource server: `/API/V3/Account/{accountID}/{Resource}.json` (reference §2–§7). Every scalar is
 * serialised as a string, a collection holding one element is an object, errors use
 * `{httpCode, httpMessage, message, errorClass}` (and the OAuth shape for token problems). Resources are
 * described in resources.ts, replies in serialize.ts, queries in list.ts, the rate limiters in limits.ts.
 */

export { apiErrorResponse } from './reply.ts';
export { rateLimitedResponse } from './limits.ts';
export { serializeItem, serializeOrder } from './serialize.ts';

function wrap(handler: (c: Context) => Response | Promise<Response>): (c: Context) => Promise<Response> {
  return async (c) => {
    try {
      return await handler(c);
    } catch (error) {
      if (error instanceof ApiError) return apiErrorResponse(c, error.status, error.message, error.errorClass);
      console.error('[sim lightspeed-r]', error);
      return apiErrorResponse(c, 500, 'An internal error occurred.', 'Exception');
    }
  };
}

async function readBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'Invalid JSON in the request body.', 'Exception');
  }
}

function parseId(raw: string | undefined, name: string): number {
  const id = (raw ?? '').replace(/\.json$/, '');
  if (!/^\d+$/.test(id)) throw new ApiError(404, `Invalid ${name} ID: ${id}.`, 'Exception');
  return Number(id);
}

function singleBody(core: Core, def: ResourceDef, record: AnyRec, rels: Set<string>): Out {
  return { '@attributes': { count: '1' }, [def.name]: def.serialize(core, record, rels) };
}

function notFound(def: ResourceDef, id: number): ApiError {
  // [I] The exact 404 message is not in the reference.
  return new ApiError(404, `${def.name} with ID ${id} could not be found.`, 'Exception');
}

function mountAccount(app: Hono, core: Core, base: string): void {
  const accountBody = (c: Context): Response =>
    c.json({
      '@attributes': { count: '1' },
      Account: {
        accountID: core.store.account.accountID,
        name: core.store.account.name,
        link: { '@attributes': { href: `/API/V3/Account/${core.store.account.accountID}` } },
      },
    });
  app.get('/API/V3/Account.json', accountBody);
  app.get('/API/V3/Account/:accountFile{[^/]+\\.json}', accountBody);
  app.get('/API/Session.json', (c) =>
    c.json({
      sessionID: 'sim-session',
      sessionCookie: '',
      employeeID: '1',
      systemCustomerID: core.store.account.accountID,
      systemUserID: '1',
      shopCount: String(core.store.tables.Shop.size),
      Employee: { employeeID: '1', firstName: 'Dana', lastName: 'Whitfield' },
    }),
  );
  app.get(`${base}/PriceLevel.json`, (c) =>
    c.json({ '@attributes': { next: '', previous: '' }, PriceLevel: many(priceLevels.map((p) => scalars(p))) }),
  );
}

/** `/{Resource}.json` (list, create) and `/{Resource}/{id}.json` (read, update, delete) of one resource. */
function mountResource(app: Hono, core: Core, base: string, def: ResourceDef): void {
  const table = (): Map<number, AnyRec> => core.store.tables[def.name] as unknown as Map<number, AnyRec>;
  const rels = (c: Context): Set<string> =>
    new Set(parseLoadRelations(c.req.query('load_relations'), Object.keys(def.relations)));
  const find = (c: Context): { id: number; record: AnyRec } => {
    const id = parseId(c.req.param('id'), def.name);
    const record = table().get(id);
    if (!record) throw notFound(def, id);
    return { id, record };
  };
  const listAllows = ['GET', ...(def.create ? ['POST'] : [])];
  const oneAllows = ['GET', ...(def.update ? ['PUT'] : []), ...(def.remove ? ['DELETE'] : [])];
  const refuse = (allow: string[]) => wrap((c) => methodNotAllowed(c, allow));

  const list = `${base}/${def.name}.json`;
  app.get(
    list,
    wrap((c) => listResponse(core, def, c)),
  );
  app.post(
    list,
    wrap(async (c) => {
      if (!def.create) return methodNotAllowed(c, listAllows);
      const created = def.create(core, rec.unwrap(await readBody(c), def.name));
      const extra = def.name === 'Item' ? ['ItemShops', 'ItemAttributes', 'ItemMatrix'] : [];
      return c.json(singleBody(core, def, created, new Set([...rels(c), ...extra])));
    }),
  );
  app.on(['PUT', 'DELETE', 'PATCH'], list, refuse(listAllows));

  const one = `${base}/${def.name}/:id`;
  app.get(
    one,
    wrap((c) => c.json(singleBody(core, def, find(c).record, rels(c)))),
  );
  app.put(
    one,
    wrap(async (c) => {
      if (!def.update) return methodNotAllowed(c, oneAllows);
      const { record } = find(c);
      const updated = def.update(core, record, rec.unwrap(await readBody(c), def.name));
      // The recorded PUT Item reply carries the item's ItemShops, as the create reply does.
      const extra = def.name === 'Item' ? ['ItemShops'] : [];
      return c.json(singleBody(core, def, updated, new Set([...rels(c), ...extra])));
    }),
  );
  app.delete(
    one,
    wrap((c) => {
      if (!def.remove) return methodNotAllowed(c, oneAllows);
      const { id, record } = find(c);
      const snapshot = def.serialize(core, record, rels(c));
      const result = def.remove(core, record);
      // An archive answers the archived record; a permanent delete the record as it was (Category, recorded).
      const body = table().has(id)
        ? singleBody(core, def, result, rels(c))
        : { '@attributes': { count: '1' }, [def.name]: snapshot };
      return c.json(body);
    }),
  );
  app.on(['POST', 'PATCH'], one, refuse(oneAllows));
}

export function mountApi(app: Hono, core: Core): void {
  app.use('/API/*', apiMiddleware(core));
  const base = '/API/V3/Account/:accountID';
  mountAccount(app, core, base);
  for (const def of defs) mountResource(app, core, base, def);
  mountShipmentApi(app, core, base);

  // Anything else under /API is an unknown resource. (A notFound handler rather than an `/API/*` catch-all
  // route, which would become the last matched route and spoil the per-route request counts.)
  app.notFound((c) =>
    c.req.path.startsWith('/API/')
      ? apiErrorResponse(c, 404, `Unknown resource: ${c.req.path}`, 'Exception')
      : c.text('404 Not Found', 404),
  );
}
