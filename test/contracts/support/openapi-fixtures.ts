/**
 * Synthetic replies in exactly an OpenAPI schema's shape (for the X-Series 2.0 resources, which have no recorded
 * traffic: the spec is the best evidence there is). One body per variant a connector must read:
 * - `every property`: every declared property, with a value of its declared type and format;
 * - `nullable as null`: the same, with every `nullable` property null;
 * - `required and needed only`: only what the spec marks required plus the fields the caller names as needed (what
 *   the connector truly reads); every other property left out, as the spec allows;
 * - `arrays empty`: every array empty.
 * Values are invented (uuids from a counter, `text n`); `hints` give string-encoded numbers the spec types as plain
 * strings (its own examples show `"10.00000"`), in the recorded-shapes notation (`string:decimal`).
 */
import type { OpenApi } from '../lightspeed-x-spec-defects.ts';

type Schema = Record<string, any>;
type Mode = 'full' | 'nulls' | 'minimal' | 'empty';

export interface SchemaFixtureOptions {
  /** Dotted paths without array positions (`data.id`) kept in the minimal variant besides the required ones. */
  needed?: string[];
  /** Dotted path → leaf hint for strings that carry numbers (`data.count` → `string:decimal`). */
  hints?: Record<string, string>;
}

function resolve(spec: OpenApi, schema: Schema): Schema {
  let out = schema;
  while (typeof out.$ref === 'string') out = spec.components.schemas[out.$ref.split('/').pop() as string] as Schema;
  if (Array.isArray(out.allOf)) {
    const parts = (out.allOf as Schema[]).map((p) => resolve(spec, p));
    out = {
      ...out,
      type: 'object',
      properties: Object.assign({}, ...parts.map((p) => p.properties ?? {}), out.properties ?? {}),
      required: [...parts.flatMap((p) => p.required ?? []), ...(out.required ?? [])],
    };
  }
  const alternatives = out.anyOf ?? out.oneOf;
  if (Array.isArray(alternatives)) out = resolve(spec, alternatives[0] as Schema);
  return out;
}

class Generator {
  n = 0;
  readonly spec: OpenApi;
  readonly mode: Mode;
  readonly options: SchemaFixtureOptions;
  constructor(spec: OpenApi, mode: Mode, options: SchemaFixtureOptions) {
    this.spec = spec;
    this.mode = mode;
    this.options = options;
  }

  leaf(schema: Schema, path: string): unknown {
    const n = ++this.n;
    const hint = this.options.hints?.[path];
    if (hint === 'string:decimal') return `${n}.00000`;
    if (hint === 'string:int') return String(n);
    if (Array.isArray(schema.enum)) return schema.enum[n % schema.enum.length];
    const format = String(schema.format ?? '').toLowerCase();
    switch (schema.type) {
      case 'integer':
        return n;
      case 'number':
        return n + 0.5;
      case 'boolean':
        return n % 2 === 0;
      default:
        if (format === 'uuid') return `${String(n).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
        if (format === 'date-time') return `2026-03-${String((n % 28) + 1).padStart(2, '0')}T10:00:00+00:00`;
        if (format === 'email') return `person${n}@store.example`;
        return `${path.split('.').pop() ?? 'text'} ${n}`;
    }
  }

  keep(key: string, path: string, required: string[]): boolean {
    if (this.mode !== 'minimal') return true;
    if (required.includes(key)) return true;
    return (this.options.needed ?? []).some((p) => p === path || p.startsWith(`${path}.`));
  }

  value(raw: Schema, path: string): unknown {
    const schema = resolve(this.spec, raw);
    if (this.mode === 'nulls' && (schema.nullable === true || raw.nullable === true) && path !== '') return null;
    if (schema.type === 'array' || schema.items) {
      if (this.mode === 'empty') return [];
      return [0, 1].map(() => this.value((schema.items ?? {}) as Schema, path));
    }
    if (schema.type === 'object' || schema.properties) {
      const out: Record<string, unknown> = {};
      const required: string[] = schema.required ?? [];
      for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
        const childPath = path ? `${path}.${key}` : key;
        if (this.keep(key, childPath, required)) out[key] = this.value(child, childPath);
      }
      return out;
    }
    return this.leaf(schema, path);
  }
}

export function schemaFixtureVariants(
  spec: OpenApi,
  schema: Schema,
  options: SchemaFixtureOptions = {},
): Array<{ name: string; value: unknown }> {
  const names: Record<Mode, string> = {
    full: 'every property',
    nulls: 'nullable as null',
    minimal: 'required and needed only',
    empty: 'arrays empty',
  };
  return (Object.keys(names) as Mode[]).map((mode) => ({
    name: names[mode],
    value: new Generator(spec, mode, options).value(schema, ''),
  }));
}

/** The reply schema of an operation, e.g. `('/products', 'get', '200')`. */
export function replySchema(spec: OpenApi, path: string, method: string, status: string): Schema {
  const schema = spec.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the spec declares no ${status} JSON reply for ${method.toUpperCase()} ${path}`);
  return schema as Schema;
}

/** The spec's own example reply of an operation, if it has one. */
export function replyExample(spec: OpenApi, path: string, method: string, status: string): unknown {
  return spec.paths[path]?.[method]?.responses?.[status]?.content?.['application/json']?.example;
}
