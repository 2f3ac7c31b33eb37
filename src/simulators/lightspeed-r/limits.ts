import type { Context, MiddlewareHandler } from 'hono';
import type { Core } from './core.ts';
import type { ResourceName } from './model.ts';
import { accessDenied, authenticate } from './oauth.ts';
import { parseLoadRelations } from './query.ts';
import { apiErrorResponse } from './reply.ts';
import { defsByName } from './resources.ts';

/**
 * In front of every API route: the bearer token, the account in the path, the scope, then the two rate
 * limiters of reference §6 (the burst limiter and the leaky bucket) and their headers on every reply.
 */

// Cost (§6)

function countNested(value: unknown, depth: number): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + countNested(v, depth), 0);
  if (!value || typeof value !== 'object') return 0;
  const entries = Object.values(value);
  const hasScalars = entries.some((v) => v === null || typeof v !== 'object');
  let n = depth >= 1 && hasScalars ? 1 : 0;
  for (const v of entries) if (v && typeof v === 'object') n += countNested(v, depth + 1);
  return n;
}

export function requestCost(
  core: Core,
  method: string,
  resource: string | undefined,
  single: boolean,
  params: URLSearchParams,
  body: unknown,
): number {
  const cfg = core.config;
  const write = method !== 'GET' && method !== 'HEAD';
  let cost: number;
  if (params.get('count') === '1') cost = 10;
  else if (cfg.costModel === 'legacy') cost = write ? cfg.writeCost : cfg.readCost;
  else {
    cost = 1;
    if (resource === 'Category' && write) cost = 10;
    else if (write && (method === 'POST' || method === 'PUT')) cost += 0.5 * countNested(body, 0);
  }
  const def = resource ? defsByName.get(resource as ResourceName) : undefined;
  if (def) {
    try {
      const rels = parseLoadRelations(params.get('load_relations') ?? undefined, Object.keys(def.relations));
      for (const r of rels) cost += (def.relations[r] === 'many' ? 0.2 : 0.1) * (single ? 1 : 2);
    } catch {
      // an invalid load_relations is refused by the handler; it costs the base only
    }
  }
  const or = params.get('or');
  if (or) {
    const parts = or.split('|').filter(Boolean);
    const fields = new Set(parts.map((p) => p.split('=')[0]));
    const rangeOps = parts.filter((p) => /=(>|<|><|>=|<=),/.test(p)).length;
    if (fields.size > 1)
      cost += rangeOps > 1 ? 10 * fields.size + Math.max(0, parts.length - fields.size) : parts.length;
  }
  return Math.round(cost * 1000) / 1000;
}

// Middleware: auth, account, scope, burst limiter, bucket, headers

// Account, resource, id, and a nested path after it (`/Order/{id}/Shipment.json`), which the resource's scopes cover.
const accountPath = /^\/API\/V3\/Account\/([^/]+?)(?:\.json)?(?:\/([A-Za-z]+)(?:\.json|\/([^/]+))?(?:\/.*)?)?\/?$/;
/** Read-only resources served under another name: receipts need the purchase-order scopes (S1 shipment.md). */
const scopeOf: Record<string, ResourceName> = { Shipment: 'Order' };

function hasScope(granted: string, needed: string[]): boolean {
  const scopes = granted.split(/\s+/);
  if (scopes.includes('employee:all') || scopes.includes('employee:admin')) return true;
  if (needed.includes('*')) return scopes.some((s) => s.startsWith('employee:'));
  return needed.some((n) => scopes.includes(n));
}

export function bucketHeaders(core: Core, c: Context, accountID: string, clientId: string, cost?: number): void {
  const bucket = core.bucket(accountID, clientId);
  // The server's own clock, the one behind every timeStamp (a simulated clock may run ahead of real time).
  c.header('Date', new Date(core.clock.now()).toUTCString());
  c.header('X-LS-Acct-Id', accountID);
  c.header('X-LS-Oauth-Client-Id', core.numericClientId(clientId));
  c.header('X-LS-API-Bucket-Level', bucket.headerLevel());
  c.header('X-LS-API-Drip-Rate', String(core.config.dripRate));
  const burst = core.burst(accountID, clientId);
  if (burst) c.header('X-LS-API-Burst-Level', burst.headerLevel());
  if (cost !== undefined) c.header('X-LS-API-Request-Cost', String(cost));
}

export function rateLimitedResponse(
  core: Core,
  c: Context,
  accountID: string,
  clientId: string,
  retryAfterSeconds: number,
  type: 'api-leaky-bucket' | 'api-burst-limiter' = 'api-leaky-bucket',
): Response {
  bucketHeaders(core, c, accountID, clientId);
  c.header('X-LS-API-RateLimit-Type', type);
  c.header('Retry-After', String(retryAfterSeconds));
  // The body and errorClass are the recorded 2015 ones; the text after "Rate Limit Exceeded:" is [I].
  const why = type === 'api-burst-limiter' ? 'burst rate limit exceeded' : 'Please wait before making more requests.';
  return apiErrorResponse(c, 429, `Rate Limit Exceeded: ${why}`, 'RateLimitedException');
}

export function apiMiddleware(core: Core): MiddlewareHandler {
  return async (c, next) => {
    const auth = authenticate(core, c.req.header('authorization'));
    if (!auth.ok) return accessDenied(c, auth.hint);
    const token = auth.token;
    const path = c.req.path;
    const match = accountPath.exec(path);
    let resource: string | undefined;
    let single = false;
    if (match) {
      if (match[1] !== token.accountID) {
        return apiErrorResponse(
          c,
          403,
          'Not Authorized: Insufficient rights to perform the request',
          'InsufficientRightsException',
        );
      }
      resource = match[2];
      single = match[3] !== undefined;
      const def = resource ? defsByName.get(scopeOf[resource] ?? (resource as ResourceName)) : undefined;
      if (def) {
        const write = c.req.method !== 'GET' && c.req.method !== 'HEAD';
        if (!hasScope(token.scope, write ? def.scopes.write : def.scopes.read)) {
          return apiErrorResponse(
            c,
            403,
            'Not Authorized: Insufficient rights to perform the request',
            'InsufficientRightsException',
          );
        }
      }
    }
    const params = new URL(c.req.url).searchParams;
    let body: unknown;
    if (core.config.costModel === 'current' && (c.req.method === 'POST' || c.req.method === 'PUT')) {
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        body = undefined;
      }
    }
    const cost = requestCost(core, c.req.method, resource, single, params, body);
    const bucket = core.bucket(token.accountID, token.clientId);
    const burst = core.burst(token.accountID, token.clientId);
    // A refused request counts in neither limiter [I]; the burst limiter is asked first (it is the cheaper).
    if (burst?.full()) {
      core.charges.rateLimited++;
      return rateLimitedResponse(core, c, token.accountID, token.clientId, burst.retryAfter(), 'api-burst-limiter');
    }
    const taken = bucket.take(cost);
    if (!taken.ok) {
      core.charges.rateLimited++;
      return rateLimitedResponse(core, c, token.accountID, token.clientId, taken.retryAfterSeconds);
    }
    burst?.take();
    core.charges.requests++;
    core.charges.drips = Math.round((core.charges.drips + cost) * 1000) / 1000;
    await next();
    bucketHeaders(core, c, token.accountID, token.clientId, cost);
  };
}
