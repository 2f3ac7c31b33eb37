import { Hono, type Context } from 'hono';
import { SimClock } from '../shared/clock.ts';
import { mountControl, loadSnapshot, SimInputError, type SimulatorControl } from '../shared/control.ts';
import { FaultBook, faultMiddleware, sleep, type FaultResponders } from '../shared/faults.ts';
import { NetsuiteBook, isObject } from './book.ts';
import { NsError, invalidLoginDetail, notFound, nsErrorBody } from './errors.ts';
import {
  defaultConfig,
  concurrencyLimitOf,
  emptyState,
  tradeloopCustomFields,
  type NsConfig,
  type NsState,
  type NsTransaction,
} from './model.ts';
import { verifyTbaRequest } from './oauth.ts';
import { RecordWriter, recordPath } from './records.ts';
import { catalogType, catalogTypes, recordSchema } from './metadata.ts';
import { listIds, readAnyRecord, recordType, transactionType } from './reference-records.ts';
import { ensureDefaultCredentials, seedData, seedScenario } from './seed.ts';
import { runSuiteql } from './suiteql.ts';
import { mountNetsuiteControl } from './control-routes.ts';

export type { NsState, NsConfig } from './model.ts';

/** The credentials every fresh or seeded simulator accepts (also shown on the back-office page). */
export const defaultCredentials = {
  consumerKey: 'tradeloop-sim-consumer-key',
  consumerSecret: 'tradeloop-sim-consumer-secret',
  tokenId: 'tradeloop-sim-token-id',
  tokenSecret: 'tradeloop-sim-token-secret',
} as const;

export const defaultAccountId = '1234567_SB1';

export interface NetsuiteSimulatorOptions {
  clock?: SimClock;
  snapshotFile?: string;
  /** The URL clients use to reach the simulator; used in `Location` headers and links, and accepted when verifying signatures. */
  publicUrl?: string;
  /** The account id as the OAuth realm shows it: upper case with an underscore, e.g. `1234567_SB1` (§1). */
  accountId?: string;
  /** Concurrent requests per account (default: from the service tier and licences, 15). */
  concurrencyLimit?: number;
  /** Allowed clock skew of oauth_timestamp, seconds (default 300). */
  timestampToleranceSeconds?: number;
  /** Starting settings (the rest of PUT /_sim/config). */
  config?: Partial<NsConfig>;
}

export type Simulator = SimulatorControl & {
  app: Hono;
  /** The account id / realm this simulator answers for. */
  readonly accountId: string;
};

export function createNetsuiteSimulator(options: NetsuiteSimulatorOptions = {}): Simulator {
  const clock = options.clock ?? new SimClock();
  const faults = new FaultBook();
  const accountId = (options.accountId ?? defaultAccountId).toUpperCase().replace(/-/g, '_');
  const initialConfig: NsConfig = {
    ...defaultConfig,
    ...(options.concurrencyLimit !== undefined ? { concurrencyLimit: options.concurrencyLimit } : {}),
    ...(options.timestampToleranceSeconds !== undefined
      ? { timestampToleranceSeconds: options.timestampToleranceSeconds }
      : {}),
    ...options.config,
  };
  const book = new NetsuiteBook(emptyState(initialConfig), clock);
  ensureDefaultCredentials(book, defaultCredentials);
  const nonces = new Map<string, number>();
  let inFlight = 0;

  const sim: Simulator = {
    system: 'netsuite',
    clock,
    faults,
    app: new Hono(),
    accountId,
    reset() {
      book.state = emptyState(initialConfig);
      nonces.clear();
    },
    seedScenario(name, seedOptions) {
      ensureDefaultCredentials(book, defaultCredentials);
      return { summary: seedScenario(book, name, seedOptions) };
    },
    seedData(data) {
      return { summary: seedData(book, data) };
    },
    exportState() {
      return structuredClone(book.state);
    },
    importState(state) {
      if (
        !isObject(state) ||
        state.version !== 1 ||
        !isObject(state.transactions) ||
        !isObject(state.items) ||
        !isObject(state.seq)
      ) {
        throw new SimInputError('Not a NetSuite simulator state (expected version 1 with seq, items, transactions, …)');
      }
      const base = emptyState(initialConfig);
      const imported = structuredClone(state) as unknown as Partial<NsState>;
      book.state = {
        ...base,
        ...imported,
        // A snapshot from before custom fields were kept: the account had Tradeloop's field.
        customFields:
          imported.customFields ?? Object.fromEntries(tradeloopCustomFields.map((f) => [f.scriptId, { ...f }])),
        config: { ...base.config, ...(state.config as Partial<NsConfig>) },
      };
      nonces.clear();
    },
  };
  const app = sim.app;

  const origin = (c: Context): string =>
    options.publicUrl ? options.publicUrl.replace(/\/+$/, '') : new URL(c.req.url).origin;
  const writer = (c: Context): RecordWriter => new RecordWriter(book, origin(c));

  const nsJson = (c: Context, status: number, body: unknown, headers: Record<string, string> = {}): Response =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/vnd.oracle.resource+json; type=error; charset=UTF-8', ...headers },
    });

  const unauthorized = (c: Context, reason: string): Response =>
    nsJson(c, 401, nsErrorBody(401, [{ detail: invalidLoginDetail, 'o:errorCode': 'INVALID_LOGIN' }]), {
      // [I] NetSuite's WWW-Authenticate on a refused TBA request; the reason header is the simulator's own aid.
      'WWW-Authenticate': `OAuth realm="${accountId}", error="token_rejected", error_description="Invalid login attempt."`,
      'X-Sim-Auth-Reason': reason,
    });

  // NetSuite's REST answer over the concurrency limit: 429, title "Bad Request", CONCURRENCY_LIMIT_EXCEEDED, no
  // Retry-After ([2nd]: a third-party note of the body; Oracle says only "Too Many Requests" [I]).
  const concurrencyRefused = (c: Context, headers: Record<string, string> = {}): Response =>
    nsJson(
      c,
      429,
      nsErrorBody(429, [
        { detail: 'Concurrent request limit exceeded. Request blocked.', 'o:errorCode': 'CONCURRENCY_LIMIT_EXCEEDED' },
      ]),
      headers,
    );

  const responders: FaultResponders = {
    // The shared fault contract promises a Retry-After for injected rate limits, so the fault sends one.
    rateLimited: (c, retryAfterSeconds) => concurrencyRefused(c, { 'Retry-After': String(retryAfterSeconds) }),
    tokenExpired: (c) => unauthorized(c, 'token expired or revoked (injected fault)'),
    serverError: (c, status, body) =>
      nsJson(
        c,
        status,
        body ??
          nsErrorBody(status, [
            { detail: 'An unexpected error occurred. Error ID: sim-fault', 'o:errorCode': 'UNEXPECTED_ERROR' },
          ]),
      ),
  };

  app.use('/services/*', faultMiddleware(faults, responders));

  // Concurrency governance per account (NetSuite limits concurrent requests, not a rate).
  app.use('/services/*', async (c, next) => {
    if (inFlight >= concurrencyLimitOf(book.state.config)) {
      c.res = concurrencyRefused(c);
      return;
    }
    inFlight++;
    try {
      if (book.state.config.processingMs > 0) await sleep(book.state.config.processingMs);
      await next();
    } finally {
      inFlight--;
    }
  });

  // Token-based authentication on every request.
  app.use('/services/*', async (c, next) => {
    const config = book.state.config;
    const nowMs = clock.now();
    const windowS = config.timestampToleranceSeconds;
    for (const [key, ts] of nonces) if (Math.abs(nowMs / 1000 - ts) > windowS * 2) nonces.delete(key);
    const requestUrl = c.req.url;
    const urls = [requestUrl];
    if (options.publicUrl)
      urls.push(`${options.publicUrl.replace(/\/+$/, '')}${new URL(requestUrl).pathname}${new URL(requestUrl).search}`);
    const forwardedHost = c.req.header('x-forwarded-host');
    if (forwardedHost) {
      const proto = c.req.header('x-forwarded-proto') ?? 'https';
      urls.push(`${proto}://${forwardedHost}${new URL(requestUrl).pathname}${new URL(requestUrl).search}`);
    }
    let bodyParams: Array<[string, string]> | undefined;
    if ((c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      bodyParams = [...new URLSearchParams(await c.req.raw.clone().text()).entries()];
    }
    const result = verifyTbaRequest({
      method: c.req.method,
      urls,
      authorization: c.req.header('authorization'),
      ...(bodyParams ? { bodyParams } : {}),
      realm: accountId,
      nowMs,
      toleranceSeconds: windowS,
      lookup(consumerKey, tokenId) {
        const integration = book.state.integrations.find((i) => i.consumerKey === consumerKey);
        if (!integration) return { refused: 'unknown consumer key' };
        const token = book.state.tokens.find((t) => t.tokenId === tokenId);
        if (!token) return { refused: 'unknown token' };
        if (token.consumerKey !== consumerKey) return { refused: 'token belongs to another integration' };
        if (token.revoked) return { refused: 'token revoked' };
        if (config.tokenLifetimeSeconds !== null && nowMs - token.createdAtMs > config.tokenLifetimeSeconds * 1000) {
          return { refused: 'token expired' };
        }
        return { consumerSecret: integration.consumerSecret, tokenSecret: token.tokenSecret };
      },
      useNonce(tokenId, nonce, ts) {
        const key = `${tokenId}\n${nonce}\n${ts}`;
        if (nonces.has(key)) return false;
        nonces.set(key, ts);
        return true;
      },
    });
    if (!result.ok) {
      c.res = unauthorized(c, result.reason);
      return;
    }
    await next();
  });

  const handle =
    (fn: (c: Context) => Response | Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        return await fn(c);
      } catch (error) {
        if (error instanceof NsError) return nsJson(c, error.status, error.body());
        console.error('[sim netsuite]', error);
        return nsJson(
          c,
          500,
          nsErrorBody(500, [{ detail: 'An unexpected error occurred.', 'o:errorCode': 'UNEXPECTED_ERROR' }]),
        );
      }
    };

  const readBody = async (c: Context, required: boolean): Promise<Record<string, unknown>> => {
    const text = await c.req.text();
    if (text.trim() === '') {
      if (required) throw new NsError(400, 'INVALID_CONTENT', 'The request body is empty. Provide a JSON object.');
      return {};
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // [I] NetSuite's wording for a body that is not JSON.
      throw new NsError(400, 'INVALID_CONTENT', `Invalid content in the request body: ${(error as Error).message}`);
    }
    if (!isObject(parsed)) throw new NsError(400, 'INVALID_CONTENT', 'The request body must be a JSON object.');
    return parsed;
  };

  const created = (c: Context, type: string, id: string): Response =>
    new Response(null, { status: 204, headers: { Location: `${origin(c)}${recordPath}/${type}/${id}` } });

  const expandParam = (c: Context): boolean => (c.req.query('expandSubResources') ?? '').toLowerCase() === 'true';

  const readRecord = (c: Context, type: string, rawId: string): Record<string, unknown> =>
    readAnyRecord(book, writer(c), type, rawId, expandParam(c));

  const pageParams = (c: Context, defaultLimit: number): { limit: number; offset: number } => {
    const limitRaw = c.req.query('limit');
    const offsetRaw = c.req.query('offset');
    const limit = limitRaw === undefined ? defaultLimit : Number(limitRaw);
    const offset = offsetRaw === undefined ? 0 : Number(offsetRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new NsError(
        400,
        'INVALID_PARAMETER',
        `Invalid value for the 'limit' query parameter: ${limitRaw}. The value must be an integer between 1 and 1000.`,
      );
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new NsError(
        400,
        'INVALID_PARAMETER',
        `Invalid value for the 'offset' query parameter: ${offsetRaw}. The value must be a non-negative integer.`,
      );
    }
    return { limit, offset };
  };

  const pageLinks = (
    c: Context,
    path: string,
    limit: number,
    offset: number,
    total: number,
  ): Array<{ rel: string; href: string }> => {
    const href = (o: number): string => `${origin(c)}${path}?limit=${limit}&offset=${o}`;
    const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
    const links = [{ rel: 'first', href: href(0) }];
    if (offset > 0) links.push({ rel: 'prev', href: href(Math.max(0, offset - limit)) });
    if (offset + limit < total) links.push({ rel: 'next', href: href(offset + limit) });
    links.push({ rel: 'last', href: href(lastOffset) }, { rel: 'self', href: href(offset) });
    return links;
  };

  const base = recordPath;
  const p = (c: Context, name: string): string => c.req.param(name) ?? '';

  app.get(
    `${base}/metadata-catalog`,
    handle((c) =>
      c.json({
        items: catalogTypes().map((name) => ({
          name,
          links: [
            {
              rel: 'alternate',
              href: `${origin(c)}${base}/metadata-catalog/${name}`,
              mediaType: 'application/schema+json',
            },
          ],
        })),
      }),
    ),
  );

  app.get(
    `${base}/metadata-catalog/:recordType`,
    handle((c) => {
      const type = catalogType(p(c, 'recordType'));
      if (!type) throw new NsError(404, 'INVALID_RECORD_TYPE', `Record type '${p(c, 'recordType')}' does not exist.`);
      // [I] Only the JSON Schema flavour is served (Accept: application/schema+json); OpenAPI is not simulated.
      if (!/schema\+json/i.test(c.req.header('accept') ?? ''))
        throw new NsError(
          406,
          'INVALID_HEADER',
          'This simulator serves record metadata as application/schema+json only.',
          undefined,
          { 'o:errorHeader': 'Accept' },
        );
      return new Response(JSON.stringify(recordSchema(book.state, type)), {
        status: 200,
        headers: { 'Content-Type': 'application/schema+json; charset=UTF-8' },
      });
    }),
  );

  app.post(
    `${base}/:recordType/:id/!transform/:target`,
    handle(async (c) => {
      const type = recordType(p(c, 'recordType'));
      const target = recordType(p(c, 'target'));
      if (type !== 'salesOrder' || !['itemFulfillment', 'invoice', 'cashSale'].includes(target)) {
        throw new NsError(400, 'INVALID_TRANSFORM', `The transformation of ${type} to ${target} is not supported.`);
      }
      const id = book.resolveTransactionId('salesOrder', p(c, 'id'));
      if (!id) throw notFound();
      const so = book.salesOrder(id);
      const body = await readBody(c, false);
      if (target === 'itemFulfillment') return created(c, 'itemFulfillment', book.fulfil(so, body).fulfillment.id);
      const bill = book.bill(so, target as 'invoice' | 'cashSale', body);
      return created(c, bill.type, bill.id);
    }),
  );

  app.get(
    `${base}/:recordType/:id/item/:line`,
    handle((c) => {
      const type = recordType(p(c, 'recordType'));
      const record = readRecord(c, type, p(c, 'id'));
      const tt = transactionType(type);
      if (!tt) throw notFound();
      const full = writer(c).transaction(book.state.transactions[String(record.id)] as NsTransaction, true);
      const items = (full.item as { items?: Array<Record<string, unknown>> }).items ?? [];
      const line = items.find((l) => String(l.line) === p(c, 'line'));
      if (!line) throw notFound();
      return c.json(line);
    }),
  );

  app.get(
    `${base}/:recordType/:id/item`,
    handle((c) => {
      const type = recordType(p(c, 'recordType'));
      if (!transactionType(type)) throw notFound();
      const record = readRecord(c, type, p(c, 'id'));
      const full = writer(c).transaction(book.state.transactions[String(record.id)] as NsTransaction, true);
      return c.json(full.item as object);
    }),
  );

  app.get(
    `${base}/:recordType/:id`,
    handle((c) => c.json(readRecord(c, recordType(p(c, 'recordType')), p(c, 'id')))),
  );

  app.get(
    `${base}/:recordType`,
    handle((c) => {
      const type = recordType(p(c, 'recordType'));
      if (c.req.query('q') !== undefined) {
        // [I] Record-collection filtering with `q` is not simulated; use SuiteQL.
        throw new NsError(
          400,
          'INVALID_PARAMETER',
          "The 'q' query parameter is not supported by this simulator. Use SuiteQL.",
        );
      }
      const { limit, offset } = pageParams(c, 1000);
      const ids = listIds(book, type);
      const page = ids.slice(offset, offset + limit);
      return c.json({
        links: pageLinks(c, `${base}/${type}`, limit, offset, ids.length),
        count: page.length,
        hasMore: offset + page.length < ids.length,
        items: page.map((id) => ({ links: writer(c).self(type, id), id })),
        offset,
        totalResults: ids.length,
      });
    }),
  );

  app.post(
    `${base}/:recordType`,
    handle(async (c) => {
      const type = recordType(p(c, 'recordType'));
      const body = await readBody(c, true);
      if (type === 'salesOrder') return created(c, 'salesOrder', book.createSalesOrder(body).id);
      if (type === 'cashSale') return created(c, 'cashSale', book.createCashSale(body).id);
      throw new NsError(405, 'INVALID_REQUEST', `This simulator does not create ${type} records with POST.`);
    }),
  );

  app.patch(
    `${base}/:recordType/:id`,
    handle(async (c) => {
      const type = recordType(p(c, 'recordType'));
      const body = await readBody(c, true);
      const replace = (c.req.query('replace') ?? '').split(',').filter(Boolean);
      if (type === 'salesOrder') {
        const id = book.resolveTransactionId('salesOrder', p(c, 'id'));
        if (!id) throw notFound();
        book.updateSalesOrder(book.salesOrder(id), body, replace);
        return created(c, 'salesOrder', id);
      }
      if (type === 'cashSale' || type === 'invoice') {
        const id = book.resolveTransactionId(type, p(c, 'id'));
        if (!id) throw notFound();
        book.updateBill(book.transaction(type, id), body);
        return created(c, type, id);
      }
      throw new NsError(405, 'INVALID_REQUEST', `This simulator does not update ${type} records.`);
    }),
  );

  app.put(
    `${base}/:recordType/:id`,
    handle(async (c) => {
      const type = recordType(p(c, 'recordType'));
      const rawId = p(c, 'id');
      if (!rawId.startsWith('eid:')) {
        // Upsert is PUT on eid:<externalId> (§1); PUT on an internal id is not an operation NetSuite offers [I].
        throw new NsError(
          405,
          'INVALID_REQUEST',
          'PUT is only supported for upsert with an external ID: …/eid:<externalId>.',
        );
      }
      const body = await readBody(c, true);
      const replace = (c.req.query('replace') ?? '').split(',').filter(Boolean);
      const eid = rawId.slice(4);
      if (type === 'salesOrder') return created(c, 'salesOrder', book.upsertSalesOrder(eid, body, replace).record.id);
      if (type === 'cashSale') return created(c, 'cashSale', book.upsertCashSale(eid, body).record.id);
      throw new NsError(405, 'INVALID_REQUEST', `This simulator does not upsert ${type} records.`);
    }),
  );

  app.delete(
    `${base}/:recordType/:id`,
    handle((c) => {
      const type = recordType(p(c, 'recordType'));
      const tt = transactionType(type);
      if (tt !== 'salesOrder' && tt !== 'cashSale')
        throw new NsError(405, 'INVALID_REQUEST', `This simulator does not delete ${type} records.`);
      const id = book.resolveTransactionId(tt, p(c, 'id'));
      if (!id) throw notFound();
      const t = book.state.transactions[id];
      if (t && t.type === 'cashSale') {
        if (t.createdFrom)
          throw new NsError(
            400,
            'USER_ERROR',
            'This simulator does not delete a cash sale created from a sales order.',
          );
        delete book.state.transactions[id];
      } else book.deleteTransaction('salesOrder', id);
      return new Response(null, { status: 204 });
    }),
  );

  app.post(
    '/services/rest/query/v1/suiteql',
    handle(async (c) => {
      const prefer = c.req.header('prefer') ?? '';
      if (!/\btransient\b/i.test(prefer)) {
        // "The Prefer: transient header is required" (§4); the wording of the refusal is [I].
        throw new NsError(400, 'INVALID_HEADER', "The request must include the header 'Prefer: transient'.");
      }
      const body = await readBody(c, true);
      if (typeof body.q !== 'string')
        throw new NsError(400, 'INVALID_PARAMETER', "The request body must be a JSON object with the query in 'q'.");
      // 1000 rows per page at most [I, §4 / §7.5].
      const { limit, offset } = pageParams(c, 1000);
      const page = runSuiteql(book, body.q, limit, offset);
      return c.json({
        links: pageLinks(c, '/services/rest/query/v1/suiteql', limit, offset, page.totalResults),
        count: page.items.length,
        hasMore: offset + page.items.length < page.totalResults,
        items: page.items,
        offset,
        totalResults: page.totalResults,
      });
    }),
  );

  app.notFound((c) => {
    if (c.req.path.startsWith('/services/')) {
      return nsJson(
        c,
        404,
        nsErrorBody(404, [
          { detail: `The requested path ${c.req.path} is not valid.`, 'o:errorCode': 'NONEXISTENT_ID' },
        ]),
      );
    }
    return c.text('Not found', 404);
  });

  // ---- control API ----------------------------------------------------------------------------------------

  mountControl(app, sim, options.snapshotFile);

  mountNetsuiteControl(app, book, { accountId, clock, origin, credentials: defaultCredentials });

  if (options.snapshotFile) loadSnapshot(sim, options.snapshotFile);
  return sim;
}
