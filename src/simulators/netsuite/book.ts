import type { SimClock } from '../shared/clock.ts';
import { autoDetail, takeStock, validateDetail } from './inventory-detail.ts';
import { NsError, invalidValue, notFound, required, userError } from './errors.ts';
import {
  Refs,
  boolValue,
  checkExternalId,
  dateValue,
  headerFieldsSo,
  isCustomBody,
  isCustomLine,
  isObject,
  lineFields,
  lineReadOnly,
  lower,
  numberValue,
  readOnlyFields,
  refValue,
  round2,
  selectFields,
  stringValue,
  unknownField,
  type Json,
} from './fields.ts';
import {
  cashSaleFormId,
  customForms,
  invoiceFormId,
  type FulfilmentChoice,
  type NsAssignment,
  type NsBill,
  type NsBillLine,
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

export { checkExternalId, isObject, refValue } from './fields.ts';

export class NetsuiteBook {
  state: NsState;
  readonly clock: SimClock;
  readonly refs: Refs;

  constructor(state: NsState, clock: SimClock) {
    this.state = state;
    this.clock = clock;
    this.refs = new Refs(this);
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
        so.custom[this.refs.customField('salesOrder', key, key)] = value;
        continue;
      }
      if (readOnlyFields.has(name)) continue;
      if (!headerFieldsSo.has(name)) throw unknownField('salesOrder', key, key);
      switch (name) {
        case 'entity':
          if (!creating && so.children.length > 0 && this.refs.customer(value, key).id !== so.entity) {
            throw userError('You cannot change the customer of a sales order that has been fulfilled or billed.', key);
          }
          so.entity = this.refs.customer(value, key).id;
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
          so.location = this.refs.location(value, key);
          break;
        case 'shipmethod':
          so.shipMethod = this.refs.shipMethod(value, key);
          break;
        case 'customform':
          so.customForm = this.refs.form(value, key);
          break;
        case 'shipaddress':
          so.shipAddress = stringValue(value, 'shipAddress', key);
          break;
        case 'item':
          this.applyOrderLines(so, value, key, replaceLines || creating);
          break;
        default:
          // The account has one currency and one subsidiary and no departments, classes, sales reps or terms: a
          // reference must name what exists. Other known fields are accepted and ignored.
          if (selectFields[name]) this.refs.select(name, value, key);
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
        const item = this.refs.item(f.get('item')?.value, `${path}.item`);
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
          line.custom[this.refs.customField('salesOrder', k, p)] = v;
          continue;
        }
        if (lineReadOnly.has(name) || name === 'line') continue;
        if (!lineFields.has(name)) throw unknownField('salesOrder.item', k, p);
        switch (name) {
          case 'item': {
            const item = this.refs.item(v, p);
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
            line.location = this.refs.location(v, p);
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
          const detail = validateDetail(
            this.state,
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
        const detail = validateDetail(this.state, item, location, quantity, main?.inventoryDetail, kitLine, path);
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
    const custom = this.bodyCustom(body, 'itemFulfillment');
    const fulfillment: NsItemFulfillment = {
      type: 'itemFulfillment',
      id: this.nextId('transaction'),
      tranId: this.nextTranId('IF'),
      externalId: this.bodyExternalId(body, 'itemFulfillment'),
      tranDate: this.today(),
      entity: so.entity,
      memo: typeof body.memo === 'string' ? body.memo : '',
      location: lines[0]?.location ?? null,
      custom,
      createdDate: now,
      lastModifiedDate: now,
      createdFrom: so.id,
      shipStatus,
      lines,
    };
    for (const m of moves) takeStock(this.state, m.item, m.location, m.quantity, m.detail);
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
    const custom = this.bodyCustom(body, target);
    const bill: NsBill = {
      type: target,
      id: this.nextId('transaction'),
      tranId: this.nextTranId(target === 'invoice' ? 'INV' : 'CS'),
      externalId: this.bodyExternalId(body, target),
      tranDate: this.today(),
      entity: so.entity,
      memo: typeof body.memo === 'string' ? body.memo : '',
      location: so.location,
      custom,
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

  /** The body's custom header fields, each defined in the account for `type` (else refused). */
  private bodyCustom(body: Json, type: NsTransaction['type']): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(body)
        .filter(([k]) => isCustomBody(k))
        .map(([k, v]) => [this.refs.customField(type, k, k), v]),
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
      const itemRef = get('item') === undefined ? undefined : this.refs.item(get('item'), `${path}.item`).id;
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
          ? { location: this.refs.location(get('location'), `${path}.location`) ?? undefined }
          : {}),
        ...(receive !== undefined ? { itemReceive: boolValue(receive, 'itemReceive', `${path}.itemReceive`) } : {}),
        ...(get('inventorydetail') !== undefined ? { inventoryDetail: get('inventorydetail') } : {}),
      };
    });
  }

  // ---- standalone cash sales --------------------------------------------------------------------------------

  createCashSale(body: Json, options: { externalId?: string } = {}): NsBill {
    const fields = lower(body);
    const custom = this.bodyCustom(body, 'cashSale');
    for (const [name, { key, value }] of fields) {
      if (isCustomBody(key) || readOnlyFields.has(name)) continue;
      if (!headerFieldsSo.has(name) && name !== 'undepfunds' && name !== 'paymentmethod' && name !== 'account')
        throw unknownField('cashSale', key, key);
      if (selectFields[name]) this.refs.select(name, value, key);
      if (name === 'shipmethod') this.refs.shipMethod(value, key);
    }
    const entity = this.refs.customer(fields.get('entity')?.value, 'entity');
    const headerLocation = this.refs.location(fields.get('location')?.value, 'location');
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
        if (isCustomLine(key)) custom[this.refs.customField('cashSale', key, `${path}.${key}`)] = value;
        else if (!lineFields.has(name) && !lineReadOnly.has(name))
          throw unknownField('cashSale.item', key, `${path}.${key}`);
      }
      const item = this.refs.item(f.get('item')?.value, `${path}.item`);
      const quantity = f.get('quantity') ? numberValue(f.get('quantity')?.value, 'quantity', `${path}.quantity`) : 1;
      if (quantity <= 0) throw invalidValue(quantity, 'quantity', `${path}.quantity`);
      const rate = f.get('rate') ? numberValue(f.get('rate')?.value, 'rate', `${path}.rate`) : item.basePrice;
      const location = this.refs.location(f.get('location')?.value, `${path}.location`) ?? headerLocation;
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
            const compDetail = validateDetail(this.state, comp, location, q, undefined, i + 1, path);
            moves.push({ item: comp, location, quantity: q, detail: compDetail });
          }
        } else {
          detail = validateDetail(this.state, item, location, quantity, f.get('inventorydetail')?.value, i + 1, path);
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
      custom,
      createdDate: now,
      lastModifiedDate: now,
      createdFrom: null,
      statusCode: 'B',
      otherRefNum: typeof fields.get('otherrefnum')?.value === 'string' ? String(fields.get('otherrefnum')?.value) : '',
      lines,
    };
    for (const m of moves) takeStock(this.state, m.item, m.location, m.quantity, m.detail);
    this.state.transactions[sale.id] = sale;
    return sale;
  }

  /** PATCH on a cash sale (or invoice): header fields and custom fields; lines cannot be changed here. */
  updateBill(bill: NsBill, body: Json): NsBill {
    const draft = structuredClone(bill);
    for (const [name, { key, value }] of lower(body)) {
      if (isCustomBody(key)) {
        draft.custom[this.refs.customField(bill.type, key, key)] = value;
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
          if (selectFields[name]) this.refs.select(name, value, key);
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
                const detail = comp ? autoDetail(this.state, comp, location, remaining * m.quantity) : undefined;
                return detail ? [{ orderLine: l.line, item: { id: m.item }, inventoryDetail: detail }] : [];
              }),
            ];
          }
          const detail = item ? autoDetail(this.state, item, location, remaining) : undefined;
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
