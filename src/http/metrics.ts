import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { AppContext } from '../app-context.ts';
import type { Db } from '../store/db.ts';
import type { HttpEnv } from './env.ts';

/**
 * `GET /metrics` in the Prometheus text format, for the operator: the job queue (by task and state, how
 * many are due, how long the oldest due one has waited), exports by state, connections by system and
 * status (a "needs_relink" is an alert), the shared POS rate budgets, and this process's HTTP requests
 * and memory. The store figures are for the whole installation, whichever process is scraped; tenants
 * are not named. Open to loopback clients; anyone else needs `Authorization: Bearer $METRICS_TOKEN`.
 */

const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface RequestSeries {
  count: number;
  sum: number;
  buckets: number[];
}

/** This process's HTTP requests, by method, route pattern and status. */
export class HttpMetrics {
  readonly #series = new Map<string, RequestSeries>();
  readonly startedAt = Date.now();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = JSON.stringify([method, route, String(status)]);
    let series = this.#series.get(key);
    if (!series) this.#series.set(key, (series = { count: 0, sum: 0, buckets: durationBuckets.map(() => 0) }));
    series.count++;
    series.sum += seconds;
    durationBuckets.forEach((le, i) => {
      if (seconds <= le) series.buckets[i]!++;
    });
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

  render(out: MetricsWriter): void {
    out.family('tradeloop_http_requests_total', 'counter', 'HTTP requests answered by this process');
    for (const [key, s] of this.#series) out.sample('tradeloop_http_requests_total', labels(key), s.count);
    out.family('tradeloop_http_request_duration_seconds', 'histogram', 'Time to answer an HTTP request');
    for (const [key, s] of this.#series) {
      const base = labels(key);
      durationBuckets.forEach((le, i) =>
        out.sample('tradeloop_http_request_duration_seconds_bucket', { ...base, le: String(le) }, s.buckets[i]!),
      );
      out.sample('tradeloop_http_request_duration_seconds_bucket', { ...base, le: '+Inf' }, s.count);
      out.sample('tradeloop_http_request_duration_seconds_sum', base, s.sum);
      out.sample('tradeloop_http_request_duration_seconds_count', base, s.count);
    }
  }
}

function labels(key: string): Record<string, string> {
  const [method, route, status] = JSON.parse(key) as [string, string, string];
  return { method, route, status };
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

export class MetricsWriter {
  readonly #lines: string[] = [];

  family(name: string, type: 'counter' | 'gauge' | 'histogram', help: string): void {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }

  sample(name: string, labelSet: Record<string, string>, value: number): void {
    const pairs = Object.entries(labelSet).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
    this.#lines.push(`${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`);
  }

  text(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}

/** What the store holds now, for every tenant together. */
export async function renderStoreMetrics(db: Db, now: number, out: MetricsWriter): Promise<void> {
  const jobs = await db
    .selectFrom('jobs')
    .select(['task', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['task', 'state'])
    .execute();
  out.family('tradeloop_jobs', 'gauge', 'Background jobs by task and state');
  for (const j of jobs) out.sample('tradeloop_jobs', { task: j.task, state: j.state }, Number(j.n));

  const due = await db
    .selectFrom('jobs')
    .select(['task', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('run_at').as('oldest')])
    .where('state', '=', 'queued')
    .where('run_at', '<=', now)
    .groupBy('task')
    .execute();
  out.family('tradeloop_jobs_due', 'gauge', 'Queued jobs whose time has come (waiting for a worker)');
  for (const d of due) out.sample('tradeloop_jobs_due', { task: d.task }, Number(d.n));
  out.family(
    'tradeloop_jobs_oldest_due_seconds',
    'gauge',
    'How long the longest-waiting due job has waited: a stalled or missing worker shows here',
  );
  for (const d of due)
    out.sample('tradeloop_jobs_oldest_due_seconds', { task: d.task }, Math.max(0, (now - Number(d.oldest)) / 1000));

  const exportRows = await db
    .selectFrom('exports')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  out.family('tradeloop_exports', 'gauge', 'Exports (one per wholesale order and POS connection) by state');
  for (const e of exportRows) out.sample('tradeloop_exports', { state: e.state }, Number(e.n));

  const connectionRows = await db
    .selectFrom('connections')
    .select(['system', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['system', 'status'])
    .execute();
  out.family('tradeloop_connections', 'gauge', 'Linked accounts by system and status (needs_relink wants a person)');
  for (const c of connectionRows)
    out.sample('tradeloop_connections', { system: c.system, status: c.status }, Number(c.n));

  const budgets = await db.selectFrom('rate_budgets').select(['budget_key', 'state']).execute();
  out.family(
    'tradeloop_rate_budget_used_ratio',
    'gauge',
    'How full a POS account rate budget was when last seen (0–1)',
  );
  for (const b of budgets) {
    const used = usedRatio(b.state, now);
    if (used !== null) out.sample('tradeloop_rate_budget_used_ratio', { budget: b.budget_key }, used);
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
            code: 'METRICS_FORBIDDEN',
            message: ctx.config.metricsToken
              ? 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>'
              : 'Metrics answer loopback clients only; set METRICS_TOKEN to scrape from elsewhere',
          },
        },
        ctx.config.metricsToken ? 401 : 403,
      );
    }
    const out = new MetricsWriter();
    await renderStoreMetrics(ctx.store.db, ctx.now(), out);
    http.render(out);
    const memory = process.memoryUsage();
    out.family('tradeloop_process_resident_memory_bytes', 'gauge', 'Resident memory of this process');
    out.sample('tradeloop_process_resident_memory_bytes', {}, memory.rss);
    out.family('tradeloop_process_uptime_seconds', 'gauge', 'Seconds since this process started');
    out.sample('tradeloop_process_uptime_seconds', {}, Math.round((Date.now() - http.startedAt) / 1000));
    return c.body(out.text(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
  });
}
