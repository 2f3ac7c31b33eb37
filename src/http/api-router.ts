import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { HttpEnv } from './env.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Hono-style path (`/api/jobs/:id`); the OpenAPI document shows it as `/api/jobs/{id}`. */
  path: string;
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
  handler(input: {
    c: Context<HttpEnv>;
    body: z.output<B>;
    query: z.output<Q>;
    params: z.output<P>;
  }): Promise<z.input<R> | Response> | z.input<R> | Response;
}

interface RecordedRoute {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: 'public' | 'user';
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  response: z.ZodType;
  status: number;
  description?: string;
}

const emptyObject = z.object({});

/**
 * Registers routes whose requests are validated by zod schemas, and keeps those same schemas to
 * generate the OpenAPI document, so the document cannot disagree with what the API accepts.
 */
export class ApiRouter {
  readonly #app: Hono<HttpEnv>;
  readonly #routes: RecordedRoute[] = [];

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
    this.#routes.push({
      method: spec.method,
      path: spec.path,
      summary: spec.summary,
      tag: spec.tag,
      access: spec.access ?? 'user',
      ...(spec.body ? { body: spec.body } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      response: spec.response,
      status,
      ...(spec.description ? { description: spec.description } : {}),
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

  routes(): ReadonlyArray<{ method: Method; path: string; access: 'public' | 'user' }> {
    return this.#routes.map((r) => ({ method: r.method, path: r.path, access: r.access }));
  }

  /** Paths that need no session or token (the auth middleware consults this). */
  isPublic(method: string, path: string): boolean {
    return this.#routes.some(
      (r) => r.access === 'public' && r.method === method.toLowerCase() && matches(r.path, path),
    );
  }

  openApiDocument(info: { title: string; version: string; serverUrl: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.#routes) {
      const openApiPath = route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
      const parameters = [...schemaParameters(route.params, 'path'), ...schemaParameters(route.query, 'query')];
      paths[openApiPath] ??= {};
      (paths[openApiPath] as Record<string, unknown>)[route.method] = {
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        tags: [route.tag],
        ...(route.access === 'public' ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(route.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: toSchema(route.body, 'input') } },
              },
            }
          : {}),
        responses: {
          [String(route.status)]: {
            description: 'OK',
            content: { 'application/json': { schema: toSchema(route.response, 'output') } },
          },
          ...(route.body || route.query || route.params
            ? { '400': errorResponse('The request is invalid; `details` lists the field paths') }
            : {}),
          ...(route.access === 'public' ? {} : { '401': errorResponse('No valid session or API token') }),
          '404': errorResponse('Not found (also for another organization’s resources)'),
        },
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: info.title, version: info.version },
      servers: [{ url: info.serverUrl }],
      components: {
        securitySchemes: {
          bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token from `tradeloop tokens create`' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'tl_session' },
        },
        schemas: { Error: toSchema(errorBody, 'output') },
      },
      security: [{ bearerToken: [] }, { sessionCookie: [] }],
      paths,
    };
  }
}

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});

function errorResponse(description: string): object {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): object {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as object;
}

function schemaParameters(schema: z.ZodType | undefined, location: 'path' | 'query'): object[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input') as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
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
