import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { enqueue } from '../../src/jobs/queue.ts';
import { connections } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

/** `name{a="b"} 3` lines → value by series. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/**
 * The text format's rules that a scraper enforces: every sample's family has one HELP and one TYPE before its
 * samples, names and labels are well formed, values are numbers, and no series appears twice.
 */
function assertValidExposition(text: string): void {
  assert.ok(text.endsWith('\n'), 'ends with a newline');
  const typed = new Map<string, string>();
  const helped = new Set<string>();
  const seen = new Set<string>();
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (\S+)$/;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (kind === 'TYPE') {
        assert.ok(!typed.has(name), `one TYPE for ${name}`);
        assert.match(rest, /^(counter|gauge|histogram|summary|untyped)$/, `TYPE of ${name}`);
        typed.set(name, rest);
      } else {
        assert.ok(!helped.has(name), `one HELP for ${name}`);
        helped.add(name);
      }
      continue;
    }
    const match = sample.exec(line);
    assert.ok(match, `a well-formed sample: ${line}`);
    const [, name, , value] = match as unknown as [string, string, string | undefined, string];
    // Prometheus reads NaN and Inf in any case (prom-client writes "Nan" for an empty mean).
    assert.ok(!Number.isNaN(Number(value)) || /^([+-]Inf|NaN)$/i.test(value), `a number: ${line}`);
    const family = [...typed.keys()].find(
      (f) =>
        name === f ||
        (/^(histogram|summary)$/.test(typed.get(f)!) &&
          /^_(bucket|sum|count)$/.test(name.slice(f.length)) &&
          name.startsWith(f)),
    );
    assert.ok(family, `${name} follows its TYPE line`);
    const series = line.slice(0, line.lastIndexOf(' '));
    assert.ok(!seen.has(series), `${series} appears once`);
    seen.add(series);
  }
}

forEachDialect('metrics', (getStore) => {
  test('GET /metrics: jobs, due jobs and their wait, connections, rate budgets and HTTP requests, in the Prometheus format', async () => {
    const now = Date.UTC(2026, 10, 23, 12, 0);
    const t = createTestApp(getStore(), { now: () => now });
    const alice = await t.newTenant('Alice Outfitters');
    const bob = await t.newTenant('Bob Boards');
    await enqueue(t.ctx.store.db, { tenantId: alice.tenantId, task: 'orders.ingest', now: now - 90_000 });
    await enqueue(t.ctx.store.db, { tenantId: bob.tenantId, task: 'orders.ingest', now: now - 30_000 });
    await enqueue(t.ctx.store.db, { tenantId: bob.tenantId, task: 'orders.ingest', runAt: now + 60_000, now });
    const linked = await connections.create(t.ctx.store.db, alice.tenantId, {
      system: 'lightspeed-r',
      name: 'R',
      baseUrl: 'http://127.0.0.1:1',
      externalAccountId: '83050',
      secretId: null,
    });
    await connections.update(t.ctx.store.db, alice.tenantId, linked.id, { status: 'needs_relink' }, now);
    await t.ctx.store.db
      .insertInto('rate_budgets')
      .values({
        budget_key: 'lightspeed-r:83050:client',
        tenant_id: alice.tenantId,
        // 45 of 90 drips ten seconds ago, draining 1 a second: 35 now.
        state: JSON.stringify({
          kind: 'leaky-bucket',
          level: 45,
          size: 90,
          dripPerSecond: 1,
          updatedAt: now - 10_000,
          blockedUntil: 0,
        }),
        updated_at: now,
      })
      .execute();
    await t.call('GET', '/api/jobs', { token: alice.token });

    const response = await t.call('GET', '/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = String(response.body);
    assert.match(text, /# TYPE tradeloop_jobs gauge/);
    const m = parse(text);
    assert.equal(m.get('tradeloop_jobs{task="orders.ingest",state="queued"}'), 3, 'every tenant counted');
    assert.equal(m.get('tradeloop_jobs{task="orders.ingest",state="failed"}'), 0, 'every state of a known task');
    assert.equal(m.get('tradeloop_jobs_due'), 2, 'the one scheduled later is not due');
    assert.equal(m.get('tradeloop_jobs_oldest_due_seconds'), 90);
    assert.equal(m.get('tradeloop_jobs_due_by_task{task="orders.ingest"}'), 2);
    assert.equal(m.get('tradeloop_jobs_oldest_due_seconds_by_task{task="orders.ingest"}'), 90);
    assert.equal(m.get('tradeloop_connections{system="lightspeed-r",status="needs_relink"}'), 1);
    assert.ok(
      Math.abs((m.get('tradeloop_rate_budget_used_ratio{budget="lightspeed-r:83050:client"}') ?? 0) - 35 / 90) < 1e-9,
    );
    assert.equal(m.get('tradeloop_http_requests_total{method="GET",route="/api/jobs",status="200"}'), 1);
    assert.equal(
      m.get('tradeloop_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/jobs",status="200"}'),
      1,
    );
    assert.equal(m.get('tradeloop_connections{system="nuorder",status="linked"}'), 0, 'known label sets at 0');
    assert.ok((m.get('tradeloop_process_resident_memory_bytes') ?? 0) > 0);
    assert.ok((m.get('process_resident_memory_bytes') ?? 0) > 0, 'the default process metrics too');
    assert.ok(!text.includes(alice.tenantId), 'no tenant is named');

    // Ids in paths do not make a series each.
    await t.call('GET', '/api/jobs/00000000-0000-4000-8000-000000000001', { token: alice.token });
    await t.call('GET', '/api/jobs/00000000-0000-4000-8000-000000000002', { token: alice.token });
    const again = parse(String((await t.call('GET', '/metrics')).body));
    assert.equal(again.get('tradeloop_http_requests_total{method="GET",route="/api/jobs/:id",status="404"}'), 2);
  });

  test("an idle system: every gauge present at 0, Node's event loop, heap and GC figures, valid exposition", async () => {
    const t = createTestApp(getStore());
    const response = await t.call('GET', '/metrics');
    assert.equal(response.status, 200);
    const text = String(response.body);
    assertValidExposition(text);
    assert.match(text, /^tradeloop_jobs_due 0$/m);
    assert.match(text, /^tradeloop_jobs_oldest_due_seconds 0$/m);
    for (const state of ['in_progress', 'exported', 'failed'])
      assert.match(text, new RegExp(`^tradeloop_exports\\{state="${state}"\\} 0$`, 'm'));
    assert.match(text, /^tradeloop_connections\{system="lightspeed-x",status="needs_relink"\} 0$/m);
    const m = parse(text);
    assert.ok(Number.isFinite(m.get('nodejs_eventloop_lag_seconds')), 'event loop lag');
    assert.ok((m.get('nodejs_heap_size_used_bytes') ?? 0) > 0, 'heap');
    assert.match(text, /# TYPE nodejs_gc_duration_seconds histogram/, 'GC');
    assert.match(text, /# TYPE nodejs_eventloop_lag_seconds gauge/);
  });

  test('without METRICS_TOKEN, a request through a reverse proxy is not local: refused, saying how to allow it', async () => {
    const t = createTestApp(getStore());
    const proxied = await t.call('GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(proxied.status, 403);
    assert.equal(proxied.body.error.code, 'METRICS_FORBIDDEN');
    assert.match(proxied.body.error.message, /set METRICS_TOKEN/);
  });

  test('with METRICS_TOKEN set, /metrics wants the token', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent', METRICS_TOKEN: 'scrape-me-please-0123' });
    const t = createTestApp(getStore(), { config });
    const without = await t.call('GET', '/metrics');
    assert.equal(without.status, 401);
    assert.equal(without.body.error.code, 'METRICS_TOKEN_REQUIRED');
    const wrong = await t.call('GET', '/metrics', { headers: { authorization: 'Bearer scrape-me-please-0124' } });
    assert.equal(wrong.status, 401);
    const right = await t.call('GET', '/metrics', { headers: { authorization: 'Bearer scrape-me-please-0123' } });
    assert.equal(right.status, 200);
    assert.match(String(right.body), /tradeloop_jobs/);
  });

  test('a METRICS_TOKEN too short to be a secret stops start-up, naming the variable and hiding the value', () => {
    assert.throws(
      () => loadConfig({ METRICS_TOKEN: 'short' }),
      (error: Error) =>
        /METRICS_TOKEN: must be at least 16 characters/.test(error.message) && !error.message.includes('short"'),
    );
  });
});
