/**
 * The contract test's sweeps: each operation's first successful request (kept by the ContractClient) sent again
 * in a worse situation — without credentials, without the CSRF token, with a body that is not JSON or too
 * large, with an input out of its schema, for an id nobody has, while a remote system fails, while the store
 * refuses. The answers are checked against the document like every other reply; each sweep also insists on the
 * status it is about where nothing else can come first.
 */
import { sql } from 'kysely';
import type { Db } from '../../src/store/db.ts';
import { connections } from '../../src/store/repos/index.ts';
import { retryOnReset, simControl, type ContractClient, type Operation, type RecordedCall } from './contract.ts';
import type { RunningSim } from './simulators.ts';

type Json = Record<string, any>;

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function recorded(api: ContractClient): Array<RecordedCall & { op: Operation }> {
  return [...api.succeeded.values()].map((call) => ({ ...call, op: api.checker.operationOf(call.method, call.path)! }));
}

const isPublic = (op: Operation): boolean => Array.isArray(op.security) && op.security.length === 0;

async function insist(api: ContractClient, call: RecordedCall, status: number, label: string): Promise<void> {
  const reply = await api.call(call.method, call.path, call.options);
  if (reply.status !== status)
    throw new Error(`${label}: ${call.method} ${call.path} answered ${reply.status} ${JSON.stringify(reply.body)}`);
}

export async function requestSweeps(api: ContractClient, bodyLimitBytes: number): Promise<void> {
  for (const call of recorded(api)) {
    if (isPublic(call.op)) continue;
    await insist(api, { ...call, options: { ...call.options, as: 'nobody' } }, 401, 'no credentials');
    if (unsafe.has(call.method))
      await insist(api, { ...call, options: { ...call.options, as: 'session-without-csrf' } }, 403, 'no CSRF token');
  }
  for (const call of recorded(api).filter((c) => c.op.requestBody)) {
    const json = { 'content-type': 'application/json' };
    const as = call.options.as ?? 'token';
    await insist(api, { ...call, options: { as, rawBody: '{"unfinished":', headers: json } }, 400, 'not JSON');
    const large = JSON.stringify({ padding: 'x'.repeat(bodyLimitBytes) });
    await insist(api, { ...call, options: { as, rawBody: large, headers: json } }, 413, 'too large');
  }
  for (const call of recorded(api)) await invalidInput(api, call);
  for (const call of recorded(api).filter((c) => c.op.parameters.some((p) => p.in === 'path')))
    await insist(api, { ...call, path: withUnknownIds(call) }, 404, 'unknown id');
}

/** Tries inputs out of the schema until one is refused with 400 INVALID_INPUT (some routes accept anything). */
async function invalidInput(api: ContractClient, call: RecordedCall & { op: Operation }): Promise<void> {
  const tries: RecordedCall[] = [];
  if (call.op.requestBody) tries.push({ ...call, options: { ...call.options, body: [] } });
  for (const parameter of call.op.parameters) {
    const bad = outOfSchema(parameter['schema'] as Json);
    // An empty path segment is another path (no route), not a bad value.
    if (bad === undefined || (bad === '' && parameter['in'] === 'path')) continue;
    if (parameter['in'] === 'path') tries.push({ ...call, path: withParameter(call, parameter['name'], bad) });
    else tries.push({ ...call, path: withQuery(call.path, parameter['name'], bad) });
  }
  for (const attempt of tries) {
    const reply = await api.call(attempt.method, attempt.path, attempt.options);
    if (reply.status === 400) return;
  }
}

function outOfSchema(schema: Json): string | undefined {
  if (Array.isArray(schema['enum'])) return 'not-one-of-them';
  if (schema['type'] === 'integer' || schema['type'] === 'number') return 'not-a-number';
  if (schema['format'] === 'uuid') return 'not-a-uuid';
  if (typeof schema['maxLength'] === 'number') return 'x'.repeat(schema['maxLength'] + 1);
  if (typeof schema['minLength'] === 'number' && schema['minLength'] > 0) return '';
  return undefined;
}

function segments(call: RecordedCall & { op: Operation }): Array<{ value: string; param: string | null }> {
  const [bare] = call.path.split('?') as [string];
  const template = call.op.template.split('/');
  return bare.split('/').map((value, i) => ({ value, param: /^\{(.+)\}$/.exec(template[i] ?? '')?.[1] ?? null }));
}

function withParameter(call: RecordedCall & { op: Operation }, name: string, value: string): string {
  const query = call.path.includes('?') ? `?${call.path.split('?')[1]}` : '';
  return (
    segments(call)
      .map((s) => (s.param === name ? encodeURIComponent(value) : s.value))
      .join('/') + query
  );
}

function withUnknownIds(call: RecordedCall & { op: Operation }): string {
  let path = call.path;
  for (const parameter of call.op.parameters.filter((p) => p.in === 'path')) {
    const schema = parameter['schema'] as Json;
    const unknown = schema['type'] === 'integer' ? '987654' : crypto.randomUUID();
    path = withParameter({ ...call, path }, parameter['name'], unknown);
  }
  return path;
}

function withQuery(path: string, name: string, value: string): string {
  const [bare, query = ''] = path.split('?') as [string, string?];
  const params = new URLSearchParams(query);
  params.set(name, value);
  return `${bare}?${params.toString()}`;
}

/**
 * Every request of a route that calls a remote system (it documents 502) that once succeeded, sent again while
 * the simulators fail the given way (the answers are whatever each route makes of it: checked, and counted).
 */
export async function remoteSweep(api: ContractClient, sims: FaultTarget[], fault: Json): Promise<void> {
  for (const sim of sims) await retryOnReset(() => sim.fault(fault));
  try {
    for (const call of recorded(api).filter((c) => c.op.responses['502'])) {
      await api.call(call.method, call.path, call.options);
    }
  } finally {
    for (const sim of sims) await retryOnReset(() => sim.clearFaults());
  }
}

/**
 * Every request that once succeeded, sent again while the organization's connections need to be linked again
 * (their authorization was lost): the routes that use one answer 409 CONNECTION_NEEDS_RELINK.
 */
export async function relinkSweep(api: ContractClient, db: Db, tenantId: string): Promise<void> {
  const linked = (await connections.list(db, tenantId)).filter((c) => c.status === 'linked');
  for (const c of linked) await connections.update(db, tenantId, c.id, { status: 'needs_relink' }, Date.now());
  try {
    for (const call of recorded(api).filter((c) => c.op.responses['409'])) {
      await api.call(call.method, call.path, call.options);
    }
  } finally {
    for (const c of linked) await connections.update(db, tenantId, c.id, { status: 'linked' }, Date.now());
  }
}

/** A simulator's fault control (the sales harness has it already; a RunningSim through its control API). */
export interface FaultTarget {
  fault(rule: Json): Promise<void>;
  clearFaults(): Promise<void>;
}

export const faultsOf = (sim: RunningSim): FaultTarget => ({
  fault: async (rule) => void (await simControl(sim, 'POST', '/_sim/faults', rule)),
  clearFaults: async () => void (await simControl(sim, 'DELETE', '/_sim/faults')),
});

/**
 * The store fails under every route: read-only (503 STORE_UNAVAILABLE: even a read records the token's use) and
 * missing its tables (500 INTERNAL, the generic answer with a request id). SQLite only: the faults are pragmas and
 * renames on the test's own file.
 */
export async function storeSweeps(api: ContractClient, db: Db): Promise<void> {
  // Signing out ends the session the other calls use: last.
  const calls = recorded(api).sort(
    (a, b) => Number(a.op.operationId === 'signOut') - Number(b.op.operationId === 'signOut'),
  );
  await sql`PRAGMA query_only = 1`.execute(db);
  try {
    for (const call of calls) await api.call(call.method, call.path, call.options);
  } finally {
    await sql`PRAGMA query_only = 0`.execute(db);
  }
  const tables = ['api_tokens', 'sessions', 'login_throttles'];
  for (const table of tables) await sql.raw(`ALTER TABLE ${table} RENAME TO ${table}_away`).execute(db);
  try {
    for (const call of calls) await api.call(call.method, call.path, call.options);
  } finally {
    for (const table of tables) await sql.raw(`ALTER TABLE ${table}_away RENAME TO ${table}`).execute(db);
  }
}
