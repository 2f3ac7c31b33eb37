import { NsError, badRef, invalidValue, required } from './errors.ts';
import {
  currency,
  customForms,
  invoiceFormId,
  subsidiary,
  type NsCustomer,
  type NsItem,
  type NsState,
  type NsTransaction,
} from './model.ts';

/**
 * How a request body's fields are read and checked: the fields a sales order and a line take, value parsing, the
 * references a body may give (and the refusal of references to records the account does not have), and the custom
 * fields the account defines (anything else is refused).
 */

export type Json = Record<string, unknown>;

export const headerFieldsSo = new Set([
  'entity',
  'orderstatus',
  'item',
  'externalid',
  'tranid',
  'trandate',
  'memo',
  'otherrefnum',
  'location',
  'shipmethod',
  'shipdate',
  'currency',
  'subsidiary',
  'customform',
  'department',
  'class',
  'startdate',
  'enddate',
  'email',
  'shipaddress',
  'billaddress',
  'shipaddresslist',
  'billaddresslist',
  'salesrep',
  'terms',
  'tobeemailed',
  'istaxable',
  'exchangerate',
  'shipcomplete',
  'source',
]);
export const readOnlyFields = new Set([
  'links',
  'id',
  'status',
  'total',
  'subtotal',
  'createddate',
  'lastmodifieddate',
  'createdfrom',
]);
export const lineFields = new Set([
  'item',
  'quantity',
  'rate',
  'amount',
  'description',
  'price',
  'location',
  'isclosed',
  'line',
  'taxcode',
  'inventorydetail',
  'itemfulfillmentchoice',
  'units',
  'commitinventory',
  'createpo',
  'expectedshipdate',
]);
export const lineReadOnly = new Set(['links', 'quantityfulfilled', 'quantitybilled', 'itemtype', 'orderline']);

/**
 * Header fields that reference records this account has none of (one subsidiary and one currency, no departments,
 * classes, sales reps, terms or price levels): any value given must name the one that exists, or is refused.
 */
export const selectFields: Record<string, string> = {
  currency: 'currency',
  subsidiary: 'subsidiary',
  department: 'department',
  class: 'class',
  salesrep: 'salesRep',
  terms: 'terms',
  shipaddresslist: 'shipAddressList',
  billaddresslist: 'billAddressList',
};

const externalIdPattern = /^[A-Za-z0-9_-]+$/;

/** Lower-cases the keys of a body object: NetSuite REST field ids are not case-sensitive (the docs mix `isclosed`, `orderLine`). */
export function lower(obj: Json): Map<string, { key: string; value: unknown }> {
  const out = new Map<string, { key: string; value: unknown }>();
  for (const [key, value] of Object.entries(obj)) out.set(key.toLowerCase(), { key, value });
  return out;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCustomBody(key: string): boolean {
  return /^custbody[_a-z0-9]*$/i.test(key);
}
export function isCustomLine(key: string): boolean {
  return /^custcol[_a-z0-9]*$/i.test(key);
}

export interface RefInput {
  id?: string;
  externalId?: string;
  refName?: string;
}

/** A reference in a body: `{"id": "110"}`, `{"externalId": "x"}`, `{"refName": "…"}`, `"110"` or `110` (the transform docs use a bare `6`). */
export function refValue(value: unknown): RefInput | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value === 'number' && Number.isInteger(value)) return { id: String(value) };
  if (typeof value === 'string') return { id: value };
  if (isObject(value)) {
    const id = value.id ?? value.internalId;
    if (typeof id === 'string' || typeof id === 'number') return { id: String(id) };
    if (typeof value.externalId === 'string') return { externalId: value.externalId };
    if (typeof value.refName === 'string') return { refName: value.refName };
  }
  return { id: '__invalid__' };
}

/** How NetSuite prints the value of a reference it refuses. */
export function shownRef(ref: RefInput): string {
  return ref.id ?? ref.externalId ?? ref.refName ?? '';
}

export function numberValue(value: unknown, field: string, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw invalidValue(JSON.stringify(value), field, path);
  }
  return n;
}

export function boolValue(value: unknown, field: string, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'T' || value === 'true') return true;
  if (value === 'F' || value === 'false') return false;
  throw invalidValue(JSON.stringify(value), field, path);
}

export function stringValue(value: unknown, field: string, path: string): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalidValue(JSON.stringify(value), field, path);
}

export function dateValue(value: unknown, field: string, path: string): string {
  const s = stringValue(value, field, path);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(Date.parse(s.slice(0, 10)))) {
    throw invalidValue(s, field, path);
  }
  return s.slice(0, 10);
}

export function unknownField(record: string, key: string, path: string): NsError {
  // [I] The exact wording of NetSuite's refusal of an unknown field is not in the reference.
  return new NsError(
    400,
    'INVALID_PARAMETER',
    `Error while accessing a resource. Field '${key}' for record '${record}' was not found.`,
    path,
  );
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

export function checkExternalId(value: string, path = 'externalId'): string {
  // Letters, digits, `_` and `-` only (§1, section_156334828635).
  if (!externalIdPattern.test(value)) {
    throw new NsError(
      400,
      'INVALID_FLD_VALUE',
      `Invalid external ID '${value}'. An external ID may contain only letters, numbers, underscores and hyphens.`,
      path,
    );
  }
  return value;
}

/**
 * The references a body gives, resolved against the account. An internal id, an external id or a refName (the
 * record's name as NetSuite shows it) that matches nothing is refused with `badRef` [I for refName-only: no source
 * shows whether real NetSuite takes a refName on write at all].
 */
export class Refs {
  readonly #book: { state: NsState };

  constructor(book: { state: NsState }) {
    this.#book = book;
  }

  get #state(): NsState {
    return this.#book.state;
  }

  customer(value: unknown, path: string): NsCustomer {
    const ref = refValue(value);
    if (!ref) throw required('entity', path);
    const found = ref.id
      ? this.#state.customers[ref.id]
      : Object.values(this.#state.customers).find((c) =>
          ref.externalId ? c.externalId === ref.externalId : c.entityId === ref.refName,
        );
    if (!found) throw badRef('entity', path, shownRef(ref));
    return found;
  }

  item(value: unknown, path: string): NsItem {
    const ref = refValue(value);
    if (!ref) throw required('item', path);
    const found = ref.id
      ? this.#state.items[ref.id]
      : Object.values(this.#state.items).find((i) =>
          ref.externalId ? i.externalId === ref.externalId : i.itemId === ref.refName,
        );
    if (!found || found.isInactive) throw badRef('item', path, shownRef(ref));
    return found;
  }

  location(value: unknown, path: string): string | null {
    const ref = refValue(value);
    if (!ref) return null;
    const found = ref.id
      ? this.#state.locations[ref.id]
      : ref.refName !== undefined
        ? Object.values(this.#state.locations).find((l) => l.name === ref.refName)
        : undefined;
    if (!found || found.isInactive) throw badRef('location', path, shownRef(ref));
    return found.id;
  }

  shipMethod(value: unknown, path: string): string | null {
    const ref = refValue(value);
    if (!ref) return null;
    const found = ref.id
      ? this.#state.shipMethods[ref.id]
      : ref.refName !== undefined
        ? Object.values(this.#state.shipMethods).find((s) => s.itemId === ref.refName)
        : undefined;
    if (!found) throw badRef('shipMethod', path, shownRef(ref));
    return found.id;
  }

  form(value: unknown, path: string): string {
    const ref = refValue(value);
    if (!ref) return invoiceFormId;
    const id = ref.id ?? Object.entries(customForms).find(([, f]) => f.name === ref.refName)?.[0];
    if (!id || !customForms[id]) throw badRef('customForm', path, shownRef(ref));
    return id;
  }

  /** A header select field of `selectFields`: only the account's one currency and subsidiary exist. */
  select(name: string, value: unknown, path: string): void {
    const ref = refValue(value);
    if (!ref) return;
    const only =
      name === 'currency'
        ? { id: currency.id, refName: currency.name }
        : name === 'subsidiary'
          ? { id: subsidiary.id, refName: subsidiary.name }
          : undefined;
    const matches = only !== undefined && (ref.id ? ref.id === only.id : ref.refName === only.refName);
    if (!matches) throw badRef(selectFields[name] ?? name, path, shownRef(ref));
  }

  /**
   * A custom field given in a body must be defined in the account for that record type (`custbody…` on the header,
   * `custcol…` on lines); NetSuite has no field by a name nobody created. How real NetSuite answers an undefined one
   * is [I] (refused here; a third-party note says unknown names only warn unless `X-NetSuite-PropertyNameValidation:
   * error` is sent).
   */
  customField(type: NsTransaction['type'], key: string, path: string): string {
    const scriptId = key.toLowerCase();
    const field = this.#state.customFields[scriptId];
    const kind = isCustomLine(key) ? 'column' : 'body';
    if (!field || field.kind !== kind || !field.appliesTo.includes(type)) throw unknownField(type, key, path);
    return scriptId;
  }
}
