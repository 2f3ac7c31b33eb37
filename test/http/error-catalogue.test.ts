/**
 * Issue 13: one error catalogue (src/core/error-codes.ts). Every code thrown or answered in src/ is listed there,
 * and the HTTP answers and the OpenAPI document carry the catalogue's status for their code — for a user's
 * mistake (INVALID_INPUT 400), a missing record (NOT_FOUND 404), a state conflict (ORDER_ALREADY_EXPORTED 409),
 * a remote system's verdict (CONNECTION_NEEDS_RELINK 409) and no credentials (AUTH_REQUIRED 401).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { WholesaleOrder } from '../../src/core/wholesale-order.ts';
import { errorCatalogue, errorCode, isErrorCode, type ErrorCodeEntry } from '../../src/core/error-codes.ts';
import { AppError } from '../../src/core/errors.ts';
import { connections, exportPlans, exports, wholesaleOrders } from '../../src/store/repos/index.ts';
import { forEachDialect } from '../../src/store/testing.ts';
import { createTestApp } from '../support/app.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entries = Object.entries(errorCatalogue) as Array<[string, ErrorCodeEntry]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/** Every error code src/ names where an error is made or answered, with where. */
function codesInSource(): Map<string, string[]> {
  const files = sourceFiles(join(root, 'src')).filter((f) => !f.includes('/simulators/'));
  const texts = new Map(files.map((f) => [relative(root, f), readFileSync(f, 'utf8')]));
  // `new AppError(NAME, …)` with a constant: the constant's value, wherever it is defined.
  const constants = new Map<string, string>();
  for (const text of texts.values())
    for (const m of text.matchAll(/\bconst ([A-Z][A-Z0-9_]+) = '([A-Z][A-Z0-9_]+)'/g)) constants.set(m[1]!, m[2]!);
  const found = new Map<string, string[]>();
  const note = (code: string, where: string) => found.set(code, [...(found.get(code) ?? []), where]);
  for (const [file, text] of texts) {
    const lineOf = (index: number) => `${file}:${text.slice(0, index).split('\n').length}`;
    for (const m of text.matchAll(/\b(?:new AppError|conflict)\(\s*'([A-Z][A-Z0-9_]+)'/g)) note(m[1]!, lineOf(m.index));
    for (const m of text.matchAll(/\bnew AppError\(\s*([A-Z][A-Z0-9_]+)\s*,/g)) {
      const value = constants.get(m[1]!);
      assert.ok(value, `${lineOf(m.index)}: the constant ${m[1]} is not a string literal the test can read`);
      note(value, lineOf(m.index));
    }
    // Codes kept in constants for subclasses (core/ports/errors.ts: `super(REMOTE_REJECTED, …)`).
    for (const m of text.matchAll(/\bconst [A-Z][A-Z0-9_]+ = '([A-Z][A-Z0-9_]+)' satisfies ErrorCode/g))
      note(m[1]!, lineOf(m.index));
    // A code chosen by a condition: `new AppError(named ? 'A' : 'B', …)`.
    for (const m of text.matchAll(/\bnew AppError\(\s*[\w.]+\s*\?\s*'([A-Z0-9_]+)'\s*:\s*'([A-Z0-9_]+)'/g)) {
      note(m[1]!, lineOf(m.index));
      note(m[2]!, lineOf(m.index));
    }
    // Error bodies the HTTP layer writes itself, and the password policy's codes (thrown as AppError by auth.ts);
    // not the reply schemas (http/schemas/), whose `code` fields are a plan's line problems, not errors.
    if ((file.startsWith('src/http/') && !file.startsWith('src/http/schemas/')) || file.startsWith('src/auth/'))
      for (const m of text.matchAll(/\bcode: ([^\n]+)/g))
        for (const q of m[1]!.matchAll(/'([A-Z][A-Z0-9_]+)'/g)) note(q[1]!, lineOf(m.index));
  }
  return found;
}

test('the catalogue: SCREAMING_SNAKE codes, a 4xx/5xx status each, one-line descriptions; retryable only where a later try can help', () => {
  assert.ok(entries.length > 80, `${entries.length} codes`);
  for (const [code, entry] of entries) {
    assert.match(code, /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]+$/, code);
    assert.ok(entry.status >= 400 && entry.status <= 599, `${code}: ${entry.status}`);
    assert.ok(entry.description.length > 10 && !entry.description.includes('\n'), `${code}: description`);
    if (entry.retryable === true)
      assert.ok(entry.status >= 500 || entry.status === 429, `${code} is retryable but a ${entry.status}`);
  }
  assert.equal(errorCatalogue.REMOTE_UNAVAILABLE.status, 503);
  assert.equal(errorCatalogue.REMOTE_REJECTED.status, 502);
  assert.equal(isErrorCode('NO_SUCH_CODE'), false);
  assert.throws(() => errorCode('NO_SUCH_CODE'), /not in the error catalogue/);
});

test('AppError takes its status and retryability from the catalogue; a site may only say a failure is (not) retryable', () => {
  const rejected = new AppError('ORDER_ALREADY_EXPORTED', 'exported already');
  assert.equal(rejected.httpStatus, 409);
  assert.equal(rejected.retryable, false);
  const store = new AppError('STORE_UNAVAILABLE', 'down');
  assert.equal(store.httpStatus, 503);
  assert.equal(store.retryable, true, 'the code is retryable');
  assert.equal(new AppError('SALES_SALE_MISSING', 'gone', { retryable: true }).retryable, true);
  // @ts-expect-error a throw site cannot choose a status
  assert.equal(new AppError('INVALID_INPUT', 'bad', { httpStatus: 500 }).httpStatus, 400);
  // @ts-expect-error a code outside the catalogue does not compile
  assert.throws(() => new AppError('MADE_UP_CODE', 'no'));
});

test('every code src/ throws or answers is in the catalogue', (t) => {
  const found = codesInSource();
  assert.ok(found.size > 60, `found ${found.size} codes: the scan still reads the source`);
  for (const expected of ['NOT_FOUND', 'INVALID_INPUT', 'ORDER_ALREADY_EXPORTED', 'INVALID_JSON', 'BODY_TOO_LARGE'])
    assert.ok(found.has(expected), `the scan sees ${expected}`);
  const missing = [...found].filter(([code]) => !isErrorCode(code)).map(([code, where]) => `${code} (${where[0]})`);
  assert.deepEqual(missing, [], 'codes thrown in src/ but missing from src/core/error-codes.ts');
  const unused = entries.map(([code]) => code).filter((code) => !found.has(code));
  t.diagnostic(
    `${entries.length} codes in the catalogue, ${found.size} seen in src/; not seen by the scan: ${unused.join(', ')}`,
  );
  // The remote errors' codes are constants in core/ports/errors.ts: the scan reads them through the constants.
  for (const remote of ['REMOTE_REJECTED', 'REMOTE_UNAVAILABLE', 'REMOTE_CONTRACT_BROKEN', 'CONNECTION_NEEDS_RELINK'])
    assert.ok(found.has(remote), remote);
});

function order(i: number): WholesaleOrder {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    sourceId: `src-${i}`,
    orderNumber: String(4_200_000 + i),
    status: 'approved',
    brand: { sourceId: 'brand-1', name: 'Northwind' },
    retailer: { sourceId: 'retailer-1', name: 'Lakeside Goods' },
    customerPoNumber: null,
    currency: 'USD',
    shipWindow: { start: null, end: null },
    notes: '',
    createdAt: at,
    modifiedAt: at,
    billingAddress: null,
    shippingAddress: null,
    lines: [],
  } as unknown as WholesaleOrder;
}

forEachDialect('error catalogue over HTTP', (getStore) => {
  test('real answers carry the catalogue status of their code, and the document says the same', async () => {
    const app = createTestApp(getStore());
    const db = app.ctx.store.db;
    const { tenantId, token } = await app.newTenant('Lakeside Goods');
    const source = await connections.create(db, tenantId, {
      system: 'nuorder',
      name: 'Northwind',
      baseUrl: 'http://nuorder.test',
      externalAccountId: 'northwind',
      secretId: null,
    });
    const pos = await connections.create(db, tenantId, {
      system: 'lightspeed-x',
      name: 'Main store',
      baseUrl: 'http://x.test',
      externalAccountId: 'lakeside',
      secretId: null,
    });
    const stored = (await wholesaleOrders.upsertFromSource(db, tenantId, source.id, order(1))).stored;
    const plan = await exportPlans.create(db, tenantId, {
      now: Date.now(),
      connectionId: pos.id,
      locationId: 'outlet-1',
      orderIds: [stored.id],
      overrides: [],
      plan: { fingerprint: 'test', counts: { needsReview: 0 }, blockers: [], warnings: [] } as never,
      createdBy: 'user-1',
    });
    await exports.insertInProgress(db, tenantId, plan.id, pos.id, [stored.id]);
    for (const row of await exports.forPlan(db, tenantId, plan.id))
      await exports.update(db, tenantId, row.id, { state: 'exported' });

    const planBody = (orderIds: string[]) => ({ connectionId: pos.id, locationId: 'outlet-1', orderIds });
    const answers: Array<[string, { status: number; body: any }]> = [
      ['NOT_FOUND', await app.call('GET', `/api/jobs/${randomUUID()}`, { token })],
      ['INVALID_INPUT', await app.call('POST', '/api/plans', { token, body: planBody([]) })],
      [
        'INVALID_JSON',
        await app.call('POST', '/api/plans', {
          token,
          rawBody: '{"connectionId":',
          headers: { 'content-type': 'application/json' },
        }),
      ],
      ['AUTH_REQUIRED', await app.call('GET', '/api/jobs')],
      ['ORDER_ALREADY_EXPORTED', await app.call('POST', '/api/plans', { token, body: planBody([stored.id]) })],
    ];
    await connections.update(db, tenantId, pos.id, { status: 'needs_relink' });
    answers.push([
      'CONNECTION_NEEDS_RELINK',
      await app.call('POST', '/api/plans', { token, body: planBody([stored.id]) }),
    ]);

    for (const [code, answer] of answers) {
      assert.equal(answer.body?.error?.code, code, JSON.stringify(answer.body));
      assert.equal(answer.status, errorCatalogue[code as keyof typeof errorCatalogue].status, code);
    }
    assert.deepEqual(
      answers.map(([code, a]) => `${code} ${a.status}`),
      [
        'NOT_FOUND 404',
        'INVALID_INPUT 400',
        'INVALID_JSON 400',
        'AUTH_REQUIRED 401',
        'ORDER_ALREADY_EXPORTED 409',
        'CONNECTION_NEEDS_RELINK 409',
      ],
    );

    // The document: every code a route declares sits under the catalogue's status, e.g. createPlan's 409.
    const createPlan = app.router.routes().find((r) => r.operationId === 'createPlan');
    assert.ok(
      createPlan?.errors.get(409)?.includes('ORDER_ALREADY_EXPORTED'),
      'createPlan documents 409 ORDER_ALREADY_EXPORTED',
    );
    for (const route of app.router.routes())
      for (const [status, codes] of route.errors)
        for (const code of codes)
          assert.equal(
            status,
            errorCode(code) && errorCatalogue[errorCode(code)].status,
            `${route.operationId} ${code}`,
          );
  });
});
