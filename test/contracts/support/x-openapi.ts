/**
 * The official X-Series "API 2.0" OpenAPI document (test/contracts/specs/), with its known defects patched from the
 * one list in ../lightspeed-x-spec-defects.ts, and validators over it:
 * - `responseValidator(path, method, status)`: a reply against the spec as written (open: real services add fields);
 * - `requestValidator(method, apiPath)`: a body the connector sends, against the spec with every object CLOSED
 *   (`additionalProperties: false` wherever the spec leaves it open), so a field the API does not declare, which
 *   the real API may drop or refuse, fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { specDefects, type OpenApi } from '../lightspeed-x-spec-defects.ts';

const specFile = join(import.meta.dirname, '..', 'specs', 'lightspeed-x-series-openapi-2.0.json');

/** A fresh copy of the document with every listed defect patched. */
export function loadXSpec(): OpenApi {
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as OpenApi;
  for (const defect of specDefects) defect.patch(spec);
  return spec;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  ajv.addFormat('UUID', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  for (const f of ['string', 'double', 'int64', 'int32', 'float', 'integer']) ajv.addFormat(f, true);
  return ajv;
}

function errorsOf(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e: ErrorObject) =>
    e.keyword === 'additionalProperties'
      ? `${e.instancePath || '(body)'}/${String(e.params.additionalProperty)}: not in the spec`
      : `${e.instancePath || '(body)'}: ${e.message ?? e.keyword}`,
  );
}

let responseAjv: Ajv | undefined;

/** Validates a reply for a spec path (`/products/{product_id}`); returns the problems (empty when it fits). */
export function responseValidator(path: string, method: string, status: string): (data: unknown) => string[] {
  if (!responseAjv) {
    responseAjv = newAjv();
    responseAjv.addSchema(loadXSpec(), 'openapi');
  }
  const pointer = `openapi#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`;
  const validate = responseAjv.compile({ $ref: pointer });
  return (data) => (validate(data) ? [] : errorsOf(validate));
}

// ---------------------------------------------------------------------------------------------------------
// Requests, closed

type Schema = Record<string, any>;

/** Inlines `$ref`s, merges `allOf`, and closes every object the spec leaves open. */
function closed(schema: Schema, spec: OpenApi, trail: string[] = []): Schema {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop() as string;
    if (trail.includes(name)) return {};
    return closed(spec.components.schemas[name] as Schema, spec, [...trail, name]);
  }
  let out: Schema = { ...schema };
  if (Array.isArray(out.allOf)) {
    const parts = (out.allOf as Schema[]).map((p) => closed(p, spec, trail));
    const { allOf: _allOf, ...rest } = out;
    out = {
      ...rest,
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), rest.properties ?? {}),
      required: [...new Set([...parts.flatMap((p) => p.required ?? []), ...(rest.required ?? [])])],
    };
  }
  if (out.properties)
    out.properties = Object.fromEntries(
      Object.entries(out.properties as Record<string, Schema>).map(([k, v]) => [k, closed(v, spec, trail)]),
    );
  if (out.items) out.items = closed(out.items as Schema, spec, trail);
  for (const key of ['oneOf', 'anyOf'])
    if (Array.isArray(out[key])) out[key] = (out[key] as Schema[]).map((s) => closed(s, spec, trail));
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** `/api/2.0/consignments/9f…/bulk` → `/consignments/{consignment_id}/bulk`, by the spec's path templates. */
export function specPathOf(spec: OpenApi, apiPath: string): string | undefined {
  const rest = apiPath.replace(/^\/api\/2\.0/, '');
  return Object.keys(spec.paths).find((template) =>
    new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`).test(rest),
  );
}

/** The closed schema a request body must fit, or undefined when the spec declares none for the call. */
export function requestSchema(spec: OpenApi, method: string, apiPath: string): Schema | undefined {
  const m = method.toLowerCase();
  if (apiPath === '/api/2.1/products' && m === 'post')
    return closed({ $ref: '#/components/schemas/Product21AddRequest' }, spec);
  if (/^\/api\/2\.1\/products\/[^/]+$/.test(apiPath) && m === 'put')
    return closed({ $ref: '#/components/schemas/Product21UpdateRequest' }, spec);
  if (!apiPath.startsWith('/api/2.0/')) return undefined;
  const template = specPathOf(spec, apiPath);
  const body = template ? spec.paths[template]?.[m]?.requestBody?.content?.['application/json']?.schema : undefined;
  return body ? closed(body as Schema, spec) : undefined;
}

/** Validates one request body against its closed schema; throws when the spec has none for the call. */
export function requestValidator(spec: OpenApi, method: string, apiPath: string): (body: unknown) => string[] {
  const schema = requestSchema(spec, method, apiPath);
  if (!schema) throw new Error(`the spec declares no request body for ${method} ${apiPath}`);
  const validate = newAjv().compile(schema);
  return (body) => (validate(body) ? [] : errorsOf(validate));
}
