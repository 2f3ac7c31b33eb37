import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { z } from 'zod';

/**
 * Fault injection and request accounting shared by every simulator.
 *
 * A fault rule matches requests by method and path (an exact path, a glob with `*`, or a Hono route
 * pattern such as `/api/2.0/products/:id`) and does one thing to them:
 * - `latency`: waits `latencyMs` before handling the request normally;
 * - `error`: answers `status` (default 500) without handling the request;
 * - `rate_limit`: answers 429 with the system's real rate-limit headers;
 * - `hang`: never answers (until `latencyMs`, default 10 minutes, or the client gives up);
 * - `ghost_write`: handles the request (the write commits), then answers 500 as if it had failed;
 * - `ghost_drop`: handles the request (the write commits), then drops the connection without an answer;
 * - `token_expired`: answers the system's own "expired token" 401;
 * - `reshape`: handles the request, then changes the JSON reply's shape (`reshape: {drop, rename, set}`, dotted
 *   paths with `*` for every array element or object value): a vendor that changed a field, for `tradeloop doctor`.
 * `times` limits a rule to the next N matching requests ("fail the next N"); without it the rule stays
 * until cleared.
 */
export const faultKinds = [
  'latency',
  'error',
  'rate_limit',
  'hang',
  'ghost_write',
  'ghost_drop',
  'token_expired',
  'stale_read',
  'reshape',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export const faultRuleInput = z.object({
  kind: z.enum(faultKinds),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .optional(),
  path: z.string().min(1).default('*'),
  status: z.number().int().min(400).max(599).optional(),
  latencyMs: z.number().int().min(0).max(3_600_000).optional(),
  times: z.number().int().min(1).optional(),
  retryAfterSeconds: z.number().int().min(0).optional(),
  body: z.unknown().optional(),
  /** For `reshape`: dotted paths (`data.*.source`) to drop, rename (to a new last segment) or set. */
  reshape: z
    .object({
      drop: z.array(z.string().min(1)).optional(),
      rename: z.record(z.string().min(1), z.string().min(1)).optional(),
      set: z.record(z.string().min(1), z.unknown()).optional(),
    })
    .optional(),
});
export type FaultRuleInput = z.input<typeof faultRuleInput>;
export type FaultRule = z.output<typeof faultRuleInput> & { id: string; hits: number };

export interface RequestRecord {
  method: string;
  path: string;
  route: string;
  /** The query string without its `?` ('' when none): what a read asked for. */
  query: string;
  status: number;
  at: number;
  fault?: FaultKind;
}

/** What a simulator answers for faults whose body and headers are system-specific. */
export interface FaultResponders {
  rateLimited(c: Context, retryAfterSeconds: number): Response;
  tokenExpired(c: Context): Response;
  serverError?(c: Context, status: number, body: unknown): Response;
}

const maxLoggedRequests = 50_000;

export class FaultBook {
  #rules: FaultRule[] = [];
  #nextId = 1;
  #log: RequestRecord[] = [];
  #counts = new Map<string, number>();
  #hangs = new Set<() => void>();

  add(input: FaultRuleInput): FaultRule {
    const parsed = faultRuleInput.parse(input);
    const rule: FaultRule = { ...parsed, id: `fault-${this.#nextId++}`, hits: 0 };
    this.#rules.push(rule);
    return rule;
  }

  remove(id: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.id !== id);
    return this.#rules.length !== before;
  }

  clear(): void {
    this.#rules = [];
    for (const release of this.#hangs) release();
    this.#hangs.clear();
  }

  rules(): FaultRule[] {
    return this.#rules.map((r) => ({ ...r }));
  }

  /** Finds the first live rule for a request and uses up one of its `times`. */
  take(method: string, path: string, route: string): FaultRule | undefined {
    const rule = this.#rules.find(
      (r) => (!r.method || r.method === method) && (pathMatches(r.path, path) || r.path === route),
    );
    if (!rule) return undefined;
    rule.hits++;
    if (rule.times !== undefined && rule.hits >= rule.times) this.remove(rule.id);
    return rule;
  }

  record(entry: RequestRecord): void {
    if (this.#log.length >= maxLoggedRequests) this.#log.shift();
    this.#log.push(entry);
    const key = `${entry.method} ${entry.route}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }

  requestCounts(): { total: number; byRoute: Record<string, number> } {
    const byRoute = Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    const total = [...this.#counts.values()].reduce((sum, n) => sum + n, 0);
    return { total, byRoute };
  }

  requestLog(limit = 500): RequestRecord[] {
    return this.#log.slice(-limit);
  }

  resetRequests(): void {
    this.#log = [];
    this.#counts.clear();
  }

  /** Keeps a hung request open until the rule's time runs out, the client leaves, or faults are cleared. */
  hang(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.#hangs.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      signal.addEventListener('abort', release, { once: true });
      this.#hangs.add(release);
    });
  }
}

export function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*' || pattern === path) return true;
  if (pattern.includes(':')) {
    const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]\w*/g, '[^/]+')}$`);
    return re.test(path);
  }
  if (!pattern.includes('*')) return false;
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(path);
}

/**
 * The middleware in front of every simulated API route (not the control API or back office):
 * counts the request under its route pattern and applies the first matching fault rule.
 */
export function faultMiddleware(book: FaultBook, responders: FaultResponders): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    const rule = book.take(method, path, path);
    let faultKind: FaultKind | undefined = rule?.kind;
    try {
      if (!rule) {
        await next();
        return;
      }
      switch (rule.kind) {
        case 'latency':
          await sleep(rule.latencyMs ?? 1000);
          await next();
          return;
        case 'error': {
          const status = rule.status ?? 500;
          c.res = responders.serverError
            ? responders.serverError(c, status, rule.body)
            : c.json(rule.body ?? { error: 'Simulated server error' }, status as 500);
          return;
        }
        case 'rate_limit':
          c.res = responders.rateLimited(c, rule.retryAfterSeconds ?? 1);
          return;
        case 'token_expired':
          c.res = responders.tokenExpired(c);
          return;
        case 'hang':
          await book.hang(rule.latencyMs ?? 600_000, c.req.raw.signal);
          c.res = c.json({ error: 'Simulated hang ended' }, 504);
          return;
        case 'stale_read':
          // What an eventually consistent read (a search index) answers just after a write: `body`, with
          // a 200, as though the write had not happened yet. Nothing is read or written.
          c.res = c.json(rule.body ?? {}, 200);
          return;
        case 'ghost_write':
          await next();
          c.res = c.json({ error: 'Simulated failure after commit' }, (rule.status ?? 500) as 500);
          return;
        case 'ghost_drop': {
          await next();
          dropConnection(c);
          return;
        }
        case 'reshape': {
          await next();
          const text = await c.res.text();
          const headers = new Headers(c.res.headers);
          headers.delete('content-length');
          let out = text;
          try {
            out = JSON.stringify(reshapeJson(JSON.parse(text) as unknown, rule.reshape ?? {}));
          } catch {
            // Not JSON: the reply goes out as it was.
          }
          c.res = new Response(out, { status: c.res.status, headers });
          return;
        }
      }
    } finally {
      let route = path;
      try {
        route = routePath(c, -1) || path;
      } catch {
        // routePath throws when no route matched (a 404); the raw path is the best name then.
      }
      if (route === '*' || route.endsWith('/*')) route = path;
      book.record({
        method,
        path,
        route,
        query: new URL(c.req.url).search.slice(1),
        status: c.res.status,
        at: Date.now(),
        ...(faultKind ? { fault: faultKind } : {}),
      });
      faultKind = undefined;
    }
  };
}

export interface ReshapeSpec {
  drop?: string[];
  rename?: Record<string, string>;
  set?: Record<string, unknown>;
}

/** Applies a `reshape` rule to a parsed JSON value (in place) and returns it. */
export function reshapeJson(value: unknown, spec: ReshapeSpec): unknown {
  const parents = (path: string): Array<{ holder: Record<string, unknown>; key: string }> => {
    const segments = path.split('.');
    const last = segments.pop() as string;
    let level: unknown[] = [value];
    for (const segment of segments) {
      const next: unknown[] = [];
      for (const node of level) {
        if (typeof node !== 'object' || node === null) continue;
        if (segment === '*') next.push(...(Array.isArray(node) ? node : Object.values(node)));
        else if (Array.isArray(node)) next.push(...node.map((n) => (n as Record<string, unknown> | null)?.[segment]));
        else next.push((node as Record<string, unknown>)[segment]);
      }
      level = next;
    }
    // A path that ends on an array applies to each element, so `orders.retailer` reaches into a bare list too.
    return level
      .flatMap((node) => (Array.isArray(node) ? node : [node]))
      .filter((node): node is Record<string, unknown> => typeof node === 'object' && node !== null)
      .map((holder) => ({ holder, key: last }));
  };
  for (const path of spec.drop ?? []) for (const { holder, key } of parents(path)) delete holder[key];
  for (const [path, to] of Object.entries(spec.rename ?? {}))
    for (const { holder, key } of parents(path))
      if (key in holder) {
        holder[to] = holder[key];
        delete holder[key];
      }
  for (const [path, v] of Object.entries(spec.set ?? {})) for (const { holder, key } of parents(path)) holder[key] = v;
  return value;
}

/** Destroys the client's socket so it sees a connection reset and no reply at all. */
function dropConnection(c: Context): void {
  const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming;
  if (incoming?.socket) {
    incoming.socket.destroy();
    return;
  }
  // Without a socket (app.request() in-process), the closest thing is a response that errors while read.
  c.res = new Response(
    new ReadableStream({
      start(controller) {
        controller.error(new Error('connection dropped by simulator'));
      },
    }),
  );
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
