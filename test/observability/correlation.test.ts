/**
 * Issue 17, acceptance 4 (logs): one correlation id from the request through the job to each outside call, and a
 * failed export told in one line with its ids and the reason. The real app, worker and simulators over HTTP; the
 * log is the app's own pino logger writing to an array (test/support/app.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCredentials } from '../../src/flows/credentials.ts';
import { createWorker } from '../../src/jobs/index.ts';
import { jobHandlers } from '../../src/main.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { startEngine, type EngineHarness } from '../support/engine.ts';

type Line = Record<string, unknown> & { msg: string; event?: string; correlationId?: string };

/** The lines written since `from`, parsed. */
function linesSince(e: EngineHarness, from: number): Line[] {
  return e.app.logLines.slice(from).flatMap((chunk) =>
    chunk
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Line),
  );
}

/** An order of the demo that plans with nothing to review, planned; its id and the plan's. */
async function plannedOrder(
  e: EngineHarness,
  skip: readonly string[] = [],
): Promise<{ orderId: string; planId: string }> {
  const call = (method: string, path: string, body?: unknown) =>
    e.app.call(method, path, { token: e.token, ...(body === undefined ? {} : { body }) });
  const locations = (await call('GET', `/api/connections/${e.posConnection.id}/locations`)).body.locations;
  const orders = (await call('GET', '/api/orders?limit=100')).body.orders as Array<{ id: string }>;
  for (const order of orders.filter((o) => !skip.includes(o.id))) {
    const planned = await call('POST', '/api/plans', {
      connectionId: e.posConnection.id,
      locationId: locations[0].id,
      orderIds: [order.id],
    });
    assert.equal(planned.status, 201, JSON.stringify(planned.body));
    if (planned.body.canApply) return { orderId: order.id, planId: planned.body.id };
  }
  throw new Error('no demo order plans without review');
}

/** Every secret the run holds: the API token, the NuORDER OAuth 1.0a keys and the POS OAuth 2 tokens. */
async function secretsOf(e: EngineHarness): Promise<string[]> {
  const held = [e.token];
  for (const connection of [...e.sources, e.posConnection]) {
    const credentials = await loadCredentials(e.ctx, e.tenantId, connection.id);
    if (credentials.kind === 'oauth2') held.push(credentials.tokens.accessToken, credentials.tokens.refreshToken ?? '');
    if (credentials.kind === 'oauth1')
      held.push(credentials.consumerSecret, credentials.token, credentials.tokenSecret);
  }
  return held.filter((s) => s.length >= 8);
}

forEachDialect('correlation ids and failure lines', (getStore) => {
  test('the request id is on the request line, the job lines and the outside calls; a refused export is one line with its ids and reason; no secret is logged', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    // The worker as src/main.ts makes it: with the app's logger.
    const worker = createWorker({ store: e.ctx.store, handlers: jobHandlers(e.ctx), logger: e.ctx.logger });
    try {
      await worker.drain();
      const posHost = new URL(e.pos.url).host;

      // 1. An export that succeeds, asked for with the caller's own request id.
      const ok = await plannedOrder(e);
      const requestId = 'req-obs.0001:A';
      const from = e.app.logLines.length;
      const applied = await e.app.call('POST', `/api/plans/${ok.planId}/apply`, {
        token: e.token,
        headers: { 'x-request-id': requestId },
      });
      assert.equal(applied.status, 202, JSON.stringify(applied.body));
      assert.equal(applied.headers.get('x-request-id'), requestId, 'the id is answered');
      await worker.drain();
      const lines = linesSince(e, from);
      const mine = lines.filter((l) => l.correlationId === requestId);

      const request = mine.find((l) => l.event === 'http.request');
      assert.ok(request, 'the request line carries the id');
      assert.equal(request['path'], `/api/plans/${ok.planId}/apply`);
      assert.equal(request['tenantId'], e.tenantId);

      const jobStart = mine.find((l) => l.event === 'job.start' && l['task'] === 'export.apply');
      const jobFinish = mine.find((l) => l.event === 'job.finish' && l['task'] === 'export.apply');
      assert.ok(jobStart && jobFinish, 'the job logs its start and finish with the id');
      assert.equal(jobStart['tenantId'], e.tenantId);
      assert.equal(typeof jobFinish['ms'], 'number');
      const sagaFinish = mine.find((l) => l.event === 'saga.finish');
      assert.ok(sagaFinish, 'the saga logs its finish with the id');
      assert.equal(sagaFinish['planId'], ok.planId);
      assert.equal(sagaFinish['orderId'], ok.orderId);

      const calls = mine.filter((l) => l.event === 'http.call');
      assert.ok(calls.length >= 2, `the outside calls carry the id (${calls.length})`);
      assert.ok(
        calls.every((c) => c['host'] === posHost && typeof c['status'] === 'number' && c['tenantId'] === e.tenantId),
        `each names the POS host, the status and the tenant: ${JSON.stringify(calls)}`,
      );
      // The request itself reads the POS (is the plan still fresh?); the job makes the writes.
      const jobCalls = calls.filter((c) => c['jobId'] === jobStart['jobId']);
      assert.ok(jobCalls.length >= 2, "the job's calls name the job");
      assert.ok(calls.every((c) => c['jobId'] === undefined || c['jobId'] === jobStart['jobId']));
      assert.ok(jobCalls.some((c) => c['method'] === 'POST' && c['path'] === '/api/2.0/consignments'));
      assert.ok(
        calls.every((c) => !String(c['path']).includes('?')),
        'paths without their query',
      );
      // Every POS call made during the run is one of them: nothing outside went untagged.
      const untagged = lines.filter((l) => l.event === 'http.call' && l.correlationId !== requestId);
      assert.deepEqual(untagged, [], 'no outside call of this export without the id');

      // 2. The POS refuses the purchase order: the export fails for good.
      const refused = await plannedOrder(e, [ok.orderId]);
      await e.pos.control('POST', '/_sim/faults', {
        kind: 'error',
        method: 'POST',
        path: '/api/2.0/consignments',
        status: 422,
        times: 1,
        body: { error: 'Supplier is inactive' },
      });
      const failFrom = e.app.logLines.length;
      const failedApply = await e.app.call('POST', `/api/plans/${refused.planId}/apply`, {
        token: e.token,
        headers: { 'x-correlation-id': 'req-obs-0002' },
      });
      assert.equal(failedApply.status, 202);
      await worker.drain();
      const progress = await e.app.call('GET', `/api/plans/${refused.planId}/progress`, { token: e.token });
      const [exportRow] = progress.body.exports;
      assert.equal(exportRow.state, 'failed');

      const failLines = linesSince(e, failFrom);
      const failures = failLines.filter((l) => l.event === 'saga.fail');
      assert.equal(failures.length, 1, `one failure line: ${JSON.stringify(failures)}`);
      const [failure] = failures as [Line];
      assert.equal(failure.correlationId, 'req-obs-0002');
      assert.equal(failure['tenantId'], e.tenantId);
      assert.equal(failure['exportId'], exportRow.id);
      assert.equal(failure['orderId'], refused.orderId);
      assert.equal(failure['planId'], refused.planId);
      const job = failLines.find((l) => l.event === 'job.start' && l['task'] === 'export.apply');
      assert.ok(job);
      assert.equal(failure['jobId'], job['jobId']);
      assert.match(String(failure['reason']), /Supplier is inactive/);
      assert.ok(
        failLines.some((l) => l.event === 'http.call' && l['status'] === 422 && l.correlationId === 'req-obs-0002'),
        'the refused call is logged with the id',
      );

      // 3. No secret in any line of the whole run.
      const everything = e.app.logLines.join('');
      for (const secret of await secretsOf(e)) assert.ok(!everything.includes(secret), 'a secret reached the log');
      assert.doesNotMatch(everything, /Bearer /);
    } finally {
      await worker.stop({ graceMs: 1000 });
      await e.close();
    }
  });

  test('an unusable request id is replaced: only a short token is taken', async () => {
    const e = await startEngine(getStore(), 'lightspeed-x', { brands: 1 });
    try {
      const tooLong = 'x'.repeat(101);
      for (const given of ['a b', 'id"<script>', 'a/../b', tooLong, '']) {
        const response = await e.app.call('GET', '/api/jobs', { token: e.token, headers: { 'x-request-id': given } });
        assert.equal(response.status, 200);
        const answered = response.headers.get('x-request-id') ?? '';
        assert.notEqual(answered, given);
        assert.match(answered, /^[0-9a-f-]{36}$/, 'a new id is made');
      }
    } finally {
      await e.close();
    }
  });
});
