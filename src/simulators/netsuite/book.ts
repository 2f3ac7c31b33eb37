import type { SimClock } from '../shared/clock.ts';
import { NsError, badRef, invalidValue, notFound, required, userError } from './errors.ts';
import {
  cashSaleFormId,
  customForms,
  invoiceFormId,
  type FulfilmentChoice,
  type NsAssignment,
  type NsBill,
  type NsBillLine,
  type NsCustomer,
  type NsFulfillmentLine,
  type NsItem,
  type NsItemFulfillment,
  type NsOrderLine,
  type NsSalesOrder,
  type NsState,
  type NsTransaction,
  type SalesOrderStatus,
} from './model.ts';

/**
 * The NetSuite account's business rules: creating and changing sales orders and cash sales, the fulfil/bill
 * transforms, inventory detail for serial/lot/bin items, kits, and the sales order status that follows from the
 * quantities fulfilled and billed (reference/netsuite.md §3, §5). Everything takes time from the SimClock.
 */

type Json = Record<string, unknown>;

const headerFieldsSo = new Set([
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
const readOnlyFields = new Set([
  'links',
  'id',
  'status',
  'total',
  'subtotal',
  'createddate',
  'lastmodifieddate',
  'createdfrom',
]);
const lineFields = new Set([
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
const lineReadOnly = new Set(['links', 'quantityfulfilled', 'quantitybilled', 'itemtype', 'orderline']);

const externalIdPattern = /^[A-Za-z0-9_-]+$/;

/** Lower-cases the keys of a body object: NetSuite REST field ids are not case-sensitive (the docs mix `isclosed`, `orderLine`). */
function lower(obj: Json): Map<string, { key: string; value: unknown }> {
  const out = new Map<string, { key: string; value: unknown }>();
  for (const [key, value] of Object.entries(obj)) out.set(key.toLowerCase(), { key, value });
  return out;
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCustomBody(key: string): boolean {
  return /^custbody[_a-z0-9]*$/i.test(key);
}
function isCustomLine(key: string): boolean {
  return /^custcol[_a-z0-9]*$/i.test(key);
}

/** A reference in a body: `{"id": "110"}`, `{"externalId": "x"}`, `"110"` or `110` (the transform docs use a bare `6`). */
export function refValue(value: unknown): { id?: string; externalId?: string; refName?: string } | null | undefined {
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

function numberValue(value: unknown, field: string, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw invalidValue(JSON.stringify(value), field, path);
  }
  return n;
}

function boolValue(value: unknown, field: string, path: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'T' || value === 'true') return true;
  if (value === 'F' || value === 'false') return false;
  throw invalidValue(JSON.stringify(value), field, path);
}

function stringValue(value: unknown, field: string, path: string): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw invalidValue(JSON.stringify(value), field, path);
}

function dateValue(value: unknown, field: string, path: string): string {
  const s = stringValue(value, field, path);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(Date.parse(s.slice(0, 10)))) {
    throw invalidValue(s, field, path);
  }
  return s.slice(0, 10);
}

function unknownField(record: string, key: string, path: string): NsError {
  // [I] The exact wording of NetSuite's refusal of an unknown field is not in the reference.
  return new NsError(
    400,
    'INVALID_PARAMETER',
    `Error while accessing a resource. Field '${key}' for record '${record}' was not found.`,
    path,
  );
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

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

export class NetsuiteBook {
  state: NsState;
  readonly clock: SimClock;

  constructor(state: NsState, clock: SimClock) {
    this.state = state;
    this.clock = clock;
  }

  // ---- time and ids ---------------------------------------------------------------------------------

  /** NetSuite REST shows datetimes without milliseconds. */
  stamp(atMs = this.clock.now()): string {
    return new Date(Math.floor(atMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  }

  today(atMs = this.clock.now()): string {
    return new Date(atMs).toISOString().slice(0, 10);
  }

  nextId(kind: keyof NsState['seq']): string {
    this.state.seq[kind] += 1;
    return String(this.state.seq[kind]);
  }

  nextTranId(prefix: string): string {
    const n = (this.state.tranNumbers[prefix] ?? 1000) + 1;
    this.state.tranNumbers[prefix] = n;
    return `${prefix}${n}`;
  }

  // ---- look-ups ---------------------------------------------------------------------------------------

  salesOrder(id: string): NsSalesOrder {
    const t = this.state.transactions[id];
    if (!t || t.type !== 'salesOrder') throw notFound();
    return t;
  }

  transaction<T extends NsTransaction['type']>(type: T, id: string): Extract<NsTransaction, { type: T }> {
    const t = this.state.transactions[id];
    if (!t || t.type !== type) throw notFound();
    return t as Extract<NsTransaction, { type: T }>;
  }

  /** `123` or `eid:ABC` → the record's internal id, or undefined. */
  resolveTransactionId(type: NsTransaction['type'], idOrEid: string): string | undefined {
    if (idOrEid.startsWith('eid:')) {
      const eid = idOrEid.slice(4);
      return Object.values(this.state.transactions).find((t) => t.type === type && t.externalId === eid)?.id;
    }
    const t = this.state.transactions[idOrEid];
    return t && t.type === type ? t.id : undefined;
  }

  private customerRef(value: unknown, path: string): NsCustomer {
    const ref = refValue(value);
    if (!ref) throw required('entity', path);
    const found = ref.id
      ? this.state.customers[ref.id]
      : Object.values(this.state.customers).find((c) =>
          ref.externalId ? c.externalId === ref.externalId : c.entityId === ref.refName,
        );
    if (!found) throw badRef('entity', path);
    return found;
  }

  private itemRef(value: unknown, path: string): NsItem {
    const ref = refValue(value);
    if (!ref) throw required('item', path);
    const found = ref.id
      ? this.state.items[ref.id]
      : Object.values(this.state.items).find((i) =>
          ref.externalId ? i.externalId === ref.externalId : i.itemId === ref.refName,
        );
    if (!found || found.isInactive) throw badRef('item', path);
    return found;
  }

  private locationRef(value: unknown, path: string): string | null {
    const ref = refValue(value);
    if (!ref) return null;
    const found = ref.id
      ? this.state.locations[ref.id]
      : Object.values(this.state.locations).find((l) => l.name === ref.refName);
    if (!found || found.isInactive) throw badRef('location', path);
    return found.id;
  }

  private shipMethodRef(value: unknown, path: string): string | null {
    const ref = refValue(value);
    if (!ref) return null;
    const found = ref.id
      ? this.state.shipMethods[ref.id]
      : Object.values(this.state.shipMethods).find((s) => s.itemId === ref.refName);
    if (!found) throw badRef('shipMethod', path);
    return found.id;
  }

  private formRef(value: unknown, path: string): string {
    const ref = refValue(value);
    if (!ref) return invoiceFormId;
    const id = ref.id ?? Object.entries(customForms).find(([, f]) => f.name === ref.refName)?.[0];
    if (!id || !customForms[id]) throw badRef('customForm', path);
    return id;
  }

  private externalIdTaken(type: NsTransaction['type'], externalId: string, exceptId?: string): boolean {
    return Object.values(this.state.transactions).some(
      (t) => t.type === type && t.externalId === externalId && t.id !== exceptId,
    );
  }

  // ---- sales order status -------------------------------------------------------------------------------

  /** The status NetSuite shows, derived from approval, closed lines and quantities fulfilled and billed (§3.1). */
  statusOf(so: NsSalesOrder): SalesOrderStatus {
    if (so.approval === 'A') return 'A';
    if (so.approval === 'C') return 'C';
    const open = so.lines.filter((l) => !l.isClosed);
    const billedAll =
      so.lines.length > 0 &&
      so.lines.every((l) => l.quantityBilled >= l.quantity || (l.isClosed && l.quantityBilled >= l.quantityFulfilled));
    if (billedAll && so.lines.some((l) => l.quantityBilled > 0)) return 'G';
    if (open.length === 0) return 'H';
    const fulfilledAll = open.every((l) => l.quantityFulfilled >= l.quantity);
    const anyFulfilled = so.lines.some((l) => l.quantityFulfilled > 0);
    const unbilled = so.lines.some((l) => l.quantityFulfilled > l.quantityBilled);
    if (fulfilledAll) return unbilled ? 'F' : 'G';
    if (anyFulfilled) return unbilled ? 'E' : 'D';
    return 'B';
  }

  // ---- sales orders: create, update, upsert -------------------------------------------------------------

  createSalesOrder(body: Json, options: { externalId?: string } = {}): NsSalesOrder {
    const fields = lower(body);
    if (!fields.get('entity') || fields.get('entity')?.value == null) throw required('entity');
    const now = this.stamp();
    const so: NsSalesOrder = {
      type: 'salesOrder',
      id: '',
      tranId: '',
      externalId: null,
      tranDate: this.today(),
      entity: '',
      memo: '',
      location: null,
      custom: {},
      createdDate: now,
      lastModifiedDate: now,
      approval: 'A', // Pending Approval is the default on create (§3).
      otherRefNum: '',
      shipMethod: null,
      shipDate: null,
      shipAddress: '',
      customForm: invoiceFormId,
      lines: [],
      nextLine: 1,
      children: [],
    };
    this.applySalesOrderFields(so, fields, true);
    if (options.externalId !== undefined) so.externalId = checkExternalId(options.externalId);
    if (so.externalId && this.externalIdTaken('salesOrder', so.externalId)) {
      throw new NsError(
        400,
        'DUP_RCRD',
        `A record with the external ID '${so.externalId}' already exists.`,
        'externalId',
      ); // [I] wording
    }
    if (so.lines.length === 0) throw userError('You must enter at least one line item for this transaction.', 'item');
    so.id = this.nextId('transaction');
    if (!so.tranId) so.tranId = this.nextTranId('SO');
    this.state.transactions[so.id] = so;
    return so;
  }

  updateSalesOrder(so: NsSalesOrder, body: Json, replace: string[] = []): NsSalesOrder {
    const fields = lower(body);
    const draft = structuredClone(so);
    this.applySalesOrderFields(draft, fields, false, replace.map((r) => r.toLowerCase()).includes('item'));
    if (draft.externalId && this.externalIdTaken('salesOrder', draft.externalId, so.id)) {
      throw new NsError(
        400,
        'DUP_RCRD',
        `A record with the external ID '${draft.externalId}' already exists.`,
        'externalId',
      );
    }
    if (draft.lines.length === 0)
      throw userError('You must enter at least one line item for this transaction.', 'item');
    draft.lastModifiedDate = this.stamp();
    Object.assign(so, draft);
    return so;
  }

  /** PUT …/salesOrder/eid:X: updates the record with that external id, or creates it (§1). */
  upsertSalesOrder(externalId: string, body: Json, replace: string[] = []): { record: NsSalesOrder; created: boolean } {
    checkExternalId(externalId);
    const id = this.resolveTransactionId('salesOrder', `eid:${externalId}`);
    if (id)
      return { record: this.updateSalesOrder(this.salesOrder(id), { ...body, externalId }, replace), created: false };
    return { record: this.createSalesOrder({ ...body, externalId }), created: true };
  }

  private applySalesOrderFields(
    so: NsSalesOrder,
    fields: Map<string, { key: string; value: unknown }>,
    creating: boolean,
    replaceLines = false,
  ): void {
    for (const [name, { key, value }] of fields) {
      if (isCustomBody(key)) {
        so.custom[key.toLowerCase()] = value;
        continue;
      }
      if (readOnlyFields.has(name)) continue;
      if (!headerFieldsSo.has(name)) throw unknownField('salesOrder', key, key);
      switch (name) {
        case 'entity':
          if (!creating && so.children.length > 0 && this.customerRef(value, key).id !== so.entity) {
            throw userError('You cannot change the customer of a sales order that has been fulfilled or billed.', key);
          }
          so.entity = this.customerRef(value, key).id;
          break;
        case 'orderstatus': {
          const ref = refValue(value);
          const code = ref?.id ?? ref?.refName;
          // Only A (Pending Approval) and B (Pending Fulfillment/approved) are writable (§3).
          if (code !== 'A' && code !== 'B') {
            throw invalidValue(String(code), 'orderStatus', key);
          }
          if (so.approval === 'C') throw userError('This order has been cancelled.', key);
          if (code === 'A' && so.children.length > 0)
            throw userError('You cannot set a fulfilled or billed order back to Pending Approval.', key);
          so.approval = code;
          break;
        }
        case 'externalid':
          so.externalId =
            value === null || value === '' ? null : checkExternalId(stringValue(value, 'externalId', key), key);
          break;
        case 'tranid':
          so.tranId = stringValue(value, 'tranId', key);
          break;
        case 'trandate':
          so.tranDate = dateValue(value, 'tranDate', key);
          break;
        case 'shipdate':
          so.shipDate = value === null ? null : dateValue(value, 'shipDate', key);
          break;
        case 'memo':
          so.memo = stringValue(value, 'memo', key);
          break;
        case 'otherrefnum':
          so.otherRefNum = stringValue(value, 'otherRefNum', key);
          break;
        case 'location':
          so.location = this.locationRef(value, key);
          break;
        case 'shipmethod':
          so.shipMethod = this.shipMethodRef(value, key);
          break;
        case 'customform':
          so.customForm = this.formRef(value, key);
          break;
        case 'shipaddress':
          so.shipAddress = stringValue(value, 'shipAddress', key);
          break;
        case 'item':
          this.applyOrderLines(so, value, key, replaceLines || creating);
          break;
        default:
          // Accepted and ignored: department, class, terms, currency (one currency), subsidiary (one subsidiary) …
          break;
      }
    }
  }

  private applyOrderLines(so: NsSalesOrder, value: unknown, key: string, replace: boolean): void {
    const items = isObject(value) ? value.items : undefined;
    if (!Array.isArray(items)) {
      throw new NsError(400, 'INVALID_FLD_VALUE', 'The sublist item must be an object with an items array.', key);
    }
    if (replace) {
      if (so.lines.some((l) => l.quantityFulfilled > 0 || l.quantityBilled > 0)) {
        throw userError('You cannot replace the lines of a sales order that has been fulfilled or billed.', key);
      }
      so.lines = [];
    }
    items.forEach((raw, index) => {
      const path = `${key}.items[${index}]`;
      if (!isObject(raw)) throw new NsError(400, 'INVALID_FLD_VALUE', 'A sublist line must be an object.', path);
      const f = lower(raw);
      const lineNo = f.get('line')?.value;
      let line: NsOrderLine | undefined;
      if (lineNo !== undefined && lineNo !== null) {
        const n = numberValue(lineNo, 'line', `${path}.line`);
        line = so.lines.find((l) => l.line === n);
        if (!line)
          throw new NsError(
            400,
            'INVALID_FLD_VALUE',
            `Invalid line ${n}: the sales order has no such line.`,
            `${path}.line`,
          );
      } else {
        // A line without `line` is a new line (§3, section_159795512874).
        if (so.approval === 'C') throw userError('This order has been cancelled.', path);
        if (!f.get('item')) throw required('item', `${path}.item`);
        const item = this.itemRef(f.get('item')?.value, `${path}.item`);
        line = {
          line: so.nextLine++,
          item: item.id,
          quantity: 1,
          rate: item.basePrice,
          amount: item.basePrice,
          description: item.displayName,
          location: null,
          isClosed: false,
          quantityFulfilled: 0,
          quantityBilled: 0,
          itemFulfillmentChoice: 'ship',
          custom: {},
        };
        so.lines.push(line);
      }
      let amountGiven = false;
      for (const [name, { key: k, value: v }] of f) {
        const p = `${path}.${k}`;
        if (isCustomLine(k)) {
          line.custom[k.toLowerCase()] = v;
          continue;
        }
        if (lineReadOnly.has(name) || name === 'line') continue;
        if (!lineFields.has(name)) throw unknownField('salesOrder.item', k, p);
        switch (name) {
          case 'item': {
            const item = this.itemRef(v, p);
            if (item.id !== line.item && line.quantityFulfilled > 0)
              throw userError('You cannot change the item of a fulfilled line.', p);
            line.item = item.id;
            break;
          }
          case 'quantity': {
            const q = numberValue(v, 'quantity', p);
            if (q <= 0) throw invalidValue(q, 'quantity', p);
            if (q < line.quantityFulfilled)
              throw userError(
                `The quantity cannot be less than the quantity fulfilled (${line.quantityFulfilled}).`,
                p,
              );
            line.quantity = q;
            break;
          }
          case 'rate':
            line.rate = numberValue(v, 'rate', p);
            break;
          case 'amount':
            line.amount = round2(numberValue(v, 'amount', p));
            amountGiven = true;
            break;
          case 'description':
            line.description = stringValue(v, 'description', p);
            break;
          case 'location':
            line.location = this.locationRef(v, p);
            break;
          case 'isclosed':
            line.isClosed = boolValue(v, 'isClosed', p);
            break;
          case 'itemfulfillmentchoice': {
            const ref = refValue(v);
            const choice = ref?.id ?? ref?.refName ?? 'ship';
            const normal = choice.toLowerCase().replace(/\s+/g, '');
            if (normal === 'ship' || normal === '1') line.itemFulfillmentChoice = 'ship';
            else if (normal === 'storepickup' || normal === '2') line.itemFulfillmentChoice = 'storePickup';
            else throw invalidValue(choice, 'itemFulfillmentChoice', p);
            break;
          }
          default:
            break;
        }
      }
      if (!amountGiven) line.amount = round2(line.quantity * line.rate);
    });
  }

  deleteTransaction(type: NsTransaction['type'], id: string): void {
    const t = this.transaction(type, id);
    if (t.type === 'salesOrder' && t.children.length > 0) {
      throw userError('This record cannot be deleted because it has dependent records.');
    }
    if (t.type !== 'salesOrder')
      throw userError('This simulator only deletes sales orders and standalone cash sales without dependent records.');
    delete this.state.transactions[id];
  }

  // ---- inventory detail ------------------------------------------------------------------------------------

  private needsDetail(item: NsItem, location: string): { numbers: 'serial' | 'lot' | null; bins: boolean } {
    const numbers =
      item.itemType === 'serializedInventoryItem'
        ? 'serial'
        : item.itemType === 'lotNumberedInventoryItem'
          ? 'lot'
          : null;
    const bins = item.useBins && (this.state.locations[location]?.useBins ?? false);
    return { numbers, bins };
  }

  /**
   * Checks the inventoryDetail of a line that moves `quantity` of `item` out of `location`: serial and lot items need
   * their numbers, bin items at a bin location need bins, and the assignment quantities must add up (§5,
   * section_N3744760). The REST shape `inventoryDetail.inventoryAssignment.items[]` is [I] in the reference.
   */
  validateDetail(
    item: NsItem,
    location: string,
    quantity: number,
    detail: unknown,
    lineLabel: number,
    path: string,
  ): NsAssignment[] | null {
    const needs = this.needsDetail(item, location);
    if (!needs.numbers && !needs.bins) return null;
    const assignmentsRaw =
      isObject(detail) && isObject(detail.inventoryAssignment) ? detail.inventoryAssignment.items : undefined;
    if (!Array.isArray(assignmentsRaw) || assignmentsRaw.length === 0) {
      // [I] NetSuite's message for a missing inventory detail.
      throw userError(
        `Please configure the inventory detail in line ${lineLabel} of the item list.`,
        `${path}.inventoryDetail`,
      );
    }
    const out: NsAssignment[] = [];
    const usedSerials = new Set<string>();
    assignmentsRaw.forEach((raw, i) => {
      const p = `${path}.inventoryDetail.inventoryAssignment.items[${i}]`;
      if (!isObject(raw)) throw new NsError(400, 'INVALID_FLD_VALUE', 'An inventory assignment must be an object.', p);
      const q =
        raw.quantity === undefined
          ? needs.numbers === 'serial'
            ? 1
            : quantity
          : numberValue(raw.quantity, 'quantity', `${p}.quantity`);
      if (q <= 0) throw invalidValue(q, 'quantity', `${p}.quantity`);
      let numberId: string | null = null;
      let bin: string | null = null;
      if (needs.numbers) {
        const ref = refValue(raw.issueInventoryNumber ?? raw.receiptInventoryNumber);
        const name = typeof raw.receiptInventoryNumber === 'string' ? raw.receiptInventoryNumber : ref?.refName;
        const number = Object.values(this.state.inventoryNumbers).find(
          (n) => n.item === item.id && (ref?.id ? n.id === ref.id : n.inventoryNumber === name),
        );
        if (!ref && !name)
          throw userError(
            `Please enter value(s) for: Serial/Lot Number in line ${lineLabel} of the item list.`,
            `${p}.issueInventoryNumber`,
          );
        if (!number || number.location !== location) {
          throw new NsError(
            400,
            'INVALID_KEY_OR_REF',
            `Invalid value for the resource or sub-resource field 'issueInventoryNumber'. Provide a valid value.`,
            `${p}.issueInventoryNumber`,
          );
        }
        if (needs.numbers === 'serial') {
          if (q !== 1)
            throw userError(`The quantity of serial number ${number.inventoryNumber} must be 1.`, `${p}.quantity`);
          if (usedSerials.has(number.id))
            throw userError(`Serial number ${number.inventoryNumber} is used more than once.`, p);
          usedSerials.add(number.id);
        }
        if (number.quantityOnHand < q) {
          throw userError(
            `The serial/lot number ${number.inventoryNumber} is not available at this location in the quantity required.`,
            p,
          );
        }
        numberId = number.id;
        if (needs.bins) bin = number.bin;
      }
      if (needs.bins) {
        const ref = refValue(raw.binNumber);
        const found = ref
          ? ref.id
            ? this.state.bins[ref.id]
            : Object.values(this.state.bins).find((b) => b.binNumber === ref.refName)
          : undefined;
        if (!ref)
          throw userError(`Please enter value(s) for: Bin in line ${lineLabel} of the item list.`, `${p}.binNumber`);
        if (!found || found.location !== location) {
          throw new NsError(
            400,
            'INVALID_KEY_OR_REF',
            `Invalid value for the resource or sub-resource field 'binNumber'. Provide a valid value.`,
            `${p}.binNumber`,
          );
        }
        if (numberId && bin && bin !== found.id)
          throw userError(`The serial/lot number is not in bin ${found.binNumber}.`, `${p}.binNumber`);
        if (!needs.numbers && (item.binOnHand[found.id] ?? 0) < q) {
          throw userError(`Bin ${found.binNumber} does not hold ${q} of ${item.itemId}.`, `${p}.binNumber`);
        }
        bin = found.id;
      }
      out.push({ inventoryNumber: numberId, bin, quantity: q });
    });
    const total = round2(out.reduce((sum, a) => sum + a.quantity, 0));
    if (total !== quantity)
      throw userError(`The total inventory detail quantity must be ${quantity}.`, `${path}.inventoryDetail`);
    return out;
  }

  /** Chooses serials, lots and bins the way a warehouse person would (seeding and the back office). */
  autoDetail(item: NsItem, location: string, quantity: number): unknown {
    const needs = this.needsDetail(item, location);
    if (!needs.numbers && !needs.bins) return undefined;
    const items: Json[] = [];
    if (needs.numbers) {
      let left = quantity;
      for (const n of Object.values(this.state.inventoryNumbers)) {
        if (left <= 0) break;
        if (n.item !== item.id || n.location !== location || n.quantityOnHand <= 0) continue;
        const q = needs.numbers === 'serial' ? 1 : Math.min(left, n.quantityOnHand);
        items.push({
          issueInventoryNumber: { id: n.id },
          ...(needs.bins && n.bin ? { binNumber: { id: n.bin } } : {}),
          quantity: q,
        });
        left -= q;
      }
    } else {
      let left = quantity;
      for (const [binId, onHand] of Object.entries(item.binOnHand)) {
        if (left <= 0) break;
        if (this.state.bins[binId]?.location !== location || onHand <= 0) continue;
        const q = Math.min(left, onHand);
        items.push({ binNumber: { id: binId }, quantity: q });
        left -= q;
      }
    }
    return { inventoryAssignment: { items } };
  }

  private takeStock(item: NsItem, location: string, quantity: number, detail: NsAssignment[] | null): void {
    item.onHand[location] = (item.onHand[location] ?? 0) - quantity;
    for (const a of detail ?? []) {
      if (a.inventoryNumber) {
        const n = this.state.inventoryNumbers[a.inventoryNumber];
        if (n) n.quantityOnHand -= a.quantity;
      } else if (a.bin) {
        item.binOnHand[a.bin] = (item.binOnHand[a.bin] ?? 0) - a.quantity;
      }
    }
  }

  // ---- transforms -------------------------------------------------------------------------------------------

  private cannotInitialize(target: string, so: NsSalesOrder): NsError {
    // [I] NetSuite's refusal to transform a record that cannot become the target.
    return new NsError(
      400,
      'INVALID_INITIALIZE_REF',
      `You can not initialize ${target.toLowerCase()}: invalid reference ${so.id}.`,
    );
  }

  /**
   * POST …/salesOrder/{id}/!transform/itemFulfillment (§5). An empty body fulfils every open line; a body's
   * `item.items[]` entries address lines by `orderLine` and may set `quantity`, `location`, `itemReceive: false` and
   * `inventoryDetail`. Lines not listed are fulfilled in full (the reference's example lists a line only to exclude it,
   * which implies that [I]). Kit components are addressed by the kit's `orderLine` (or `kitMemberOf`) plus the
   * component's `item` [I].
   */
  fulfil(so: NsSalesOrder, body: Json): { fulfillment: NsItemFulfillment; bill?: NsBill } {
    const status = this.statusOf(so);
    if (!['B', 'D', 'E'].includes(status)) throw this.cannotInitialize('itemfulfillment', so);
    const entries = this.sublistEntries(body);
    for (const e of entries) {
      const target = e.orderLine ?? e.kitMemberOf;
      if (target === undefined) throw required('orderLine', `${e.path}.orderLine`);
      if (!so.lines.some((l) => l.line === target)) {
        throw invalidValue(target, 'orderLine', `${e.path}.orderLine`);
      }
    }
    const lines: NsFulfillmentLine[] = [];
    const moves: Array<{ item: NsItem; location: string; quantity: number; detail: NsAssignment[] | null }> = [];
    const fulfilledQty = new Map<number, number>();
    let lineNo = 1;
    so.lines.forEach((soLine) => {
      const remaining = soLine.quantity - soLine.quantityFulfilled;
      if (soLine.isClosed || remaining <= 0) return;
      const item = this.state.items[soLine.item];
      if (!item) return;
      const main = entries.find(
        (e) => e.orderLine === soLine.line && e.kitMemberOf === undefined && (!e.item || e.item === soLine.item),
      );
      if (main && main.itemReceive === false) return;
      const quantity = main?.quantity ?? remaining;
      if (quantity === 0) return;
      if (quantity < 0 || quantity > remaining) {
        throw userError(
          `You can not fulfill more than the remaining quantity (${remaining}) of line ${soLine.line}.`,
          `${main?.path ?? 'item'}.quantity`,
        );
      }
      const location = main?.location ?? soLine.location ?? so.location;
      if (!location) throw required('location', `${main?.path ?? `item.items[${soLine.line}]`}.location`);
      const path = main?.path ?? `item.items[orderLine=${soLine.line}]`;
      const kitLine = lineNo++;
      if (item.itemType === 'kitItem') {
        lines.push({
          line: kitLine,
          orderLine: soLine.line,
          item: item.id,
          quantity,
          location,
          kitMemberOf: null,
          inventoryDetail: null,
        });
        for (const member of item.members) {
          const component = this.state.items[member.item];
          if (!component) continue;
          const compEntry = entries.find(
            (e) => (e.kitMemberOf === soLine.line || e.orderLine === soLine.line) && e.item === component.id,
          );
          const compLocation: string = compEntry?.location ?? location;
          if (compLocation !== location) {
            // All kit components must be fulfilled from one location (§5, section_N2225398).
            throw userError(
              'All components of a kit must be fulfilled from one location.',
              `${compEntry?.path ?? path}.location`,
            );
          }
          const compQty = round2(quantity * member.quantity);
          const compLine = lineNo++;
          const detail = this.validateDetail(
            component,
            location,
            compQty,
            compEntry?.inventoryDetail,
            compLine,
            compEntry?.path ?? `${path}[component ${component.itemId}]`,
          );
          lines.push({
            line: compLine,
            orderLine: soLine.line,
            item: component.id,
            quantity: compQty,
            location,
            kitMemberOf: soLine.line,
            inventoryDetail: detail,
          });
          moves.push({ item: component, location, quantity: compQty, detail });
        }
      } else {
        const detail = this.validateDetail(item, location, quantity, main?.inventoryDetail, kitLine, path);
        lines.push({
          line: kitLine,
          orderLine: soLine.line,
          item: item.id,
          quantity,
          location,
          kitMemberOf: null,
          inventoryDetail: detail,
        });
        if (item.itemType !== 'nonInventorySaleItem') moves.push({ item, location, quantity, detail });
      }
      fulfilledQty.set(soLine.line, quantity);
    });
    if (lines.length === 0) throw userError('You must enter at least one line item for this transaction.', 'item');

    const now = this.stamp();
    const shipStatusRaw = body.shipStatus ?? body.shipstatus;
    const shipRef = refValue(shipStatusRaw);
    const shipStatus = (shipRef?.id ?? 'C') as 'A' | 'B' | 'C';
    if (!['A', 'B', 'C'].includes(shipStatus)) {
      throw invalidValue(shipStatus, 'shipStatus', 'shipStatus');
    }
    const fulfillment: NsItemFulfillment = {
      type: 'itemFulfillment',
      id: this.nextId('transaction'),
      tranId: this.nextTranId('IF'),
      externalId: this.bodyExternalId(body, 'itemFulfillment'),
      tranDate: this.today(),
      entity: so.entity,
      memo: typeof body.memo === 'string' ? body.memo : '',
      location: lines[0]?.location ?? null,
      custom: this.bodyCustom(body),
      createdDate: now,
      lastModifiedDate: now,
      createdFrom: so.id,
      shipStatus,
      lines,
    };
    for (const m of moves) this.takeStock(m.item, m.location, m.quantity, m.detail);
    for (const soLine of so.lines) soLine.quantityFulfilled += fulfilledQty.get(soLine.line) ?? 0;
    this.state.transactions[fulfillment.id] = fulfillment;
    so.children.push(fulfillment.id);
    so.lastModifiedDate = now;
    if (!this.state.config.advancedShipping) {
      // Advanced Shipping off: creating the fulfilment also creates the bill (§5, section_161425629582).
      const target = customForms[so.customForm]?.bills ?? 'invoice';
      const bill = this.bill(so, target, {});
      return { fulfillment, bill };
    }
    return { fulfillment };
  }

  /**
   * POST …/salesOrder/{id}/!transform/invoice or …/cashSale (§5): bills every fulfilled, unbilled quantity, or the
   * `quantity` per `orderLine` the body gives. Needs an approved order with the matching custom form.
   */
  bill(so: NsSalesOrder, target: 'invoice' | 'cashSale', body: Json): NsBill {
    const status = this.statusOf(so);
    if (['A', 'C', 'H', 'G'].includes(status)) throw this.cannotInitialize(target, so);
    if (this.state.config.enforceBillingForm && (customForms[so.customForm]?.bills ?? 'invoice') !== target) {
      throw this.cannotInitialize(target, so);
    }
    const entries = this.sublistEntries(body);
    const lines: NsBillLine[] = [];
    const billed = new Map<number, number>();
    for (const soLine of so.lines) {
      const billable = soLine.quantityFulfilled - soLine.quantityBilled;
      const entry = entries.find((e) => e.orderLine === soLine.line);
      if (entry && entry.itemReceive === false) continue;
      const quantity = entry?.quantity ?? billable;
      if (quantity <= 0) continue;
      if (quantity > billable) {
        throw userError(
          `You can not bill more than the fulfilled, unbilled quantity (${billable}) of line ${soLine.line}.`,
          `${entry?.path ?? 'item'}.quantity`,
        );
      }
      lines.push({
        line: lines.length + 1,
        orderLine: soLine.line,
        item: soLine.item,
        quantity,
        rate: soLine.rate,
        amount: round2(quantity * soLine.rate),
        location: soLine.location ?? so.location,
        inventoryDetail: null,
        custom: { ...soLine.custom },
      });
      billed.set(soLine.line, quantity);
    }
    if (lines.length === 0) throw this.cannotInitialize(target, so);
    const now = this.stamp();
    const bill: NsBill = {
      type: target,
      id: this.nextId('transaction'),
      tranId: this.nextTranId(target === 'invoice' ? 'INV' : 'CS'),
      externalId: this.bodyExternalId(body, target),
      tranDate: this.today(),
      entity: so.entity,
      memo: typeof body.memo === 'string' ? body.memo : '',
      location: so.location,
      custom: this.bodyCustom(body),
      createdDate: now,
      lastModifiedDate: now,
      createdFrom: so.id,
      statusCode: target === 'invoice' ? 'A' : 'B',
      otherRefNum: so.otherRefNum,
      lines,
    };
    for (const soLine of so.lines) soLine.quantityBilled += billed.get(soLine.line) ?? 0;
    this.state.transactions[bill.id] = bill;
    so.children.push(bill.id);
    so.lastModifiedDate = now;
    return bill;
  }

  private bodyExternalId(body: Json, type: NsTransaction['type']): string | null {
    const raw = body.externalId ?? body.externalid;
    if (raw === undefined || raw === null || raw === '') return null;
    const eid = checkExternalId(stringValue(raw, 'externalId', 'externalId'));
    if (this.externalIdTaken(type, eid))
      throw new NsError(400, 'DUP_RCRD', `A record with the external ID '${eid}' already exists.`, 'externalId');
    return eid;
  }

  private bodyCustom(body: Json): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => isCustomBody(k))
        .map(([k, v]) => [k.toLowerCase(), v]),
    );
  }

  private sublistEntries(body: Json): Array<{
    path: string;
    orderLine?: number;
    kitMemberOf?: number;
    item?: string;
    quantity?: number;
    location?: string;
    itemReceive?: boolean;
    inventoryDetail?: unknown;
  }> {
    const sub = body.item ?? body.Item;
    if (sub === undefined) return [];
    const items = isObject(sub) ? sub.items : undefined;
    if (!Array.isArray(items))
      throw new NsError(400, 'INVALID_FLD_VALUE', 'The sublist item must be an object with an items array.', 'item');
    return items.map((raw, i) => {
      const path = `item.items[${i}]`;
      if (!isObject(raw)) throw new NsError(400, 'INVALID_FLD_VALUE', 'A sublist line must be an object.', path);
      const f = lower(raw);
      const get = (k: string): unknown => f.get(k)?.value;
      const itemRef = get('item') === undefined ? undefined : this.itemRef(get('item'), `${path}.item`).id;
      const receive = get('itemreceive') ?? get('apply');
      return {
        path,
        ...(get('orderline') !== undefined
          ? { orderLine: numberValue(get('orderline'), 'orderLine', `${path}.orderLine`) }
          : {}),
        ...(get('kitmemberof') !== undefined
          ? { kitMemberOf: numberValue(get('kitmemberof'), 'kitMemberOf', `${path}.kitMemberOf`) }
          : {}),
        ...(itemRef ? { item: itemRef } : {}),
        ...(get('quantity') !== undefined
          ? { quantity: numberValue(get('quantity'), 'quantity', `${path}.quantity`) }
          : {}),
        ...(get('location') !== undefined && get('location') !== null
          ? { location: this.locationRef(get('location'), `${path}.location`) ?? undefined }
          : {}),
        ...(receive !== undefined ? { itemReceive: boolValue(receive, 'itemReceive', `${path}.itemReceive`) } : {}),
        ...(get('inventorydetail') !== undefined ? { inventoryDetail: get('inventorydetail') } : {}),
      };
    });
  }

  // ---- standalone cash sales --------------------------------------------------------------------------------

  createCashSale(body: Json, options: { externalId?: string } = {}): NsBill {
    const fields = lower(body);
    for (const [name, { key }] of fields) {
      if (isCustomBody(key) || readOnlyFields.has(name)) continue;
      if (!headerFieldsSo.has(name) && name !== 'undepfunds' && name !== 'paymentmethod' && name !== 'account')
        throw unknownField('cashSale', key, key);
    }
    const entity = this.customerRef(fields.get('entity')?.value, 'entity');
    const headerLocation = this.locationRef(fields.get('location')?.value, 'location');
    const rawItems = fields.get('item')?.value;
    const items = isObject(rawItems) ? rawItems.items : undefined;
    if (!Array.isArray(items) || items.length === 0)
      throw userError('You must enter at least one line item for this transaction.', 'item');
    const lines: NsBillLine[] = [];
    const moves: Array<{ item: NsItem; location: string; quantity: number; detail: NsAssignment[] | null }> = [];
    items.forEach((raw, i) => {
      const path = `item.items[${i}]`;
      if (!isObject(raw)) throw new NsError(400, 'INVALID_FLD_VALUE', 'A sublist line must be an object.', path);
      const f = lower(raw);
      const custom: Record<string, unknown> = {};
      for (const [name, { key, value }] of f) {
        if (isCustomLine(key)) custom[key.toLowerCase()] = value;
        else if (!lineFields.has(name) && !lineReadOnly.has(name))
          throw unknownField('cashSale.item', key, `${path}.${key}`);
      }
      const item = this.itemRef(f.get('item')?.value, `${path}.item`);
      const quantity = f.get('quantity') ? numberValue(f.get('quantity')?.value, 'quantity', `${path}.quantity`) : 1;
      if (quantity <= 0) throw invalidValue(quantity, 'quantity', `${path}.quantity`);
      const rate = f.get('rate') ? numberValue(f.get('rate')?.value, 'rate', `${path}.rate`) : item.basePrice;
      const location = this.locationRef(f.get('location')?.value, `${path}.location`) ?? headerLocation;
      let detail: NsAssignment[] | null = null;
      if (item.itemType === 'kitItem') {
        // Kits with serial or lot components are not supported on standalone cash sales (§5, section_N2225398).
        const numbered = item.members.some((m) => {
          const t = this.state.items[m.item]?.itemType;
          return t === 'serializedInventoryItem' || t === 'lotNumberedInventoryItem';
        });
        if (numbered)
          throw userError(
            'Kits with serialized or lot numbered components are not supported on standalone cash sales. Create the cash sale from a sales order.',
            `${path}.item`,
          );
      }
      if (item.itemType !== 'nonInventorySaleItem') {
        if (!location) throw required('location', `${path}.location`);
        if (item.itemType === 'kitItem') {
          for (const m of item.members) {
            const comp = this.state.items[m.item];
            if (!comp) continue;
            const q = round2(quantity * m.quantity);
            const compDetail = this.validateDetail(comp, location, q, undefined, i + 1, path);
            moves.push({ item: comp, location, quantity: q, detail: compDetail });
          }
        } else {
          detail = this.validateDetail(item, location, quantity, f.get('inventorydetail')?.value, i + 1, path);
          moves.push({ item, location, quantity, detail });
        }
      }
      const amount = f.get('amount')
        ? round2(numberValue(f.get('amount')?.value, 'amount', `${path}.amount`))
        : round2(quantity * rate);
      lines.push({
        line: i + 1,
        orderLine: null,
        item: item.id,
        quantity,
        rate,
        amount,
        location,
        inventoryDetail: detail,
        custom,
      });
    });
    const externalIdRaw = options.externalId ?? fields.get('externalid')?.value;
    const externalId =
      externalIdRaw === undefined || externalIdRaw === null || externalIdRaw === ''
        ? null
        : checkExternalId(stringValue(externalIdRaw, 'externalId', 'externalId'));
    if (externalId && this.externalIdTaken('cashSale', externalId)) {
      throw new NsError(400, 'DUP_RCRD', `A record with the external ID '${externalId}' already exists.`, 'externalId');
    }
    const now = this.stamp();
    const tranDateRaw = fields.get('trandate')?.value;
    const sale: NsBill = {
      type: 'cashSale',
      id: this.nextId('transaction'),
      tranId:
        typeof fields.get('tranid')?.value === 'string' ? String(fields.get('tranid')?.value) : this.nextTranId('CS'),
      externalId,
      tranDate: tranDateRaw === undefined ? this.today() : dateValue(tranDateRaw, 'tranDate', 'tranDate'),
      entity: entity.id,
      memo: typeof fields.get('memo')?.value === 'string' ? String(fields.get('memo')?.value) : '',
      location: headerLocation,
      custom: this.bodyCustom(body),
      createdDate: now,
      lastModifiedDate: now,
      createdFrom: null,
      statusCode: 'B',
      otherRefNum: typeof fields.get('otherrefnum')?.value === 'string' ? String(fields.get('otherrefnum')?.value) : '',
      lines,
    };
    for (const m of moves) this.takeStock(m.item, m.location, m.quantity, m.detail);
    this.state.transactions[sale.id] = sale;
    return sale;
  }

  /** PATCH on a cash sale (or invoice): header fields and custom fields; lines cannot be changed here. */
  updateBill(bill: NsBill, body: Json): NsBill {
    const draft = structuredClone(bill);
    for (const [name, { key, value }] of lower(body)) {
      if (isCustomBody(key)) {
        draft.custom[key.toLowerCase()] = value;
        continue;
      }
      if (readOnlyFields.has(name)) continue;
      switch (name) {
        case 'memo':
          draft.memo = stringValue(value, 'memo', key);
          break;
        case 'otherrefnum':
          draft.otherRefNum = stringValue(value, 'otherRefNum', key);
          break;
        case 'externalid':
          draft.externalId =
            value === null || value === '' ? null : checkExternalId(stringValue(value, 'externalId', key), key);
          if (draft.externalId && this.externalIdTaken(bill.type, draft.externalId, bill.id)) {
            throw new NsError(
              400,
              'DUP_RCRD',
              `A record with the external ID '${draft.externalId}' already exists.`,
              'externalId',
            );
          }
          break;
        case 'trandate':
          draft.tranDate = dateValue(value, 'tranDate', key);
          break;
        case 'item':
          throw userError(
            'This simulator does not change the lines of a billed transaction; create a new one instead.',
            key,
          );
        default:
          if (!headerFieldsSo.has(name)) throw unknownField(bill.type, key, key);
      }
    }
    draft.lastModifiedDate = this.stamp();
    Object.assign(bill, draft);
    return bill;
  }

  upsertCashSale(externalId: string, body: Json): { record: NsBill; created: boolean } {
    checkExternalId(externalId);
    const id = this.resolveTransactionId('cashSale', `eid:${externalId}`);
    if (id)
      return { record: this.updateBill(this.transaction('cashSale', id), { ...body, externalId }), created: false };
    return { record: this.createCashSale(body, { externalId }), created: true };
  }

  // ---- the person in NetSuite (seeding, back office, control route) -------------------------------------

  /** Fulfils/bills a new order until it reaches `target`, choosing serials and bins itself. */
  advanceTo(so: NsSalesOrder, target: SalesOrderStatus): void {
    if (target === 'A') return;
    so.approval = 'B';
    if (target === 'B') return;
    if (target === 'C') {
      so.approval = 'C';
      return;
    }
    if (target === 'H') {
      for (const line of so.lines) line.isClosed = true;
      return;
    }
    const billTarget = customForms[so.customForm]?.bills ?? 'invoice';
    const fulfilLines = (portion: 'first' | 'all'): void => {
      const open = so.lines.filter((l) => !l.isClosed && l.quantity > l.quantityFulfilled);
      const chosen = portion === 'first' ? open.slice(0, 1) : open;
      const items = so.lines
        .filter((l) => !l.isClosed && l.quantity > l.quantityFulfilled)
        .map((l) => {
          if (!chosen.includes(l)) return { orderLine: l.line, itemReceive: false };
          const item = this.state.items[l.item];
          const location = l.location ?? so.location ?? '';
          const remaining = l.quantity - l.quantityFulfilled;
          if (item?.itemType === 'kitItem') {
            return [
              { orderLine: l.line },
              ...item.members.flatMap((m) => {
                const comp = this.state.items[m.item];
                const detail = comp ? this.autoDetail(comp, location, remaining * m.quantity) : undefined;
                return detail ? [{ orderLine: l.line, item: { id: m.item }, inventoryDetail: detail }] : [];
              }),
            ];
          }
          const detail = item ? this.autoDetail(item, location, remaining) : undefined;
          return { orderLine: l.line, ...(detail ? { inventoryDetail: detail } : {}) };
        })
        .flat();
      this.fulfil(so, { item: { items } });
    };
    if (target === 'D' || target === 'E') {
      if (so.lines.filter((l) => !l.isClosed).length < 2)
        throw userError('A partially fulfilled order needs at least two lines.');
      fulfilLines('first');
      if (target === 'D' && this.state.config.advancedShipping) this.bill(so, billTarget, {});
      return;
    }
    fulfilLines('all');
    if (target === 'G' && this.state.config.advancedShipping) this.bill(so, billTarget, {});
  }
}

export interface RaiseInput {
  customer: string;
  items: Array<{ item: string; quantity: number; rate?: number }>;
  location?: string | null;
  shipMethod?: string | null;
  fulfilment?: 'pickup' | 'delivery' | 'ship';
  status?: SalesOrderStatus;
  externalId?: string;
  memo?: string;
  otherRefNum?: string;
  customForm?: 'invoice' | 'cashSale' | string;
  tranDate?: string;
  custom?: Record<string, unknown>;
}

/** The body a person's order turns into; `fulfilment: pickup` sets Store Pickup on every line at the location [I]. */
export function raiseBody(book: NetsuiteBook, input: RaiseInput): Json {
  const pickup = input.fulfilment === 'pickup';
  let shipMethod = input.shipMethod ?? null;
  if (!shipMethod && input.fulfilment) {
    const wanted =
      input.fulfilment === 'pickup'
        ? 'Store Pickup'
        : input.fulfilment === 'delivery'
          ? 'Local Delivery'
          : 'UPS Ground';
    shipMethod = Object.values(book.state.shipMethods).find((s) => s.itemId === wanted)?.id ?? null;
  }
  const choice: FulfilmentChoice = pickup ? 'storePickup' : 'ship';
  const form =
    input.customForm === 'cashSale'
      ? cashSaleFormId
      : input.customForm === 'invoice' || !input.customForm
        ? invoiceFormId
        : input.customForm;
  return {
    entity: { id: input.customer },
    ...(input.location ? { location: { id: input.location } } : {}),
    ...(shipMethod ? { shipMethod: { id: shipMethod } } : {}),
    ...(input.externalId ? { externalId: input.externalId } : {}),
    ...(input.memo ? { memo: input.memo } : {}),
    ...(input.otherRefNum ? { otherRefNum: input.otherRefNum } : {}),
    ...(input.tranDate ? { tranDate: input.tranDate } : {}),
    ...(input.custom ?? {}),
    customForm: { id: form },
    item: {
      items: input.items.map((l) => ({
        item: { id: l.item },
        quantity: l.quantity,
        ...(l.rate !== undefined ? { rate: l.rate } : {}),
        ...(input.location ? { location: { id: input.location } } : {}),
        itemFulfillmentChoice: { id: choice },
      })),
    },
  };
}
