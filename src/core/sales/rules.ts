/**
 * Sales-order rules: which NetSuite sales orders are sent to X-Series, and as which mapped status. A rule set
 * is versioned configuration (a JSON document); this module validates it, evaluates it against one order's
 * facts (first matching rule wins), and explains why an order matched nothing. Pure: no I/O.
 */
import {
  defaultStatusMapping,
  isXSaleStatus,
  nsOrderStatusNames,
  sendableStatuses,
  xStatusLabels,
  type NsOrderStatus,
  type StatusMappingEntry,
  type XSaleStatus,
} from './status.ts';

// ---------------------------------------------------------------------------------------------
// The facts a rule can test, taken from one NetSuite sales order

export type Fulfilment = 'pickup' | 'delivery' | 'ship';

export interface OrderFacts {
  id: string;
  tranId: string;
  status: NsOrderStatus;
  fulfilment: Fulfilment;
  location: string | null;
  shipMethod: string | null;
  customForm: 'invoice' | 'cashSale' | 'other';
  customer: string | null;
  memo: string | null;
  otherRefNum: string | null;
  externalId: string | null;
  total: number;
  /** The X-Series sale id NetSuite already carries (custbody_tl_xseries_sale_id), if any. */
  xseriesSaleId: string | null;
  /** Custom body fields (`custbody…`), as NetSuite returns them. */
  custom: Record<string, unknown>;
}

type FieldKind = 'enum' | 'string' | 'number';

interface FieldSpec {
  kind: FieldKind;
  values?: readonly string[];
  description: string;
  /** Always present on an order (so exists/not_exists make no sense). */
  always?: boolean;
}

export const ruleFields: Record<string, FieldSpec> = {
  status: {
    kind: 'enum',
    values: nsOrderStatusNames,
    always: true,
    description: 'The NetSuite order status (BILLED, PENDING_FULFILLMENT, …)',
  },
  fulfilment: {
    kind: 'enum',
    values: ['pickup', 'delivery', 'ship'],
    always: true,
    description: 'Store pickup, delivery from the store, or shipping',
  },
  customForm: {
    kind: 'enum',
    values: ['invoice', 'cashSale', 'other'],
    always: true,
    description: 'What billing creates: invoice or cash sale',
  },
  location: { kind: 'string', description: 'The order’s location name' },
  shipMethod: { kind: 'string', description: 'The ship method name' },
  customer: { kind: 'string', description: 'The customer (entity) name' },
  memo: { kind: 'string', description: 'The order memo' },
  otherRefNum: { kind: 'string', description: 'The customer’s PO number' },
  externalId: { kind: 'string', description: 'The order’s external id' },
  xseriesSaleId: { kind: 'string', description: 'An X-Series sale id NetSuite already carries' },
  total: { kind: 'number', always: true, description: 'The order total' },
};

/** Custom body fields may be tested too: `custbody_…`. */
const customFieldPattern = /^custbody[a-z0-9_]*$/i;

export const ruleOperators = [
  'is',
  'is_not',
  'in',
  'not_in',
  'contains',
  'exists',
  'not_exists',
  'gt',
  'gte',
  'lt',
  'lte',
] as const;
export type RuleOperator = (typeof ruleOperators)[number];

export type ConditionValue = string | number | boolean | string[];

export interface Condition {
  field: string;
  op: RuleOperator;
  value?: ConditionValue;
}

export interface Rule {
  id: string;
  name: string;
  enabled: boolean;
  when: Condition[];
  /** false: orders this rule matches are deliberately not sent. */
  send: boolean;
  /** A status mapping key (required when send is true). */
  status?: string;
}

export interface RuleSetDocument {
  mapping: StatusMappingEntry[];
  rules: Rule[];
  /** Ship method names that mean store pickup (a line's Store Pickup choice also does). */
  pickupShipMethods: string[];
  /** Ship method names that mean local delivery from the store. */
  deliveryShipMethods: string[];
}

/** What a new organization starts with: In8Sync's mapping and its three example conditions, plus parked orders. */
export function defaultRuleSet(): RuleSetDocument {
  return {
    mapping: defaultStatusMapping(),
    rules: [
      {
        id: 'billed-pickup',
        name: 'Send BILLED orders for pickup',
        enabled: true,
        when: [
          { field: 'status', op: 'is', value: 'BILLED' },
          { field: 'fulfilment', op: 'is', value: 'pickup' },
        ],
        send: true,
        status: 'AWAITING_PICKUP',
      },
      {
        id: 'delivery-from-store',
        name: 'Send for delivery from store',
        enabled: true,
        when: [
          { field: 'fulfilment', op: 'is', value: 'delivery' },
          { field: 'status', op: 'in', value: ['PENDING_FULFILLMENT', 'PENDING_BILLING', 'BILLED'] },
        ],
        send: true,
        status: 'AWAITING_DISPATCH',
      },
      {
        id: 'billed-duplicate',
        name: 'Send duplicate BILLED orders',
        enabled: true,
        when: [{ field: 'status', op: 'is', value: 'BILLED' }],
        send: true,
        status: 'CLOSED',
      },
      {
        id: 'pickup-to-pay',
        name: 'Park pickup orders to be paid in store',
        enabled: true,
        when: [
          { field: 'status', op: 'is', value: 'PENDING_FULFILLMENT' },
          { field: 'fulfilment', op: 'is', value: 'pickup' },
        ],
        send: true,
        status: 'SAVED',
      },
    ],
    pickupShipMethods: ['Store Pickup'],
    deliveryShipMethods: ['Local Delivery'],
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface RuleIssue {
  /** Where: `rules[2].when[0].field`, `mapping[1].xStatus`, … */
  path: string;
  /** The rule's name (or "mapping …"), when the issue is about one. */
  rule?: string;
  field?: string;
  message: string;
}

export type ValidationResult = { ok: true; document: RuleSetDocument } | { ok: false; issues: RuleIssue[] };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const quote = (v: unknown): string => JSON.stringify(v);

function ruleLabel(index: number, name: unknown): string {
  return typeof name === 'string' && name.trim() !== '' ? `Rule ${index + 1} "${name.trim()}"` : `Rule ${index + 1}`;
}

/**
 * Checks a rule set from outside (the API, the CLI, a file). Every problem is reported, each naming the rule and
 * the field: unknown fields, bad statuses and values, and rules that contradict each other or themselves.
 */
export function validateRuleSet(input: unknown): ValidationResult {
  const issues: RuleIssue[] = [];
  if (!isObject(input))
    return { ok: false, issues: [{ path: '(root)', message: 'A rule set must be an object with mapping and rules' }] };
  for (const key of Object.keys(input)) {
    if (!['mapping', 'rules', 'pickupShipMethods', 'deliveryShipMethods'].includes(key)) {
      issues.push({
        path: key,
        field: key,
        message: `Unknown setting "${key}" (known: mapping, rules, pickupShipMethods, deliveryShipMethods)`,
      });
    }
  }

  const mapping = validateMapping(input.mapping, issues);
  const keys = new Set(mapping.map((m) => m.key));
  const pickup = stringList(input.pickupShipMethods ?? ['Store Pickup'], 'pickupShipMethods', issues);
  const delivery = stringList(input.deliveryShipMethods ?? ['Local Delivery'], 'deliveryShipMethods', issues);
  for (const name of pickup) {
    if (delivery.includes(name)) {
      issues.push({
        path: 'deliveryShipMethods',
        field: 'deliveryShipMethods',
        message: `Ship method "${name}" cannot mean both pickup and delivery`,
      });
    }
  }

  const rules: Rule[] = [];
  if (!Array.isArray(input.rules)) {
    issues.push({
      path: 'rules',
      field: 'rules',
      message: 'rules must be a list (it may be empty: then no order is sent)',
    });
  } else {
    const ids = new Set<string>();
    input.rules.forEach((raw, index) => {
      const rule = validateRule(raw, index, keys, mapping, issues);
      if (!rule) return;
      if (ids.has(rule.id)) {
        issues.push({
          path: `rules[${index}].id`,
          rule: rule.name,
          field: 'id',
          message: `${ruleLabel(index, rule.name)}: id "${rule.id}" is used by an earlier rule`,
        });
      }
      ids.add(rule.id);
      rules.push(rule);
    });
    if (issues.length === 0) findContradictions(rules, mapping, issues);
  }

  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, document: { mapping, rules, pickupShipMethods: pickup, deliveryShipMethods: delivery } };
}

function stringList(value: unknown, path: string, issues: RuleIssue[]): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
    issues.push({ path, field: path, message: `${path} must be a list of ship method names` });
    return [];
  }
  return value.map((v: string) => v.trim());
}

function validateMapping(value: unknown, issues: RuleIssue[]): StatusMappingEntry[] {
  if (value === undefined) return defaultStatusMapping();
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({ path: 'mapping', field: 'mapping', message: 'mapping must be a non-empty list of statuses' });
    return [];
  }
  const out: StatusMappingEntry[] = [];
  const seen = new Set<string>();
  value.forEach((raw, i) => {
    const where = `mapping[${i}]`;
    if (!isObject(raw)) {
      issues.push({ path: where, message: `Mapping entry ${i + 1} must be an object` });
      return;
    }
    const key = raw.key;
    const label = typeof key === 'string' ? `Mapping "${key}"` : `Mapping entry ${i + 1}`;
    for (const k of Object.keys(raw)) {
      if (!['key', 'xStatus', 'label', 'paid', 'description'].includes(k)) {
        issues.push({
          path: `${where}.${k}`,
          rule: label,
          field: k,
          message: `${label}: unknown field "${k}" (known: key, xStatus, label, paid, description)`,
        });
      }
    }
    if (typeof key !== 'string' || !/^[A-Z][A-Z0-9_]{0,39}$/.test(key)) {
      issues.push({
        path: `${where}.key`,
        rule: label,
        field: 'key',
        message: `${label}: key must be upper-case letters, digits and underscores, e.g. AWAITING_PICKUP`,
      });
      return;
    }
    if (seen.has(key))
      issues.push({ path: `${where}.key`, rule: label, field: 'key', message: `${label}: the key is used twice` });
    seen.add(key);
    const xStatus = raw.xStatus;
    if (!isXSaleStatus(xStatus) || !sendableStatuses.includes(xStatus)) {
      issues.push({
        path: `${where}.xStatus`,
        rule: label,
        field: 'xStatus',
        message: `${label}: xStatus ${quote(xStatus)} is not an X-Series status a new sale can take (${sendableStatuses.join(', ')})`,
      });
      return;
    }
    if (raw.paid !== undefined && typeof raw.paid !== 'boolean') {
      issues.push({
        path: `${where}.paid`,
        rule: label,
        field: 'paid',
        message: `${label}: paid must be true or false`,
      });
    }
    if (raw.label !== undefined && (typeof raw.label !== 'string' || raw.label.trim() === '')) {
      issues.push({
        path: `${where}.label`,
        rule: label,
        field: 'label',
        message: `${label}: label must be a non-empty text`,
      });
    }
    out.push({
      key,
      xStatus,
      label: typeof raw.label === 'string' && raw.label.trim() !== '' ? raw.label.trim() : xStatusLabels[xStatus],
      paid: typeof raw.paid === 'boolean' ? raw.paid : xStatus !== 'SAVED',
      description: typeof raw.description === 'string' ? raw.description : '',
    });
  });
  return out;
}

function validateRule(
  raw: unknown,
  index: number,
  keys: Set<string>,
  mapping: StatusMappingEntry[],
  issues: RuleIssue[],
): Rule | undefined {
  const where = `rules[${index}]`;
  if (!isObject(raw)) {
    issues.push({ path: where, message: `Rule ${index + 1} must be an object` });
    return undefined;
  }
  const label = ruleLabel(index, raw.name);
  const name = typeof raw.name === 'string' ? raw.name.trim() : '';
  const push = (field: string, message: string, path = `${where}.${field}`): void => {
    issues.push({ path, rule: name || `Rule ${index + 1}`, field, message: `${label}: ${message}` });
  };
  for (const k of Object.keys(raw)) {
    if (!['id', 'name', 'enabled', 'when', 'send', 'status'].includes(k))
      push(k, `unknown field "${k}" (known: id, name, enabled, when, send, status)`);
  }
  if (name === '') push('name', 'needs a name');
  const id = raw.id === undefined ? `rule-${index + 1}` : raw.id;
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,60}$/.test(id)) push('id', 'id must be letters, digits, "-" or "_"');
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') push('enabled', 'enabled must be true or false');
  const send = raw.send === undefined ? true : raw.send;
  if (typeof send !== 'boolean') push('send', 'send must be true or false');
  let status: string | undefined;
  if (send === true) {
    if (typeof raw.status !== 'string' || !keys.has(raw.status)) {
      const known = mapping.map((m) => m.key).join(', ');
      push(
        'status',
        raw.status === undefined
          ? `needs a status to send orders as (${known})`
          : `status ${quote(raw.status)} is not in the status mapping (${known})`,
      );
    } else status = raw.status;
  } else if (raw.status !== undefined) {
    push('status', 'a rule that does not send takes no status');
  }
  const when: Condition[] = [];
  if (!Array.isArray(raw.when)) {
    push('when', 'when must be a list of conditions (an empty list matches every order)');
  } else {
    raw.when.forEach((c, ci) => {
      const condition = validateCondition(c, `${where}.when[${ci}]`, push);
      if (condition) when.push(condition);
    });
  }
  return {
    id: typeof id === 'string' ? id : `rule-${index + 1}`,
    name,
    enabled: raw.enabled !== false,
    when,
    send: send === true,
    ...(status ? { status } : {}),
  };
}

function validateCondition(
  raw: unknown,
  path: string,
  push: (field: string, message: string, path?: string) => void,
): Condition | undefined {
  if (!isObject(raw)) {
    push('when', 'each condition must be an object {field, op, value}', path);
    return undefined;
  }
  for (const k of Object.keys(raw)) {
    if (!['field', 'op', 'value'].includes(k))
      push(k, `condition has an unknown part "${k}" (known: field, op, value)`, `${path}.${k}`);
  }
  const field = raw.field;
  if (typeof field !== 'string') {
    push('field', 'a condition needs a field', `${path}.field`);
    return undefined;
  }
  const spec = fieldSpec(field);
  if (!spec) {
    push(
      field,
      `unknown field "${field}" (known: ${Object.keys(ruleFields).join(', ')}, or a custbody… field)`,
      `${path}.field`,
    );
    return undefined;
  }
  const op = raw.op ?? 'is';
  if (typeof op !== 'string' || !(ruleOperators as readonly string[]).includes(op)) {
    push(field, `operator ${quote(op)} is unknown (${ruleOperators.join(', ')})`, `${path}.op`);
    return undefined;
  }
  const operator = op as RuleOperator;
  const value = raw.value;
  const bad = (message: string): undefined => {
    push(field, message, `${path}.value`);
    return undefined;
  };
  if (operator === 'exists' || operator === 'not_exists') {
    if (spec.always) return bad(`field ${field} is always present; "${operator}" cannot be used on it`);
    if (value !== undefined) return bad(`"${operator}" takes no value`);
    return { field, op: operator };
  }
  if (operator === 'gt' || operator === 'gte' || operator === 'lt' || operator === 'lte') {
    if (spec.kind !== 'number') return bad(`"${operator}" compares numbers; ${field} is not a number`);
    if (typeof value !== 'number' || !Number.isFinite(value)) return bad(`"${operator}" needs a number`);
    return { field, op: operator, value };
  }
  if (operator === 'contains') {
    if (spec.kind !== 'string') return bad(`"contains" works on text fields; ${field} is not one`);
    if (typeof value !== 'string' || value === '') return bad('"contains" needs a text');
    return { field, op: operator, value };
  }
  const list = operator === 'in' || operator === 'not_in';
  const values = list ? value : [value];
  if (!Array.isArray(values) || values.length === 0) return bad(`"${operator}" needs a non-empty list of values`);
  for (const v of values) {
    if (spec.kind === 'number' ? typeof v !== 'number' : typeof v !== 'string' && typeof v !== 'boolean') {
      return bad(`${quote(v)} is not a valid value for ${field}`);
    }
    if (spec.kind === 'enum' && !spec.values?.includes(String(v))) {
      const what = field === 'status' ? 'a NetSuite order status' : `a value of ${field}`;
      return bad(`${quote(v)} is not ${what} (${spec.values?.join(', ')})`);
    }
  }
  return {
    field,
    op: operator,
    value: list ? (values as unknown[]).map(String) : (value as string | number | boolean),
  };
}

function fieldSpec(field: string): FieldSpec | undefined {
  if (Object.hasOwn(ruleFields, field)) return ruleFields[field];
  if (customFieldPattern.test(field)) return { kind: 'string', description: 'A custom body field' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Contradictions: a rule that can never match (its own conditions exclude each other), or one an earlier
// rule always takes first. The check is exact for enum fields and conservative for the others (two
// conditions on a text field are the same only when written the same).

interface RuleShape {
  enums: Map<string, Set<string>>;
  others: Map<string, Set<string>>;
  contradiction?: string;
}

function shapeOf(rule: Rule): RuleShape {
  const enums = new Map<string, Set<string>>();
  const others = new Map<string, Set<string>>();
  let contradiction: string | undefined;
  const seen = new Map<string, Condition[]>();
  for (const c of rule.when) {
    const spec = fieldSpec(c.field);
    if (!spec) continue;
    seen.set(c.field, [...(seen.get(c.field) ?? []), c]);
    if (spec.kind === 'enum') {
      const all = new Set(spec.values ?? []);
      const values = new Set(Array.isArray(c.value) ? c.value : [String(c.value)]);
      const allowed = c.op === 'is' || c.op === 'in' ? values : new Set([...all].filter((v) => !values.has(v)));
      const current = enums.get(c.field) ?? all;
      const next = new Set([...current].filter((v) => allowed.has(v)));
      enums.set(c.field, next);
      if (next.size === 0 && !contradiction) contradiction = describeConditions(seen.get(c.field) ?? []);
    } else {
      const set = others.get(c.field) ?? new Set<string>();
      set.add(conditionKey(c));
      others.set(c.field, set);
      if (!contradiction) contradiction = otherContradiction(seen.get(c.field) ?? []);
    }
  }
  return { enums, others, ...(contradiction ? { contradiction } : {}) };
}

function otherContradiction(conditions: Condition[]): string | undefined {
  const ops = (op: RuleOperator) => conditions.filter((c) => c.op === op);
  const isValues = new Set(ops('is').map((c) => String(c.value)));
  const clash =
    isValues.size > 1 ||
    (ops('exists').length > 0 && ops('not_exists').length > 0) ||
    (ops('not_exists').length > 0 && conditions.some((c) => c.op !== 'not_exists')) ||
    ops('is_not').some((c) => isValues.has(String(c.value))) ||
    ops('not_in').some((c) => Array.isArray(c.value) && c.value.some((v) => isValues.has(v))) ||
    ops('in').some(
      (c) =>
        isValues.size > 0 && Array.isArray(c.value) && ![...isValues].every((v) => (c.value as string[]).includes(v)),
    );
  return clash ? describeConditions(conditions) : undefined;
}

const conditionKey = (c: Condition): string =>
  `${c.op} ${JSON.stringify(Array.isArray(c.value) ? [...c.value].sort() : (c.value ?? null))}`;

export function describeCondition(c: Condition): string {
  const op = c.op.replace('_', ' ');
  if (c.value === undefined) return `${c.field} ${op}`;
  const value = Array.isArray(c.value) ? `[${c.value.join(', ')}]` : String(c.value);
  return `${c.field} ${op} ${value}`;
}

function describeConditions(conditions: Condition[]): string {
  return conditions.map(describeCondition).join(' and ');
}

/** Rule `a` matches every order rule `b` matches. */
function covers(a: RuleShape, b: RuleShape): boolean {
  for (const [field, allowed] of a.enums) {
    const other = b.enums.get(field) ?? new Set(fieldSpec(field)?.values ?? []);
    for (const v of other) if (!allowed.has(v)) return false;
  }
  for (const [field, conditions] of a.others) {
    const other = b.others.get(field) ?? new Set<string>();
    for (const key of conditions) {
      if (other.has(key)) continue;
      // "exists" is implied by any positive test of the same field.
      if (key.startsWith('exists') && [...other].some((k) => /^(is|in|contains|gt|gte|lt|lte) /.test(k))) continue;
      return false;
    }
  }
  return true;
}

function outcome(rule: Rule, mapping: StatusMappingEntry[]): string {
  if (!rule.send) return 'does not send them';
  const entry = mapping.find((m) => m.key === rule.status);
  return `sends them as ${rule.status}${entry ? ` (${entry.label})` : ''}`;
}

function findContradictions(rules: Rule[], mapping: StatusMappingEntry[], issues: RuleIssue[]): void {
  const shapes = rules.map(shapeOf);
  rules.forEach((rule, j) => {
    if (!rule.enabled) return;
    const shape = shapes[j] as RuleShape;
    const label = ruleLabel(j, rule.name);
    if (shape.contradiction) {
      issues.push({
        path: `rules[${j}].when`,
        rule: rule.name,
        field: 'when',
        message: `${label} can never match: its conditions contradict each other (${shape.contradiction})`,
      });
      return;
    }
    for (let i = 0; i < j; i++) {
      const earlier = rules[i] as Rule;
      const earlierShape = shapes[i] as RuleShape;
      if (!earlier.enabled || earlierShape.contradiction || !covers(earlierShape, shape)) continue;
      const same = earlier.send === rule.send && earlier.status === rule.status;
      const first = ruleLabel(i, earlier.name);
      issues.push({
        path: `rules[${j}].when`,
        rule: rule.name,
        field: 'when',
        message: same
          ? `${label} can never apply: ${first} comes first and matches every order it matches (a duplicate)`
          : `${label} contradicts ${first}: every order it matches is matched first by ${first}, which ${outcome(earlier, mapping)}, so "${rule.send ? `send as ${rule.status}` : 'do not send'}" never applies`,
      });
      return;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export type RuleDecision =
  | { send: true; ruleId: string; ruleName: string; status: string; xStatus: XSaleStatus; paid: boolean }
  | { send: false; ruleId: string | null; ruleName: string | null; reason: string };

/** The first enabled rule whose conditions all hold decides; an order no rule matches is not sent, with why. */
export function evaluateRules(document: RuleSetDocument, facts: OrderFacts): RuleDecision {
  const misses: string[] = [];
  for (const rule of document.rules) {
    if (!rule.enabled) continue;
    const failed = rule.when.find((c) => !conditionHolds(c, facts));
    if (failed) {
      misses.push(`"${rule.name}" needs ${describeCondition(failed)} (the order has ${showFact(failed.field, facts)})`);
      continue;
    }
    if (!rule.send)
      return { send: false, ruleId: rule.id, ruleName: rule.name, reason: `Rule "${rule.name}" says not to send it` };
    const entry = document.mapping.find((m) => m.key === rule.status);
    if (!entry)
      return {
        send: false,
        ruleId: rule.id,
        ruleName: rule.name,
        reason: `Rule "${rule.name}" names status ${rule.status}, which is not mapped`,
      };
    return {
      send: true,
      ruleId: rule.id,
      ruleName: rule.name,
      status: entry.key,
      xStatus: entry.xStatus,
      paid: entry.paid,
    };
  }
  const reason =
    misses.length === 0 ? 'No rule is enabled, so no order is sent' : `No rule matched: ${misses.join('; ')}`;
  return { send: false, ruleId: null, ruleName: null, reason };
}

export function factValue(field: string, facts: OrderFacts): unknown {
  if (customFieldPattern.test(field) && !Object.hasOwn(ruleFields, field)) {
    const key = Object.keys(facts.custom).find((k) => k.toLowerCase() === field.toLowerCase());
    return key === undefined ? null : facts.custom[key];
  }
  return (facts as unknown as Record<string, unknown>)[field] ?? null;
}

function showFact(field: string, facts: OrderFacts): string {
  const value = factValue(field, facts);
  return value === null || value === undefined || value === '' ? `no ${field}` : `${field} ${String(value)}`;
}

export function conditionHolds(c: Condition, facts: OrderFacts): boolean {
  const actual = factValue(c.field, facts);
  const present = actual !== null && actual !== undefined && actual !== '';
  const text = present ? String(actual) : '';
  const same = (v: unknown): boolean => present && text.toLowerCase() === String(v).toLowerCase();
  switch (c.op) {
    case 'exists':
      return present;
    case 'not_exists':
      return !present;
    case 'is':
      return same(c.value);
    case 'is_not':
      return !same(c.value);
    case 'in':
      return Array.isArray(c.value) && c.value.some(same);
    case 'not_in':
      return !(Array.isArray(c.value) && c.value.some(same));
    case 'contains':
      return present && text.toLowerCase().includes(String(c.value).toLowerCase());
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = typeof actual === 'number' ? actual : Number(actual);
      const v = Number(c.value);
      if (!present || !Number.isFinite(n)) return false;
      return c.op === 'gt' ? n > v : c.op === 'gte' ? n >= v : c.op === 'lt' ? n < v : n <= v;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// From a NetSuite order to its facts

export interface NsOrderSummary {
  id: string;
  tranId: string;
  statusCode: string;
  location: string | null;
  shipMethod: string | null;
  customFormName: string | null;
  customer: string | null;
  memo: string | null;
  otherRefNum: string | null;
  externalId: string | null;
  total: number;
  custom: Record<string, unknown>;
  /** True when any open line is set to Store Pickup. */
  anyStorePickupLine: boolean;
}

export const XSERIES_SALE_ID_FIELD = 'custbody_tl_xseries_sale_id';

export function orderFacts(
  order: NsOrderSummary,
  document: Pick<RuleSetDocument, 'pickupShipMethods' | 'deliveryShipMethods'>,
): OrderFacts {
  const method = order.shipMethod?.toLowerCase() ?? '';
  const matches = (names: string[]): boolean => names.some((n) => n.toLowerCase() === method);
  const fulfilment: Fulfilment =
    order.anyStorePickupLine || matches(document.pickupShipMethods)
      ? 'pickup'
      : matches(document.deliveryShipMethods)
        ? 'delivery'
        : 'ship';
  const form = order.customFormName?.toLowerCase() ?? '';
  const xId = order.custom[XSERIES_SALE_ID_FIELD];
  const letter = order.statusCode.includes(':')
    ? order.statusCode.slice(order.statusCode.indexOf(':') + 1)
    : order.statusCode;
  const status = (
    {
      A: 'PENDING_APPROVAL',
      B: 'PENDING_FULFILLMENT',
      C: 'CANCELLED',
      D: 'PARTIALLY_FULFILLED',
      E: 'PENDING_BILLING_PARTIALLY_FULFILLED',
      F: 'PENDING_BILLING',
      G: 'BILLED',
      H: 'CLOSED',
    } as Record<string, NsOrderStatus>
  )[letter.toUpperCase()];
  return {
    id: order.id,
    tranId: order.tranId,
    status: status ?? 'PENDING_APPROVAL',
    fulfilment,
    location: order.location,
    shipMethod: order.shipMethod,
    customForm: form.includes('cash sale') ? 'cashSale' : form.includes('invoice') ? 'invoice' : 'other',
    customer: order.customer,
    memo: order.memo,
    otherRefNum: order.otherRefNum,
    externalId: order.externalId,
    total: order.total,
    xseriesSaleId: typeof xId === 'string' && xId !== '' ? xId : null,
    custom: order.custom,
  };
}
