import type { NsState, NsTransaction } from './model.ts';

/**
 * The metadata catalog (Oracle: "Working with Resource Metadata", chapter_1540810168; "Working with JSON Schema
 * Metadata", section_1545129726): `GET …/record/v1/metadata-catalog/{type}` with `Accept: application/schema+json`
 * answers a JSON Schema of the record whose `properties` include the account's custom fields, each marked
 * `"x-ns-custom-field": true` [V: the docs' customer example]. It is how a client learns which custom fields exist
 * before it writes one. The standard properties listed here are the fields this simulator takes, not NetSuite's
 * full list [I].
 */

type Property = Record<string, unknown>;

const text = (title: string): Property => ({ title, type: 'string', nullable: true });
const date = (title: string): Property => ({ title, type: 'string', format: 'date', nullable: true });
const ref = (title: string): Property => ({
  title,
  type: 'object',
  properties: {
    id: { title: 'Internal identifier', type: 'string' },
    refName: { title: 'Reference Name', type: 'string' },
  },
});
const sublist = (title: string): Property => ({ title, type: 'object', properties: { items: { type: 'array' } } });

const transactionProperties: Record<string, Property> = {
  id: text('Internal ID'),
  tranId: text('Document Number'),
  tranDate: date('Date'),
  externalId: text('External ID'),
  entity: ref('Customer'),
  memo: text('Memo'),
  location: ref('Location'),
  createdDate: { title: 'Date Created', type: 'string', format: 'date-time', nullable: true },
  lastModifiedDate: { title: 'Date Last Modified', type: 'string', format: 'date-time', nullable: true },
  status: ref('Status'),
  item: sublist('Items'),
};

const extra: Record<NsTransaction['type'], Record<string, Property>> = {
  salesOrder: {
    orderStatus: ref('Status'),
    otherRefNum: text('PO #'),
    shipMethod: ref('Shipping Method'),
    shipDate: date('Ship Date'),
    customForm: ref('Custom Form'),
  },
  itemFulfillment: { createdFrom: ref('Created From'), shipStatus: ref('Status') },
  invoice: { createdFrom: ref('Created From'), otherRefNum: text('PO #') },
  cashSale: { createdFrom: ref('Created From'), otherRefNum: text('PO #') },
};

/** `salesorder` → `salesOrder`, or undefined for a type the catalog here does not describe. */
export function catalogType(raw: string): NsTransaction['type'] | undefined {
  const types = Object.keys(extra) as Array<NsTransaction['type']>;
  return types.find((t) => t.toLowerCase() === raw.toLowerCase());
}

export function catalogTypes(): string[] {
  return Object.keys(extra).map((t) => t.toLowerCase());
}

/** The JSON Schema of a transaction record, with the account's custom body fields for it. */
export function recordSchema(state: NsState, type: NsTransaction['type']): Record<string, unknown> {
  const custom = Object.fromEntries(
    Object.values(state.customFields)
      .filter((f) => f.kind === 'body' && f.appliesTo.includes(type))
      .map((f) => [f.scriptId, { ...text(f.label), 'x-ns-custom-field': true }]),
  );
  return { type: 'object', properties: { ...transactionProperties, ...extra[type], ...custom } };
}
