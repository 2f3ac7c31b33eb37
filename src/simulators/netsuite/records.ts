import {
  cashSaleStatuses,
  currency,
  customForms,
  fulfillmentStatuses,
  invoiceStatuses,
  salesOrderStatuses,
  subsidiary,
  type NsAssignment,
  type NsBill,
  type NsItem,
  type NsItemFulfillment,
  type NsOrderLine,
  type NsSalesOrder,
  type NsState,
  type NsTransaction,
} from './model.ts';
import type { NetsuiteBook } from './book.ts';

/**
 * Records as the REST record API shows them: `links`, references as `{links, id, refName}`, sublists either as a link
 * (default) or inlined with `?expandSubResources=true` (§3). Null fields are left out, as NetSuite does.
 */

type Json = Record<string, unknown>;

export const recordPath = '/services/rest/record/v1';

export class RecordWriter {
  readonly base: string;
  readonly book: NetsuiteBook;

  constructor(book: NetsuiteBook, origin: string) {
    this.book = book;
    this.base = `${origin}${recordPath}`;
  }

  get state(): NsState {
    return this.book.state;
  }

  self(type: string, id: string): Array<{ rel: string; href: string }> {
    return [{ rel: 'self', href: `${this.base}/${type}/${id}` }];
  }

  ref(type: string, id: string | null | undefined, refName?: string): Json | undefined {
    if (id === null || id === undefined) return undefined;
    return { links: this.self(type, id), id, ...(refName !== undefined ? { refName } : {}) };
  }

  itemRef(id: string): Json | undefined {
    const item = this.state.items[id];
    return this.ref(item?.itemType ?? 'inventoryItem', id, item?.itemId);
  }

  entityRef(id: string): Json | undefined {
    const c = this.state.customers[id];
    return this.ref(
      'customer',
      id,
      c ? `${c.entityId} ${c.isPerson ? `${c.firstName} ${c.lastName}` : c.companyName}` : undefined,
    );
  }

  locationRef(id: string | null): Json | undefined {
    return id ? this.ref('location', id, this.state.locations[id]?.name) : undefined;
  }

  sublist(type: string, id: string, name: string, lines: Json[], expand: boolean): Json {
    const links = [{ rel: 'self', href: `${this.base}/${type}/${id}/${name}` }];
    if (!expand) return { links };
    return { links, count: lines.length, hasMore: false, items: lines, offset: 0, totalResults: lines.length };
  }

  custom(fields: Record<string, unknown>): Json {
    return { ...fields };
  }

  detail(assignments: NsAssignment[] | null): Json | undefined {
    if (!assignments) return undefined;
    return {
      inventoryAssignment: {
        items: assignments.map((a) => ({
          ...(a.inventoryNumber
            ? {
                issueInventoryNumber: this.ref(
                  'inventoryNumber',
                  a.inventoryNumber,
                  this.state.inventoryNumbers[a.inventoryNumber]?.inventoryNumber,
                ),
              }
            : {}),
          ...(a.bin ? { binNumber: this.ref('bin', a.bin, this.state.bins[a.bin]?.binNumber) } : {}),
          quantity: a.quantity,
        })),
      },
    };
  }

  orderLine(so: NsSalesOrder, line: NsOrderLine): Json {
    const item = this.state.items[line.item];
    return clean({
      links: [{ rel: 'self', href: `${this.base}/salesOrder/${so.id}/item/${line.line}` }],
      line: line.line,
      item: this.itemRef(line.item),
      itemType: item ? itemTypeCode(item) : undefined,
      description: line.description,
      quantity: line.quantity,
      rate: line.rate,
      amount: line.amount,
      location: this.locationRef(line.location),
      isClosed: line.isClosed,
      quantityFulfilled: line.quantityFulfilled,
      quantityBilled: line.quantityBilled,
      // Store Pickup: [I] the line field is `itemFulfillmentChoice` (Ship / Store Pickup) in accounts with that feature.
      itemFulfillmentChoice: {
        id: line.itemFulfillmentChoice,
        refName: line.itemFulfillmentChoice === 'ship' ? 'Ship' : 'Store Pickup',
      },
      ...this.custom(line.custom),
    });
  }

  salesOrder(so: NsSalesOrder, expand: boolean): Json {
    const code = this.book.statusOf(so);
    const status = { id: code, refName: salesOrderStatuses[code] };
    const subtotal = round2(so.lines.reduce((s, l) => s + l.amount, 0));
    const ship = so.shipMethod ? this.state.shipMethods[so.shipMethod] : undefined;
    return clean({
      links: this.self('salesOrder', so.id),
      id: so.id,
      tranId: so.tranId,
      externalId: so.externalId ?? undefined,
      tranDate: so.tranDate,
      createdDate: so.createdDate,
      lastModifiedDate: so.lastModifiedDate,
      entity: this.entityRef(so.entity),
      // `status` is read-only {id, refName} (§3); orderStatus shows the same code.
      status,
      orderStatus: status,
      customForm: this.ref('customForm', so.customForm, customForms[so.customForm]?.name),
      currency: this.ref('currency', currency.id, currency.name),
      subsidiary: this.ref('subsidiary', subsidiary.id, subsidiary.name),
      location: this.locationRef(so.location),
      shipMethod: ship ? this.ref('shipItem', ship.id, ship.itemId) : undefined,
      shipDate: so.shipDate ?? undefined,
      shipAddress: so.shipAddress || undefined,
      memo: so.memo || undefined,
      otherRefNum: so.otherRefNum || undefined,
      subtotal,
      total: subtotal,
      ...this.custom(so.custom),
      item: this.sublist(
        'salesOrder',
        so.id,
        'item',
        so.lines.map((l) => this.orderLine(so, l)),
        expand,
      ),
    });
  }

  fulfillment(f: NsItemFulfillment, expand: boolean): Json {
    const lines = f.lines.map((l) =>
      clean({
        line: l.line,
        orderLine: l.orderLine,
        item: this.itemRef(l.item),
        quantity: l.quantity,
        location: this.locationRef(l.location),
        itemReceive: true,
        kitMemberOf: l.kitMemberOf ?? undefined,
        inventoryDetail: this.detail(l.inventoryDetail),
      }),
    );
    return clean({
      links: this.self('itemFulfillment', f.id),
      id: f.id,
      tranId: f.tranId,
      externalId: f.externalId ?? undefined,
      tranDate: f.tranDate,
      createdDate: f.createdDate,
      lastModifiedDate: f.lastModifiedDate,
      entity: this.entityRef(f.entity),
      createdFrom: this.ref('salesOrder', f.createdFrom, this.state.transactions[f.createdFrom]?.tranId),
      shipStatus: { id: f.shipStatus, refName: fulfillmentStatuses[f.shipStatus] },
      status: { id: f.shipStatus, refName: fulfillmentStatuses[f.shipStatus] },
      memo: f.memo || undefined,
      ...this.custom(f.custom),
      item: this.sublist('itemFulfillment', f.id, 'item', lines, expand),
    });
  }

  bill(b: NsBill, expand: boolean): Json {
    const names: Record<string, string> = b.type === 'invoice' ? invoiceStatuses : cashSaleStatuses;
    const lines = b.lines.map((l) =>
      clean({
        line: l.line,
        orderLine: l.orderLine ?? undefined,
        item: this.itemRef(l.item),
        quantity: l.quantity,
        rate: l.rate,
        amount: l.amount,
        location: this.locationRef(l.location),
        inventoryDetail: this.detail(l.inventoryDetail),
        ...this.custom(l.custom),
      }),
    );
    const total = round2(b.lines.reduce((s, l) => s + l.amount, 0));
    return clean({
      links: this.self(b.type, b.id),
      id: b.id,
      tranId: b.tranId,
      externalId: b.externalId ?? undefined,
      tranDate: b.tranDate,
      createdDate: b.createdDate,
      lastModifiedDate: b.lastModifiedDate,
      entity: this.entityRef(b.entity),
      createdFrom: b.createdFrom
        ? this.ref('salesOrder', b.createdFrom, this.state.transactions[b.createdFrom]?.tranId)
        : undefined,
      status: { id: b.statusCode, refName: names[b.statusCode] },
      location: this.locationRef(b.location),
      currency: this.ref('currency', currency.id, currency.name),
      memo: b.memo || undefined,
      otherRefNum: b.otherRefNum || undefined,
      subtotal: total,
      total,
      ...this.custom(b.custom),
      item: this.sublist(b.type, b.id, 'item', lines, expand),
    });
  }

  transaction(t: NsTransaction, expand: boolean): Json {
    if (t.type === 'salesOrder') return this.salesOrder(t, expand);
    if (t.type === 'itemFulfillment') return this.fulfillment(t, expand);
    return this.bill(t, expand);
  }

  item(item: NsItem, expand: boolean): Json {
    const members = item.members.map((m) => ({ item: this.itemRef(m.item), quantity: m.quantity }));
    return clean({
      links: this.self(item.itemType, item.id),
      id: item.id,
      itemId: item.itemId,
      displayName: item.displayName,
      upcCode: item.upcCode ?? undefined,
      externalId: item.externalId ?? undefined,
      isInactive: item.isInactive,
      isSerialItem: item.itemType === 'serializedInventoryItem',
      isLotItem: item.itemType === 'lotNumberedInventoryItem',
      useBins: item.useBins,
      basePrice: item.basePrice,
      cost: item.cost,
      vendorName: item.vendorName || undefined,
      createdDate: item.createdDate,
      lastModifiedDate: item.lastModifiedDate,
      ...(item.itemType === 'kitItem'
        ? {
            member: expand
              ? {
                  links: [],
                  count: members.length,
                  hasMore: false,
                  items: members,
                  offset: 0,
                  totalResults: members.length,
                }
              : { links: [{ rel: 'self', href: `${this.base}/kitItem/${item.id}/member` }] },
          }
        : {}),
      ...(item.itemType !== 'kitItem' && item.itemType !== 'nonInventorySaleItem'
        ? {
            locations: expand
              ? {
                  links: [],
                  items: Object.entries(item.onHand).map(([loc, q]) => ({
                    location: this.locationRef(loc),
                    quantityOnHand: q,
                  })),
                }
              : { links: [{ rel: 'self', href: `${this.base}/${item.itemType}/${item.id}/locations` }] },
          }
        : {}),
    });
  }
}

export function itemTypeCode(item: NsItem): string {
  return item.itemType === 'kitItem' ? 'Kit' : item.itemType === 'nonInventorySaleItem' ? 'NonInvtPart' : 'InvtPart';
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Drops undefined fields (NetSuite leaves empty fields out of a record). */
export function clean(obj: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
