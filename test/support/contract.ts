/**
 * Checks real replies of the Tradeloop API against its own OpenAPI document (`/api/openapi.json`), strictly:
 * JSON Schema 2020-12 (OpenAPI 3.1's dialect) in ajv's strict mode, formats checked, and the document's replies
 * closed (`additionalProperties: false`), so a field the document does not declare fails. Every reply is
 * recorded by operation and status, so a test can say which operations and statuses it has not seen yet.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, any>;

export interface Operation {
  operationId: string;
  method: string;
  template: string;
  pattern: RegExp;
  parameters: Json[];
  requestBody?: Json;
  security?: Json[];
  responses: Json;
}

export interface CheckedReply {
  status: number;
  body: any;
  headers: Headers;
}

const COMPONENTS = 'https://tradeloop.test/openapi/components';

export class ContractChecker {
  readonly document: Json;
  readonly #ajv: Ajv2020;
  readonly #operations: Operation[] = [];
  readonly #validators = new Map<string, ValidateFunction>();
  /** operationId → statuses seen. */
  readonly seen = new Map<string, Set<number>>();
  readonly problems: string[] = [];

  constructor(document: Json) {
    this.document = document;
    this.#ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    (addFormatsModule as unknown as (a: Ajv2020) => void)(this.#ajv);
    // The components as one schema resource, so every `#/components/schemas/X` resolves inside it.
    this.#ajv.addSchema({ $id: COMPONENTS, $defs: rewrite(document['components']['schemas']) });
    for (const [template, item] of Object.entries(document['paths'] as Json)) {
      for (const [method, op] of Object.entries(item as Json)) {
        const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
        this.#operations.push({
          operationId: op.operationId,
          method,
          template,
          pattern,
          parameters: op.parameters ?? [],
          requestBody: op.requestBody,
          security: op.security,
          responses: op.responses,
        });
      }
    }
  }

  /** Every operation in the document, with every status it documents. */
  documented(): Map<string, number[]> {
    return new Map(this.#operations.map((o) => [o.operationId, Object.keys(o.responses).map(Number)]));
  }

  /** The operation a request is for, or undefined when the document has none. */
  operationOf(method: string, path: string): Operation | undefined {
    const bare = path.split('?')[0] as string;
    const matching = this.#operations.filter((o) => o.method === method.toLowerCase() && o.pattern.test(bare));
    // A literal segment beats a parameter (`/api/connections/nuorder` over `/api/connections/{id}`).
    return matching.sort((a, b) => literalLength(b.template) - literalLength(a.template))[0];
  }

  /** Checks one reply; returns its problems (also kept in `problems`) and records what was seen. */
  check(method: string, path: string, reply: CheckedReply): string[] {
    const where = `${method.toUpperCase()} ${path} → ${reply.status}`;
    const op = this.operationOf(method, path);
    if (!op) return this.#fail([`${where}: no operation in the document`]);
    const seen = this.seen.get(op.operationId) ?? new Set<number>();
    seen.add(reply.status);
    this.seen.set(op.operationId, seen);
    if (process.env['CONTRACT_TRACE'])
      console.error(`TRACE ${op.operationId} ${reply.status} ${reply.body?.error?.code ?? ''}`);
    const response = op.responses[String(reply.status)] as Json | undefined;
    if (!response) return this.#fail([`${where}: status not documented for ${op.operationId}`]);
    const contentType = (reply.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!response['content']) {
      if (reply.status >= 300 && reply.status < 400 && !reply.headers.get('location'))
        return this.#fail([`${where}: a redirect without Location`]);
      return [];
    }
    const media = (response['content'] as Json)[contentType] as Json | undefined;
    if (!media) return this.#fail([`${where}: answered ${contentType || 'no content type'}, not documented`]);
    if (contentType !== 'application/json') return [];
    const validate = this.#validator(`${op.operationId} ${reply.status}`, media['schema'] as Json);
    if (validate(reply.body)) return [];
    return this.#fail(errorsOf(validate).map((e) => `${where}: ${e}`));
  }

  /** Documented statuses no reply has shown yet, as `operationId status`. */
  unseen(): string[] {
    const missing: string[] = [];
    for (const [operationId, statuses] of this.documented()) {
      const seen = this.seen.get(operationId) ?? new Set<number>();
      for (const status of statuses) if (!seen.has(status)) missing.push(`${operationId} ${status}`);
    }
    return missing;
  }

  #validator(key: string, schema: Json): ValidateFunction {
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile(rewrite(schema) as Json);
      this.#validators.set(key, validate);
    }
    return validate;
  }

  #fail(problems: string[]): string[] {
    this.problems.push(...problems);
    return problems;
  }
}

const literalLength = (template: string): number => template.replace(/\{[^}]+\}/g, '').length;

function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
        ? `${COMPONENTS}#/$defs/${v.slice('#/components/schemas/'.length)}`
        : rewrite(v),
    ]),
  );
}

function errorsOf(validate: ValidateFunction): string[] {
  return (validate.errors ?? [])
    .slice(0, 8)
    .map((e: ErrorObject) =>
      e.keyword === 'additionalProperties'
        ? `${e.instancePath || '(body)'}/${String(e.params['additionalProperty'])}: not in the document`
        : `${e.instancePath || '(body)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
    );
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Who calls: the tenant's API token (default), its signed-in session, the session without its CSRF token, nobody. */
  as?: 'token' | 'session' | 'session-without-csrf' | 'nobody';
}

export interface RecordedCall {
  method: string;
  path: string;
  options: CallOptions;
}

interface Caller {
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<CheckedReply>;
}

/**
 * The API as one organization calls it, every reply checked against the document. The first request of each
 * operation that succeeded is kept, so the sweeps (contract-sweeps.ts) can send it again in a worse situation.
 */
export class ContractClient {
  readonly succeeded = new Map<string, RecordedCall>();
  readonly #app: Caller;
  readonly #checker: ContractChecker;
  readonly #token: string;
  #session: { cookie: string; csrfToken: string } | undefined;

  constructor(app: Caller, checker: ContractChecker, token: string) {
    this.#app = app;
    this.#checker = checker;
    this.#token = token;
  }

  get checker(): ContractChecker {
    return this.#checker;
  }

  /** Signs in (through the API, so the sign-in is checked too) for calls `as: 'session'`. */
  async signIn(email: string, password: string): Promise<void> {
    const reply = await this.call('POST', '/api/auth/login', { as: 'nobody', body: { email, password } });
    if (reply.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(reply.body)}`);
    const cookie = (reply.headers.get('set-cookie') ?? '').split(';')[0] as string;
    this.#session = { cookie, csrfToken: reply.body.csrfToken as string };
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<CheckedReply> {
    const headers = { ...this.#authHeaders(options.as ?? 'token'), ...(options.headers ?? {}) };
    const reply = await this.#app.call(method, path, {
      headers,
      ...(options.body === undefined ? {} : { body: options.body }),
      ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
    });
    this.#checker.check(method, path, reply);
    const op = this.#checker.operationOf(method, path);
    if (op && reply.status < 400 && !this.succeeded.has(op.operationId))
      this.succeeded.set(op.operationId, { method, path, options });
    return reply;
  }

  /** Calls and insists on the status (and the error code, for an error): the body, for the next step. */
  async expect(status: number, method: string, path: string, options: CallOptions & { code?: string } = {}) {
    const reply = await this.call(method, path, options);
    const got = `${reply.status} ${reply.body?.error?.code ?? ''}`.trim();
    const wanted = `${status} ${options.code ?? (status >= 400 ? (reply.body?.error?.code ?? '') : '')}`.trim();
    if (got !== wanted)
      throw new Error(`${method} ${path}: wanted ${wanted}, got ${got}: ${JSON.stringify(reply.body).slice(0, 600)}`);
    return reply.body;
  }

  #authHeaders(as: NonNullable<CallOptions['as']>): Record<string, string> {
    if (as === 'nobody') return {};
    if (as === 'token') return { authorization: `Bearer ${this.#token}` };
    if (!this.#session) throw new Error('sign in first');
    return as === 'session'
      ? { cookie: this.#session.cookie, 'x-csrf-token': this.#session.csrfToken }
      : { cookie: this.#session.cookie };
  }
}

/**
 * Tries a call to a simulator once more when the first try finds the kept-alive connection closed under it (the
 * sweeps leave a simulator idle for longer than its keep-alive, and fetch does not retry a POST by itself).
 */
export async function retryOnReset<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    return call();
  }
}

/** A simulator's control API (`RunningSim.control`), with `retryOnReset`. */
export function simControl(
  sim: { control(method: string, path: string, body?: unknown): Promise<any> },
  method: string,
  path: string,
  body?: unknown,
): Promise<any> {
  return retryOnReset(() => sim.control(method, path, body));
}
