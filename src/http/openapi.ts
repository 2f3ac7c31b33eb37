/**
 * The OpenAPI 3.1 document, written from the routes' own zod schemas (api-router.ts), so the document cannot
 * disagree with what the API accepts and answers. Schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect: a
 * nullable field is `anyOf [..., {type: null}]` or `type: [..., "null"]`, never 3.0's `nullable`); a schema
 * with `meta({ id })` is one component; replies are strict (`additionalProperties: false`).
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { errorBody } from './schemas/common.ts';

type Json = { [key: string]: unknown };
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What the document needs of a route (api-router.ts records it). */
export interface DocumentedRoute {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  description?: string | undefined;
  tag: string;
  access: 'public' | 'user';
  body?: z.ZodType | undefined;
  query?: z.ZodType | undefined;
  params?: z.ZodType | undefined;
  response: z.ZodType;
  status: number;
  /** The answers besides the reply, by status: each with the codes it carries. */
  errors: ReadonlyMap<number, readonly string[]>;
  /** The route answers a redirect (a browser's way back from a consent page), not JSON. */
  redirect?: 302 | 303 | undefined;
  /** The route also answers CSV when asked (`format=csv`). */
  csv?: string | undefined;
}

export interface DocumentInfo {
  title: string;
  version: string;
  serverUrl: string;
}

const tagDescriptions: Record<string, string> = {
  meta: 'This document',
  auth: 'Sign-in, sessions and API tokens',
  jobs: 'Background jobs: their state, failures, retry and cancel',
  orders: 'Wholesale orders and their POS-sync status',
  connections: 'Linked accounts: NuORDER brand portals, Lightspeed stores, NetSuite',
  exports: 'Export plans (the review) and exports (order → POS purchase order)',
  mappings: "A POS connection's brand → supplier and ship-to → location mappings",
  pricing: "A POS connection's pricing policy for new items",
  forecast: 'Brands and their pre-flight forecast',
  'sales-orders': 'The sales sync between NetSuite and X-Series',
  web: 'Reads the web app needs: guide progress, health, catalog search, synced purchase orders',
};

const statusWords: Record<number, string> = {
  400: 'The request is invalid; the message names what is wrong (`details` lists field paths)',
  401: 'No valid session or API token',
  403: 'Refused: a session write without its CSRF token, or a cross-site request',
  404: 'Not found (also for another organization’s resources)',
  409: 'Conflicts with the current state of what the request names',
  413: 'The request body is too large',
  415: 'The body is not of the media type the route takes',
  429: 'Too many attempts; try again after Retry-After',
  500: 'Something went wrong on our side; the error was logged with the request id',
  502: 'A remote system refused the call or answered something unexpected',
  503: 'The database or a remote system is unavailable right now; try again after Retry-After',
};

export function buildOpenApiDocument(routes: readonly DocumentedRoute[], info: DocumentInfo): Json {
  const schemas = new SchemaSet();
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    paths[path] ??= {};
    paths[path][route.method] = operation(route, schemas);
  }
  schemas.reply(errorBody); // the one error body: a component every error answer points at
  const tags = [...new Set(routes.map((r) => r.tag))].sort();
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      version: info.version,
      description:
        'Wholesale purchase orders (NuORDER) into the point of sale (Lightspeed X-Series / R-Series), and NetSuite sales orders into X-Series. Times are ISO 8601 in UTC; lists page with `limit` and `offset` and say their `total`; every error answers the one `Error` body.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: info.serverUrl }],
    tags: tags.map((name) => ({ name, description: tagDescriptions[name] ?? name })),
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token from `tradeloop tokens create`' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tl_session',
          description: 'The web app’s session; a write with it also needs the `x-csrf-token` header from /api/auth/me',
        },
      },
      schemas: schemas.components,
    },
  };
}

function operation(route: DocumentedRoute, schemas: SchemaSet): Json {
  const parameters = [
    ...schemas.parameters(route.params, 'path', route.operationId),
    ...schemas.parameters(route.query, 'query', route.operationId),
  ];
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemas.request(route.body, route.operationId) } },
          },
        }
      : {}),
    responses: { ...successResponse(route, schemas), ...errorResponses(route.errors) },
  };
}

function successResponse(route: DocumentedRoute, schemas: SchemaSet): Json {
  if (route.redirect) {
    return {
      [String(route.redirect)]: {
        description: 'Sends the browser on (to the Connections page, with `linked` or `error` in the query)',
        headers: { Location: { description: 'Where to go next', schema: { type: 'string' } } },
      },
    };
  }
  const content: Json = { 'application/json': { schema: schemas.reply(route.response) } };
  if (route.csv) content['text/csv'] = { schema: { type: 'string', description: route.csv } };
  return { [String(route.status)]: { description: 'OK', content } };
}

function errorResponses(errors: ReadonlyMap<number, readonly string[]>): Json {
  const responses: Json = {};
  for (const [status, codes] of [...errors].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `${statusWords[status] ?? 'Refused'}. Codes: ${codes.join(', ')}`,
      content: {
        'application/json': {
          schema: {
            allOf: [
              { $ref: '#/components/schemas/Error' },
              { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } },
            ],
          },
        },
      },
    };
  }
  return responses;
}

/**
 * Converts zod schemas into the document's schemas. Named schemas (`meta({ id })`) of replies become
 * components; requests are inlined (their input form differs: defaults make fields optional, unknown fields
 * are not refused), except what is recursive, which must stay a reference.
 */
class SchemaSet {
  readonly components: Record<string, Json> = {};

  reply(schema: z.ZodType): Json {
    const { root, defs } = convert(schema, 'output');
    for (const [id, def] of Object.entries(defs)) this.#add(id, def);
    return rewriteRefs(root) as Json;
  }

  request(schema: z.ZodType, operationId: string): Json {
    const { root, defs } = convert(schema, 'input');
    return this.#inline(root, defs, operationId);
  }

  parameters(schema: z.ZodType | undefined, location: 'path' | 'query', operationId: string): Json[] {
    if (!schema) return [];
    const json = this.request(schema, operationId) as { properties?: Record<string, Json>; required?: string[] };
    return Object.entries(json.properties ?? {}).map(([name, property]) => {
      const { description, ...rest } = property;
      return {
        name,
        in: location,
        required: location === 'path' || (json.required ?? []).includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      };
    });
  }

  #add(id: string, def: Json): void {
    const rewritten = rewriteRefs(def) as Json;
    const existing = this.components[id];
    if (existing && !isDeepStrictEqual(existing, rewritten))
      throw new Error(`Two different schemas are both named ${id} in the OpenAPI document`);
    this.components[id] = rewritten;
  }

  #inline(root: Json, defs: Record<string, Json>, operationId: string): Json {
    const resolve = (node: unknown, stack: readonly string[]): unknown => {
      if (Array.isArray(node)) return node.map((n) => resolve(n, stack));
      if (node === null || typeof node !== 'object') return node;
      const ref = (node as Json)['$ref'];
      if (typeof ref === 'string' && ref.startsWith('#/$defs/')) {
        const id = ref.slice('#/$defs/'.length);
        const def = defs[id];
        if (!def) throw new Error(`${operationId}: unknown schema ${id}`);
        // A recursive schema stays a component: its input form, named apart when it differs from the reply's.
        if (stack.includes(id)) return { $ref: `#/components/schemas/${this.#inputComponent(id, defs)}` };
        return resolve(def, [...stack, id]);
      }
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, stack)]));
    };
    return resolve(root, []) as Json;
  }

  #inputComponent(id: string, defs: Record<string, Json>): string {
    const def = rewriteRefs(defs[id]) as Json;
    const name = this.components[id] === undefined || isDeepStrictEqual(this.components[id], def) ? id : `${id}Input`;
    this.components[name] = def;
    return name;
  }
}

function convert(schema: z.ZodType, io: 'input' | 'output'): { root: Json; defs: Record<string, Json> } {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'throw' }) as Json;
  const { $schema: _dialect, $defs, ...root } = json;
  const defs = ($defs ?? {}) as Record<string, Json>;
  const unnamed = Object.keys(defs).find((id) => id.startsWith('__schema'));
  if (unnamed) throw new Error(`A recursive or shared schema has no meta({ id }); zod named it ${unnamed}`);
  return { root, defs };
}

/** zod's `#/$defs/X` becomes the document's `#/components/schemas/X`. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
        ? `#/components/schemas/${v.slice('#/$defs/'.length)}`
        : rewriteRefs(v),
    ]),
  );
}
