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
  type NsInventoryNumber,
  type NsItemFulfillment,
  type NsOrderLine,
  type NsSalesOrder,
  type NsState,
  type NsTransaction,
} from './model.ts';
import type { NetsuiteBook } from './book.ts';

/**
 * Records as the REST record API shows them, in the shapes of a real record dump (recorded-shapes/divergences.md,
 * NetSuite: a purchaseOrder read with `?expandSubResources=true`): references `{id, links[], refName}`, code fields
 * `{id, refName}`, sublists `{items[], links[], totalResults}` when inlined with `?expandSubResources=true` and a link
 * otherwise (§3), `tranDate` `YYYY-MM-DD`, `createdDate`/`lastModifiedDate` `YYYY-MM-DDTHH:MM:SSZ`. Null fields are
 * left out, as NetSuite does.
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
    return { id, links: this.self(type, id), ...(refName !== undefined ? { refName } : {}) };
  }

  /** A select field with no record of its own (a status, an item type): `{id, refName}`, as the dump shows. */
  code(id: string, refName: string = id): Json {
    return { id, refName };
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
    return { items: lines, links, totalResults: lines.length };
  }

  custom(fields: Record<string, unknown>): Json {
    return { ...fields };
  }

  detail(assignments: NsAssignment[] | null): Json | undefined {
    if (!assignments) return undefined;
    const items = assignments.map((a) => ({
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
    }));
    // `{links[], inventoryAssignment{items[], links[], totalResults}}` (the dump's line inventoryDetail).
    return { links: [], inventoryAssignment: { items, links: [], totalResults: items.length } };
  }

  orderLine(so: NsSalesOrder, line: NsOrderLine): Json {
    const item = this.state.items[line.item];
    return clean({
      links: [{ rel: 'self', href: `${this.base}/salesOrder/${so.id}/item/${line.line}` }],
      line: line.line,
      item: this.itemRef(line.item),
      itemType: item ? this.code(itemTypeCode(item)) : undefined,
      description: line.description,
      quantity: line.quantity,
      rate: line.rate,
      amount: line.amount,
      location: this.locationRef(line.location),
      isClosed: line.isClosed,
      quantityFulfilled: line.quantityFulfilled,
      quantityBilled: line.quantityBilled,
      // Store Pickup: [I] the line field is `itemFulfillmentChoice` (Ship / Store Pickup) in accounts with that feature.
      itemFulfillmentChoice: this.code(
        line.itemFulfillmentChoice,
        line.itemFulfillmentChoice === 'ship' ? 'Ship' : 'Store Pickup',
      ),
      ...this.custom(line.custom),
    });
  }

  salesOrder(so: NsSalesOrder, expand: boolean): Json {
    const code = this.book.statusOf(so);
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
      // As the real record shows it (divergences.md F1): `status` is display text in both id and refName; the code
      // letter (A–H, §3.1) is in `orderStatus`. [I] for salesOrder: the dump is a purchaseOrder.
      status: this.code(salesOrderStatuses[code]),
      orderStatus: this.code(code),
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
      // [I] The same split as a sales order's: the code in `shipStatus`, display text in `status`.
      shipStatus: this.code(f.shipStatus),
      status: this.code(fulfillmentStatuses[f.shipStatus]),
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
      status: this.code(names[b.statusCode] ?? b.statusCode),
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

  /**
   * An inventory number (a serial or lot) as REST shows it: `inventoryNumber`, `item`, `expirationDate`, and a
   * `locations` sublist (location, quantityOnHand, quantityAvailable, quantityOnOrder, quantityInTransit), with no
   * top-level location, bin or quantity (divergences.md F6: the SOAP type `InventoryNumber.locationsList`; the REST
   * name `locations` is [I]). Bins are not on it: they are on a transaction line's inventory detail.
   */
  inventoryNumber(n: NsInventoryNumber, expand: boolean): Json {
    const row = {
      location: this.locationRef(n.location),
      quantityOnHand: n.quantityOnHand,
      // No commitments, orders or transfers are simulated: available = on hand.
      quantityAvailable: n.quantityOnHand,
      quantityOnOrder: 0,
      quantityInTransit: 0,
    };
    return clean({
      id: n.id,
      links: this.self('inventoryNumber', n.id),
      inventoryNumber: n.inventoryNumber,
      item: this.itemRef(n.item),
      expirationDate: n.expirationDate ?? undefined,
      locations: this.sublist('inventoryNumber', n.id, 'locations', [row], expand),
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
            member: this.sublist('kitItem', item.id, 'member', members, expand),
          }
        : {}),
      ...(item.itemType !== 'kitItem' && item.itemType !== 'nonInventorySaleItem'
        ? {
            locations: this.sublist(
              item.itemType,
              item.id,
              'locations',
              Object.entries(item.onHand).map(([loc, q]) => ({ location: this.locationRef(loc), quantityOnHand: q })),
              expand,
            ),
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
