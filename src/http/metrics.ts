import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../app-context.ts';
import { errorStatus } from '../core/error-codes.ts';
import type { Db } from '../store/db.ts';
import * as figures from '../store/repos/metrics.ts';
import type { ConnectionStatus, ExportState, JobState } from '../store/schema.ts';
import type { HttpEnv } from './env.ts';

/**
 * `GET /metrics` in the Prometheus text format (prom-client), for the operator: the job queue (by task and state,
 * how many are due, how long the oldest due one has waited), exports by state, connections by system and status
 * (a "needs_relink" is an alert), the shared POS rate budgets, this process's HTTP requests, and Node's default
 * process metrics (event loop lag, heap, GC, memory, CPU). The store figures are for the whole installation,
 * whichever process is scraped; tenants are not named. Every gauge of a known label set is present at 0, so an
 * alert on it never sees "no data". Open to loopback clients; anyone else needs `Authorization: Bearer $METRICS_TOKEN`.
 */

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const jobStates: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
const exportStates: readonly ExportState[] = ['in_progress', 'exported', 'failed'];
const connectionStatuses: readonly ConnectionStatus[] = ['linked', 'needs_relink', 'unlinked'];

let processRegistry: Registry | undefined;

/**
 * Node's default metrics (unprefixed: nodejs_eventloop_lag_seconds, nodejs_heap_size_used_bytes, nodejs_gc_duration_seconds,
 * process_resident_memory_bytes…), collected once per process: they describe the process, and every app of it (tests
 * run several) shows the same ones. Not prom-client's global registry, which a library could also write to.
 */
function defaultMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** One app's figures: its own registry, so several apps in one process (tests) never collide. */
export class HttpMetrics {
  readonly registry = new Registry();
  readonly startedAt = Date.now();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route' | 'status'>;
  readonly #gauges: ReturnType<typeof storeGauges>;
  readonly #systems: readonly string[];

  /** `systems`: every registered connector's system, so a connection gauge is 0, not missing, before its first link. */
  constructor(systems: readonly string[] = []) {
    this.#systems = systems;
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'tradeloop_http_requests_total',
      help: 'HTTP requests answered by this process',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'tradeloop_http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: ['method', 'route', 'status'],
      buckets: durationBuckets,
      registers,
    });
    this.#gauges = storeGauges(this.registry);
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#requests.inc(labels);
    this.#duration.observe(labels, seconds);
  }

  middleware(): MiddlewareHandler<HttpEnv> {
    return async (c, next) => {
      const started = performance.now();
      try {
        await next();
      } finally {
        this.observe(c.req.method, routeLabel(c), c.res.status, (performance.now() - started) / 1000);
      }
    };
  }

  /** The exposition: the store read now, this app's requests, the process's default metrics. */
  async render(db: Db, now: number): Promise<string> {
    await collectStoreFigures(db, now, this.#gauges, this.#systems);
    this.#gauges.uptime.set(Math.round((Date.now() - this.startedAt) / 1000));
    this.#gauges.memory.set(process.memoryUsage().rss);
    const parts = [await this.registry.metrics(), await defaultMetrics().metrics()];
    return parts.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('');
  }
}

/** The registered route pattern (`/api/orders/:id`), so ids do not each make a series; pages are "web". */
function routeLabel(c: Context<HttpEnv>): string {
  if (!c.req.path.startsWith('/api/') && !['/health', '/ready', '/metrics'].includes(c.req.path)) return 'web';
  // The first route of this method with a concrete path (middleware and fallbacks are wildcards).
  const route = matchedRoutes(c).find(
    (r) => !r.path.endsWith('*') && (r.method === c.req.method || r.method === 'ALL'),
  );
  return route?.path ?? 'unmatched';
}

function storeGauges(registry: Registry) {
  const registers = [registry];
  return {
    jobs: new Gauge({
      name: 'tradeloop_jobs',
      help: 'Background jobs by task and state (every state of a task that has jobs, 0 included)',
      labelNames: ['task', 'state'],
      registers,
    }),
    due: new Gauge({
      name: 'tradeloop_jobs_due',
      help: 'Queued jobs whose time has come (waiting for a worker), every task together',
      registers,
    }),
    oldestDue: new Gauge({
      name: 'tradeloop_jobs_oldest_due_seconds',
      help: 'How long the longest-waiting due job has waited (0 when none is due): a stalled or missing worker shows here',
      registers,
    }),
    dueByTask: new Gauge({
      name: 'tradeloop_jobs_due_by_task',
      help: 'Queued jobs whose time has come, by task',
      labelNames: ['task'],
      registers,
    }),
    oldestDueByTask: new Gauge({
      name: 'tradeloop_jobs_oldest_due_seconds_by_task',
      help: 'How long the longest-waiting due job of a task has waited',
      labelNames: ['task'],
      registers,
    }),
    exports: new Gauge({
      name: 'tradeloop_exports',
      help: 'Exports (one per wholesale order and POS connection) by state',
      labelNames: ['state'],
      registers,
    }),
    connections: new Gauge({
      name: 'tradeloop_connections',
      help: 'Linked accounts by system and status (needs_relink wants a person)',
      labelNames: ['system', 'status'],
      registers,
    }),
    rateBudgets: new Gauge({
      name: 'tradeloop_rate_budget_used_ratio',
      help: 'How full a POS account rate budget was when last seen (0–1)',
      labelNames: ['budget'],
      registers,
    }),
    memory: new Gauge({
      name: 'tradeloop_process_resident_memory_bytes',
      help: 'Resident memory of this process (also process_resident_memory_bytes)',
      registers,
    }),
    uptime: new Gauge({ name: 'tradeloop_process_uptime_seconds', help: 'Seconds since this app started', registers }),
  };
}

/** Reads the store and sets every store gauge afresh (a series that vanished from the store goes to 0 or away). */
async function collectStoreFigures(
  db: Db,
  now: number,
  g: ReturnType<typeof storeGauges>,
  systems: readonly string[],
): Promise<void> {
  const [jobs, due, exportRows, connectionRows, budgets] = await Promise.all([
    figures.jobsByTaskAndState(db),
    figures.dueJobsByTask(db, now),
    figures.exportsByState(db),
    figures.connectionsBySystemAndStatus(db),
    figures.rateBudgetStates(db),
  ]);
  for (const gauge of [g.jobs, g.dueByTask, g.oldestDueByTask, g.exports, g.connections, g.rateBudgets]) gauge.reset();

  const tasks = new Set(jobs.map((j) => j.task));
  for (const task of tasks) {
    for (const state of jobStates) g.jobs.set({ task, state }, 0);
    g.dueByTask.set({ task }, 0);
    g.oldestDueByTask.set({ task }, 0);
  }
  for (const j of jobs) g.jobs.set({ task: j.task, state: j.state }, j.count);
  let oldest = 0;
  for (const d of due) {
    const waited = Math.max(0, (now - d.oldestRunAt) / 1000);
    g.dueByTask.set({ task: d.task }, d.count);
    g.oldestDueByTask.set({ task: d.task }, waited);
    oldest = Math.max(oldest, waited);
  }
  g.due.set(due.reduce((sum, d) => sum + d.count, 0));
  g.oldestDue.set(oldest);

  for (const state of exportStates) g.exports.set({ state }, 0);
  for (const e of exportRows) g.exports.set({ state: e.state }, e.count);
  for (const system of systems) for (const status of connectionStatuses) g.connections.set({ system, status }, 0);
  for (const c of connectionRows) g.connections.set({ system: c.system, status: c.status }, c.count);
  for (const b of budgets) {
    const used = usedRatio(b.state, now);
    if (used !== null) g.rateBudgets.set({ budget: b.budgetKey }, used);
  }
}

/** A stored budget (leaky bucket or request window) as the share in use, drained to `now`. */
function usedRatio(stateJson: string, now: number): number | null {
  try {
    const s = JSON.parse(stateJson) as Record<string, unknown>;
    if (s['kind'] === 'leaky-bucket' && typeof s['level'] === 'number' && typeof s['size'] === 'number') {
      const drip = typeof s['dripPerSecond'] === 'number' ? s['dripPerSecond'] : 0;
      const since = typeof s['updatedAt'] === 'number' ? Math.max(0, now - s['updatedAt']) / 1000 : 0;
      return s['size'] > 0 ? Math.min(1, Math.max(0, s['level'] - since * drip) / s['size']) : null;
    }
    if (s['kind'] === 'window' && typeof s['limit'] === 'number' && typeof s['remaining'] === 'number') {
      return s['limit'] > 0 ? Math.min(1, Math.max(0, 1 - s['remaining'] / s['limit'])) : null;
    }
  } catch {
    // an unreadable state is left out
  }
  return null;
}

/** Loopback, or the configured bearer token. */
export function mayReadMetrics(c: Context<HttpEnv>, token: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
    const wanted = Buffer.from(token);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }
  // A reverse proxy on this machine connects from loopback on behalf of anyone: a forwarded request is not local.
  if (c.req.header('x-forwarded-for') !== undefined || c.req.header('forwarded') !== undefined) return false;
  const remote = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket
    ?.remoteAddress;
  // In-process requests (tests, app.request) have no socket: they are this machine too.
  return remote === undefined || remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
}

export function registerMetrics(
  app: { get: (path: string, handler: (c: Context<HttpEnv>) => unknown) => unknown },
  ctx: AppContext,
  http: HttpMetrics,
): void {
  app.get('/metrics', async (c) => {
    if (!mayReadMetrics(c, ctx.config.metricsToken)) {
      return c.json(
        {
          error: {
            code: ctx.config.metricsToken ? 'METRICS_TOKEN_REQUIRED' : 'METRICS_FORBIDDEN',
            message: ctx.config.metricsToken
              ? 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>'
              : 'Metrics answer loopback clients only; set METRICS_TOKEN to scrape from elsewhere',
          },
        },
        errorStatus(ctx.config.metricsToken ? 'METRICS_TOKEN_REQUIRED' : 'METRICS_FORBIDDEN'),
      );
    }
    const text = await http.render(ctx.store.db, ctx.now());
    return c.body(text, 200, { 'content-type': http.registry.contentType });
  });
}
