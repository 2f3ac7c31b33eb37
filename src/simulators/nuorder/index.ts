import { createHash } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { SimClock } from '../shared/clock.ts';
import { loadSnapshot, mountControl, SimInputError, type SimulatorControl } from '../shared/control.ts';
import { FaultBook, faultMiddleware, type FaultResponders } from '../shared/faults.ts';
import { mountBackOffice } from './back-office.ts';
import { applyAction, configInput, mountNuorderControl, toStatus } from './control-routes.ts';
import {
  defaultConfig,
  isOrderStatus,
  type AccessTokenRecord,
  type NuorderConfig,
  type NuorderState,
  type OrderRecord,
  type OrderStatus,
  type RequestTokenRecord,
} from './model.ts';
import { renderCompany, renderOrder, renderShipment } from './render.ts';
import { parseAuthorizationHeader, verifySignature } from './oauth.ts';
import { accessTokenOf, consumerOf, createRequestToken, exchangeRequestToken, requestTokenOf } from './credentials.ts';
import { createOrderFromApi } from './new-order.ts';
import { NuorderError, NuorderStore } from './store.ts';

export { demoCredentials } from './credentials.ts';
export type { NuorderConfig } from './model.ts';

export type Simulator = SimulatorControl & { app: Hono };

export interface NuorderSimulatorOptions extends Partial<NuorderConfig> {
  clock?: SimClock;
  /** Where POST /_sim/snapshot writes the state; loaded at start when the file exists. */
  snapshotFile?: string;
  /** The URL clients use to reach the simulator (behind a proxy); also accepted as the signed base URL. */
  publicUrl?: string;
}

type Env = {
  Variables: { access?: AccessTokenRecord; requestToken?: RequestTokenRecord; oauth?: Map<string, string> };
};

/**
 * The response headers every recorded NuORDER reply carried (recorded-shapes nuorder.json): `X-Powered-By: Express`
 * always; on JSON replies `Cache-Control: private,max-age=0, must-revalidate` and `Request-Token` (epoch ms); on GET
 * 200s an `ETag` that is a quoted signed 32-bit integer. Tradeloop reads none of them; they are here so the
 * simulator looks like the service to anyone who does.
 */
function recordedHeaders(clock: SimClock): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // A new Response, not c.res.headers.set(): the Node adapter may already have captured the headers it sends.
    const res = c.res;
    const headers = new Headers(res.headers);
    headers.set('X-Powered-By', 'Express');
    let body: BodyInit | null = res.body;
    if ((headers.get('content-type') ?? '').includes('application/json')) {
      headers.set('Cache-Control', 'private,max-age=0, must-revalidate');
      headers.set('Request-Token', String(clock.now()));
      if (c.req.method === 'GET' && res.status === 200) {
        const text = await res.text();
        headers.set('ETag', `"${createHash('sha1').update(text).digest().readInt32BE(0)}"`);
        body = text;
      }
    }
    c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
  };
}

/** The NuORDER error body (reference §2.5): `{"code": 404, "message": "product not found"}`. */
function apiError(c: Context, status: number, message: string): Response {
  return c.json({ code: status, message }, status as 400);
}

export function createNuorderSimulator(options: NuorderSimulatorOptions = {}): Simulator {
  const clock = options.clock ?? new SimClock();
  const faults = new FaultBook();
  const store = new NuorderStore(clock);
  const { clock: _c, snapshotFile, publicUrl, ...configOverrides } = options;
  const initialConfig: NuorderConfig = {
    ...structuredClone(defaultConfig),
    ...Object.fromEntries(
      Object.entries(configInput.strip().parse(configOverrides)).filter(([, value]) => value !== undefined),
    ),
  };
  store.state.config = structuredClone(initialConfig);
  const nonces = new Map<string, number>();
  const windows = new Map<string, { start: number; count: number }>();

  const sim: Simulator = {
    system: 'nuorder',
    clock,
    faults,
    app: new Hono(),
    reset() {
      store.reset();
      store.state.config = structuredClone(initialConfig);
      nonces.clear();
      windows.clear();
    },
    seedScenario: (name, overrides) => store.seedScenario(name, overrides),
    seedData: (data) => {
      try {
        return store.seedData(data);
      } catch (error) {
        if (error instanceof NuorderError) throw new SimInputError(error.message);
        throw error;
      }
    },
    exportState: () => structuredClone(store.state),
    importState(state) {
      const s = state as Partial<NuorderState> | null;
      if (!s || typeof s !== 'object' || s.version !== 1 || !Array.isArray(s.orders) || !Array.isArray(s.products)) {
        throw new SimInputError('Not a NuORDER simulator state (expected {version: 1, products: [], orders: [], …})');
      }
      store.replace({
        ...store.state,
        ...structuredClone(s as NuorderState),
        config: { ...defaultConfig, ...(s.config ?? {}) },
      });
      nonces.clear();
      windows.clear();
    },
  };
  const app = sim.app;

  const responders: FaultResponders = {
    rateLimited: (c, retryAfter) => {
      c.header('Retry-After', String(retryAfter));
      return apiError(c, 429, 'Too Many Requests');
    },
    tokenExpired: (c) => apiError(c, 401, 'Unauthorized: oauth token expired'),
    serverError: (c, status, body) => {
      if (body !== undefined) return c.json(body as object, status as 500);
      // One real 500 came back as text/plain "Oops, there was a problem!" (reference §2.5).
      if (status === 500) return c.text('Oops, there was a problem!', 500);
      return apiError(c, status, 'Simulated server error');
    },
  };

  app.use('/api/*', recordedHeaders(clock));
  app.use('/api/*', faultMiddleware(faults, responders));

  // ---------- OAuth 1.0a on every /api request (reference §2) ----------
  const authenticate: MiddlewareHandler<Env> = async (c, next) => {
    const path = c.req.path;
    const kind = path === '/api/initiate' ? 'initiate' : path === '/api/token' ? 'token' : 'resource';
    const config = store.state.config;
    const header = parseAuthorizationHeader(c.req.header('authorization'));
    // Every OAuth problem is a 401 ("likely an OAuth header issue", reference §2.5); the messages are ours [I].
    if (!header) return apiError(c, 401, 'Unauthorized: missing or malformed OAuth Authorization header');
    for (const name of [
      'oauth_consumer_key',
      'oauth_signature',
      'oauth_timestamp',
      'oauth_nonce',
      'oauth_signature_method',
    ]) {
      if (!header.get(name)) return apiError(c, 401, `Unauthorized: missing ${name}`);
    }
    if (header.get('oauth_signature_method')?.toUpperCase() !== 'HMAC-SHA1')
      return apiError(c, 401, 'Unauthorized: unsupported oauth_signature_method (use HMAC-SHA1)');
    if (header.has('oauth_version') && header.get('oauth_version') !== '1.0')
      return apiError(c, 401, 'Unauthorized: unsupported oauth_version');
    const consumer = consumerOf(store, header.get('oauth_consumer_key') as string);
    if (!consumer) return apiError(c, 401, 'Unauthorized: unknown consumer key');
    const timestamp = header.get('oauth_timestamp') as string;
    if (
      !/^\d+$/.test(timestamp) ||
      Math.abs(Number(timestamp) * 1000 - clock.now()) > config.timestampWindowSeconds * 1000
    ) {
      return apiError(c, 401, 'Unauthorized: oauth_timestamp is stale or in the future');
    }
    const tokenValue = header.get('oauth_token') ?? '';
    let tokenSecret = '';
    if (kind === 'initiate') {
      // Recorded: initiate was accepted with an empty oauth_token (2015) and with an existing access token (2014),
      // signed, presumably, with that token's secret [I].
      if (tokenValue !== '') {
        const at = accessTokenOf(store, tokenValue);
        if (!at || at.consumer_key !== consumer.key) return apiError(c, 401, 'Unauthorized: invalid token');
        tokenSecret = at.secret;
      }
    } else if (kind === 'token') {
      const rt = requestTokenOf(store, tokenValue);
      if (!rt || rt.consumer_key !== consumer.key || rt.status === 'used')
        return apiError(c, 401, 'Unauthorized: invalid or expired request token');
      tokenSecret = rt.secret;
      c.set('requestToken', rt);
    } else {
      const at = accessTokenOf(store, tokenValue);
      if (!at || at.consumer_key !== consumer.key) return apiError(c, 401, 'Unauthorized: invalid token');
      if (at.expires_at !== null && at.expires_at <= clock.now()) return responders.tokenExpired(c);
      tokenSecret = at.secret;
      c.set('access', at);
    }
    const requestUrl = new URL(c.req.url);
    const urls = [`${requestUrl.origin}${requestUrl.pathname}`];
    const forwardedHost = c.req.header('x-forwarded-host');
    if (forwardedHost)
      urls.push(`${c.req.header('x-forwarded-proto') ?? 'https'}://${forwardedHost}${requestUrl.pathname}`);
    if (publicUrl) urls.push(`${publicUrl.replace(/\/+$/, '')}${requestUrl.pathname}`);
    const params: Array<[string, string]> = [...requestUrl.searchParams.entries()];
    if ((c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      params.push(...new URLSearchParams(await c.req.text()).entries());
    }
    const scheme = verifySignature({
      method: c.req.method,
      urls,
      header,
      params,
      consumerSecret: consumer.secret,
      tokenSecret,
    });
    if (!scheme || !config.schemes.includes(scheme)) return apiError(c, 401, 'Unauthorized: invalid signature');
    const nonceKey = `${consumer.key}|${tokenValue}|${timestamp}|${header.get('oauth_nonce')}`;
    if (nonces.has(nonceKey)) return apiError(c, 401, 'Unauthorized: oauth_nonce has already been used');
    nonces.set(nonceKey, Number(timestamp) * 1000 + config.timestampWindowSeconds * 1000);
    if (nonces.size % 500 === 0) for (const [key, until] of nonces) if (until < clock.now()) nonces.delete(key);
    c.set('oauth', header);
    // Rate limiting: the reference names no limit, so this simple fixed window per token is inferred and off by default.
    if (config.rateLimit && kind === 'resource') {
      const windowMs = config.rateLimit.windowSeconds * 1000;
      const now = clock.now();
      const w = windows.get(tokenValue);
      if (!w || now - w.start >= windowMs) windows.set(tokenValue, { start: now, count: 1 });
      else if (++w.count > config.rateLimit.limit)
        return responders.rateLimited(c, Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)));
    }
    await next();
    return undefined;
  };
  app.use('/api/*', authenticate as unknown as MiddlewareHandler);

  const api = new Hono<Env>();
  api.onError((err, c) => {
    if (err instanceof NuorderError) return apiError(c, err.status, err.message);
    if (err instanceof SyntaxError) return apiError(c, 400, 'Bad Arguments: malformed JSON body');
    console.error('[sim nuorder]', err);
    return c.text('Oops, there was a problem!', 500);
  });

  // Handshake step 1 (reference §2.2): request token for an application name and a callback (or oob).
  const initiate = (c: Context<Env>): Response => {
    const header = c.get('oauth') as Map<string, string>;
    const rt = createRequestToken(
      store,
      header.get('oauth_consumer_key') as string,
      header.get('application_name') || 'Unnamed application',
      header.get('oauth_callback') || 'oob',
    );
    return c.json({ oauth_token: rt.token, oauth_token_secret: rt.secret, oauth_callback_confirmed: true });
  };
  api.get('/initiate', initiate);
  api.post('/initiate', initiate);

  // Handshake step 3: exchange the approved request token and its verifier for the permanent token.
  const token = (c: Context<Env>): Response => {
    const header = c.get('oauth') as Map<string, string>;
    const rt = c.get('requestToken') as RequestTokenRecord;
    if (rt.status !== 'approved' || !rt.verifier)
      return apiError(c, 401, 'Unauthorized: request token has not been approved');
    if (header.get('oauth_verifier') !== rt.verifier) return apiError(c, 401, 'Unauthorized: invalid oauth_verifier');
    const at = exchangeRequestToken(store, rt);
    return c.json({ oauth_token: at.token, oauth_token_secret: at.secret });
  };
  api.get('/token', token);
  api.post('/token', token);

  const visibleBrands = (c: Context<Env>): string[] | null => c.get('access')?.brands ?? null;
  const visible = (c: Context<Env>, order: OrderRecord | undefined): OrderRecord | undefined => {
    const brands = visibleBrands(c);
    return order && (brands === null || brands.includes(order.brand)) ? order : undefined;
  };
  const findOrder = (c: Context<Env>, by: 'id' | 'number', value: string): OrderRecord => {
    const order = visible(c, by === 'id' ? store.order(value) : store.orderByNumber(value));
    if (!order) throw new NuorderError(404, 'order not found');
    return order;
  };
  const listFilter = (c: Context<Env>): OrderStatus | 'edited' => {
    const status = c.req.param('status')?.toLowerCase() ?? '';
    if (status === 'edited' || isOrderStatus(status)) return status;
    throw new NuorderError(400, `Bad Arguments: unknown order status "${c.req.param('status')}"`);
  };

  api.get('/orders/:status/detail', (c) =>
    c.json(store.ordersWhere(listFilter(c), visibleBrands(c)).map((o) => renderOrder(o, store))),
  );
  api.get('/orders/:status/list', (c) => c.json(store.ordersWhere(listFilter(c), visibleBrands(c)).map((o) => o._id)));

  /** A status change through the API (the brand's side). Unchanged status → 304 "Order Not Updated" (S-SH, §2.5). */
  const setStatus = (c: Context<Env>, order: OrderRecord, word: string): Response => {
    const to = toStatus(word);
    if (!to) throw new NuorderError(400, `Bad Arguments: unknown order status "${word}"`);
    const changed = store.changeStatus(order, to, 'api');
    if (!changed) return c.body(null, 304);
    return c.json(renderOrder(order, store));
  };
  const bodyStatus = async (c: Context<Env>): Promise<string> => {
    const body = (await c.req.json().catch(() => null)) as { status?: unknown } | null;
    if (!body || typeof body.status !== 'string')
      throw new NuorderError(400, 'Bad Arguments: body must be {"status": "<status>"}');
    return body.status;
  };

  api.get('/order/number/:number', (c) => c.json(renderOrder(findOrder(c, 'number', c.req.param('number')), store)));
  api.on(['POST', 'PUT'], '/order/number/:number/status', async (c) =>
    setStatus(c, findOrder(c, 'number', c.req.param('number')), await bodyStatus(c)),
  );
  api.on(['POST', 'PUT'], '/order/number/:number/:status', (c) =>
    setStatus(c, findOrder(c, 'number', c.req.param('number')), c.req.param('status')),
  );
  // [I] Creating an order through the API (new-order.ts says what is assumed): 201 with the order.
  api.put('/order/new', async (c) => {
    const body: unknown = await c.req.json();
    return c.json(renderOrder(createOrderFromApi(store, body, visibleBrands(c)), store), 201);
  });
  api.get('/order/:id', (c) => c.json(renderOrder(findOrder(c, 'id', c.req.param('id')), store)));
  // Shipments: no public endpoint is documented (reference §5 gap). This read is the simulator's own invention
  // (F11), kept while clients move to the order's own `shipments`; config `shipmentsRoute: false` removes it.
  api.get('/order/:id/shipments', (c) => {
    if (!store.state.config.shipmentsRoute) return apiError(c, 404, 'Not Found');
    const order = findOrder(c, 'id', c.req.param('id'));
    return c.json(order.shipments.map((s) => renderShipment(order, s, store)));
  });
  api.post('/order/:id/status', async (c) => setStatus(c, findOrder(c, 'id', c.req.param('id')), await bodyStatus(c)));
  api.post('/order/:id/:status', (c) => setStatus(c, findOrder(c, 'id', c.req.param('id')), c.req.param('status')));

  const findProduct = (c: Context<Env>, id: string, external: boolean) => {
    const product = external ? store.productByExternalId(id) : store.product(id);
    const brands = visibleBrands(c);
    if (!product || (brands !== null && !brands.includes(product.brand)))
      throw new NuorderError(404, 'product not found');
    return product.json;
  };
  api.get('/product/external_id/:brandId', (c) => c.json(findProduct(c, c.req.param('brandId'), true)));
  api.get('/product/:id', (c) => c.json(findProduct(c, c.req.param('id'), false)));
  // [I] S-JV names `/api/products` and nothing documents its reply: the simulator answers the brand's products
  // as GET /api/product/{id} serves them (the cheap form; a client must also read a list of ids).
  api.get('/products', (c) => {
    const brands = visibleBrands(c);
    return c.json(store.state.products.filter((p) => brands === null || brands.includes(p.brand)).map((p) => p.json));
  });
  // [I] S-JV only: product ids of a season.
  api.get('/products/season/:season/list', (c) => {
    const season = c.req.param('season').toLowerCase();
    const brands = visibleBrands(c);
    return c.json(
      store.state.products
        .filter((p) => p.json.season.toLowerCase() === season && (brands === null || brands.includes(p.brand)))
        .map((p) => p.json._id),
    );
  });

  api.get('/companies/codes/list', (c) => c.json(store.state.retailers.map((r) => r.code)));
  api.get('/company/code/:code', (c) => {
    const r = store.state.retailers.find((x) => x.code.toLowerCase() === c.req.param('code').toLowerCase());
    return r ? c.json(renderCompany(r)) : apiError(c, 404, 'company not found');
  });
  api.get('/company/:id', (c) => {
    const r = store.retailer(c.req.param('id'));
    return r ? c.json(renderCompany(r)) : apiError(c, 404, 'company not found');
  });

  app.route('/api', api);

  // ---------- the person's authorize step (reference §2.2 step 2) and the back office ----------
  mountBackOffice(app, store, { applyAction: (order, action, edit) => applyAction(store, order, action, edit) });

  // ---------- control API ----------
  mountControl(app, sim, snapshotFile);
  mountNuorderControl(app, store, { onConfigChange: () => windows.clear() });

  // Unknown /api paths answer in NuORDER's error shape; anything else gets a plain 404.
  app.notFound((c) => (c.req.path.startsWith('/api/') ? apiError(c, 404, 'Not Found') : c.text('Not Found', 404)));

  if (snapshotFile) loadSnapshot(sim, snapshotFile);
  return sim;
}
