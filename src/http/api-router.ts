import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { ErrorCode } from '../core/error-codes.ts';
import type { HttpEnv } from './env.ts';
import { errorStatus } from './error-statuses.ts';
import { buildOpenApiDocument, type DocumentedRoute, type DocumentInfo } from './openapi.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Hono-style path (`/api/jobs/:id`); the OpenAPI document shows it as `/api/jobs/{id}`. */
  path: string;
  /** The operation's name in the document and in generated clients: a verb and a noun (`listOrders`, `applyPlan`). */
  operationId: string;
  summary: string;
  tag: string;
  /** `public` routes need no session or token; everything else does. */
  access?: 'public' | 'user';
  body?: B;
  query?: Q;
  params?: P;
  response: R;
  status?: 200 | 201 | 202;
  description?: string;
  /**
   * The error codes this route answers besides the ones every route of its kind may (router-added: a refused
   * request, no session, a missing CSRF token, not found by id, a body too large, the store unavailable). Codes of
   * the error catalogue (core/error-codes.ts), which gives their statuses.
   */
  errors?: readonly ErrorCode[];
  /** The route answers a redirect (a browser coming back from a consent page), not JSON. */
  redirect?: 302 | 303;
  /** The route also answers CSV when asked: what the CSV holds. */
  csv?: string;
  handler(input: {
    c: Context<HttpEnv>;
    body: z.output<B>;
    query: z.output<Q>;
    params: z.output<P>;
  }): Promise<Reply<z.input<R>> | Response> | Reply<z.input<R>> | Response;
}

/** A reply is only serialised: the read-only values core and the store hand out fit as they are. */
type Reply<T> =
  T extends ReadonlyArray<infer U>
    ? ReadonlyArray<Reply<U>>
    : T extends object
      ? { readonly [K in keyof T]: Reply<T[K]> }
      : T;

const emptyObject = z.object({});

/**
 * Registers routes whose requests are validated by zod schemas, and keeps those same schemas to
 * generate the OpenAPI document, so the document cannot disagree with what the API accepts.
 */
export class ApiRouter {
  readonly #app: Hono<HttpEnv>;
  readonly #routes: DocumentedRoute[] = [];

  constructor(app: Hono<HttpEnv>) {
    this.#app = app;
  }

  route<
    B extends z.ZodType = typeof emptyObject,
    Q extends z.ZodType = typeof emptyObject,
    P extends z.ZodType = typeof emptyObject,
    R extends z.ZodType = z.ZodType,
  >(spec: RouteSpec<B, Q, P, R>): void {
    const status = spec.status ?? 200;
    if (this.#routes.some((r) => r.operationId === spec.operationId))
      throw new Error(`operationId ${spec.operationId} is used twice`);
    this.#routes.push({
      method: spec.method,
      path: spec.path,
      operationId: spec.operationId,
      summary: spec.summary,
      description: spec.description,
      tag: spec.tag,
      access: spec.access ?? 'user',
      body: spec.body,
      query: spec.query,
      params: spec.params,
      response: spec.response,
      status,
      errors: routeErrors(spec),
      redirect: spec.redirect,
      csv: spec.csv,
    });
    this.#app.on(spec.method.toUpperCase(), spec.path, async (c) => {
      const params = (spec.params ?? emptyObject).parse(c.req.param()) as z.output<P>;
      const query = (spec.query ?? emptyObject).parse(c.req.query()) as z.output<Q>;
      let body = {} as z.output<B>;
      if (spec.body) body = spec.body.parse(await readJsonBody(c)) as z.output<B>;
      const result = await spec.handler({ c, body, query, params });
      if (result instanceof Response) return result;
      return c.json(result as object, status);
    });
  }

  /** Paths that need no session or token (the auth middleware consults this). */
  isPublic(method: string, path: string): boolean {
    return this.#routes.some(
      (r) => r.access === 'public' && r.method === method.toLowerCase() && matches(r.path, path),
    );
  }

  /** Every route as the document shows it (tests walk them). */
  routes(): ReadonlyArray<DocumentedRoute> {
    return this.#routes;
  }

  openApiDocument(info: DocumentInfo): Record<string, unknown> {
    return buildOpenApiDocument(this.#routes, info);
  }
}

/**
 * Every status a route can answer besides its reply, each with its codes: what the router and the middleware
 * answer for a route of its kind, and the codes the route declares (their statuses from the error catalogue).
 */
function routeErrors(spec: {
  method: Method;
  access?: 'public' | 'user' | undefined;
  body?: unknown;
  query?: unknown;
  params?: unknown;
  errors?: readonly ErrorCode[] | undefined;
  redirect?: number | undefined;
}): ReadonlyMap<number, readonly string[]> {
  const codes: ErrorCode[] = [];
  if (spec.body || spec.query || spec.params) codes.push('INVALID_INPUT');
  if (spec.body) codes.push('INVALID_JSON', 'BODY_TOO_LARGE');
  if (spec.access !== 'public') codes.push('AUTH_REQUIRED');
  if (spec.access !== 'public' && spec.method !== 'get') codes.push('CSRF_TOKEN_INVALID');
  if (spec.params) codes.push('NOT_FOUND');
  codes.push(...(spec.errors ?? []));
  // A public redirect (a remote system sending the browser back) answers any failure of its own with a redirect.
  if (!(spec.redirect && spec.access === 'public')) codes.push('INTERNAL', 'STORE_UNAVAILABLE');
  const byStatus = new Map<number, string[]>();
  for (const code of new Set(codes)) {
    const status = errorStatus(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

function matches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.replace(/:[A-Za-z_]\w*/g, '[^/]+')}$`);
  return re.test(path);
}

async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BadJsonError();
  }
}

export class BadJsonError extends Error {
  constructor() {
    super('The request body is not valid JSON');
    this.name = 'BadJsonError';
  }
}
