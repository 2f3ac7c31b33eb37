/**
 * Record creation, validation and updates for the writable resources, shared by the API, the seeder, the
 * back office and the control routes. Messages follow reference §2.2/§4/§7 where the reference gives them;
 * the others are marked [I].
 */
import type { Core } from './core.ts';
import {
  lsTime,
  type CategoryRec,
  type ItemAttributesRec,
  type ItemMatrixRec,
  type ItemRec,
  type ItemShopRec,
  type ManufacturerRec,
  type OrderLineRec,
  type OrderRec,
  type PriceRec,
  type ShopRec,
  type VendorRec,
} from './model.ts';
import { ApiError, parseQueryDate } from './query.ts';

export type Body = Record<string, unknown>;

export function nowIso(core: Core): string {
  return lsTime(core.clock.now());
}

/** A collection in a request body may be an object (one) or an array (many), like in responses. */
export function oneOrMany(value: unknown): Body[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v));
}

export function toNumber(field: string, value: unknown, integer = false): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() === '') n = 0;
  else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) n = Number(value);
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (value === null) n = 0;
  else throw new ApiError(400, `Invalid value for ${field}: ${JSON.stringify(value)}.`, 'Exception');
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new ApiError(400, `Invalid value for ${field}: ${JSON.stringify(value)}.`, 'Exception');
  return n;
}

export function toBool(field: string, value: unknown): boolean {
  if (value === true || value === 'true' || value === 1 || value === '1') return true;
  if (value === false || value === 'false' || value === 0 || value === '0' || value === '' || value === null)
    return false;
  throw new ApiError(400, `Invalid value for ${field}: ${JSON.stringify(value)}.`, 'Exception');
}

function toDate(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const ms = parseQueryDate(String(value));
  if (Number.isNaN(ms)) throw new ApiError(400, `Invalid date for ${field}: ${JSON.stringify(value)}.`, 'Exception');
  return lsTime(ms);
}

const idField = /ID$/;

/** Copies the writable scalar fields of `body` onto `target`, coerced to the type the target already holds. */
export function assignScalars<T extends object>(
  target: T,
  body: Body,
  writable: readonly string[],
  dateFields: readonly string[] = [],
): void {
  const rec = target as Record<string, unknown>;
  for (const field of writable) {
    if (!Object.hasOwn(body, field)) continue;
    const value = body[field];
    if (dateFields.includes(field)) rec[field] = toDate(field, value);
    else if (typeof rec[field] === 'number') rec[field] = toNumber(field, value, idField.test(field));
    else if (typeof rec[field] === 'boolean') rec[field] = toBool(field, value);
    else
      rec[field] =
        value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** Unwraps `{"Item": {...}}` as well as a bare object. */
export function unwrap(body: unknown, key: string): Body {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ApiError(400, 'The request body must be a JSON object.', 'Exception');
  const inner = (body as Body)[key];
  if (inner && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(body).length === 1)
    return inner as Body;
  return body as Body;
}

const priceNames: Record<number, string> = { 1: 'Default', 2: 'MSRP', 3: 'Online' };

export function defaultPrices(): PriceRec[] {
  return [1, 2, 3].map((id) => ({ amount: 0, useTypeID: id, useType: priceNames[id] ?? '' }));
}

function applyPrices(prices: PriceRec[], body: Body): PriceRec[] {
  const wrapper = body.Prices;
  if (wrapper === undefined) return prices;
  const list = oneOrMany(typeof wrapper === 'object' && wrapper !== null ? (wrapper as Body).ItemPrice : undefined);
  const next = prices.map((p) => ({ ...p }));
  for (const entry of list) {
    let useTypeID = entry.useTypeID !== undefined ? toNumber('useTypeID', entry.useTypeID, true) : 0;
    if (!useTypeID && typeof entry.useType === 'string')
      useTypeID = Number(
        Object.entries(priceNames).find(([, n]) => n.toLowerCase() === String(entry.useType).toLowerCase())?.[0] ?? 0,
      );
    if (!priceNames[useTypeID])
      throw new ApiError(
        400,
        `Invalid price level (useTypeID) ${JSON.stringify(entry.useTypeID ?? entry.useType)}.`,
        'Exception',
      );
    const amount = toNumber('amount', entry.amount ?? 0);
    const existing = next.find((p) => p.useTypeID === useTypeID);
    if (existing) existing.amount = amount;
    else next.push({ amount, useTypeID, useType: priceNames[useTypeID] ?? '' });
  }
  return next.sort((a, b) => a.useTypeID - b.useTypeID);
}

function checkCode(field: 'upc' | 'ean', value: string, verb: 'created' | 'updated'): void {
  // §2.1: upc and ean must be 11–14 digits. [I] the exact message is not documented.
  if (value !== '' && !/^\d{11,14}$/.test(value)) {
    throw new ApiError(400, `Item not ${verb}. ${field} must be 11 to 14 digits.`, 'Exception');
  }
}

function checkRef(core: Core, field: string, id: number, exists: (id: number) => boolean, verb: string): void {
  // [I] The reference does not show the message for a missing related record.
  if (id !== 0 && !exists(id)) throw new ApiError(400, `${verb}. Invalid ${field}: ${id}.`, 'Exception');
}

const itemWritable = [
  'defaultCost',
  'discountable',
  'tax',
  'itemType',
  'serialized',
  'description',
  'modelYear',
  'upc',
  'ean',
  'customSku',
  'manufacturerSku',
  'publishToEcom',
  'categoryID',
  'taxClassID',
  'departmentID',
  'itemMatrixID',
  'manufacturerID',
  'seasonID',
  'defaultVendorID',
] as const;

const itemTypes = ['default', 'non_inventory', 'serialized', 'box', 'serialized_assembly', 'assembly'];

function addMatrixValues(core: Core, matrixID: number, attrs: ItemAttributesRec): void {
  const matrix = core.store.tables.ItemMatrix.get(matrixID);
  if (!matrix) return;
  let changed = false;
  for (const [key, list] of [
    ['attribute1', matrix.attribute1Values],
    ['attribute2', matrix.attribute2Values],
    ['attribute3', matrix.attribute3Values],
  ] as const) {
    const value = attrs[key];
    if (value && !list.includes(value)) {
      list.push(value);
      changed = true;
    }
  }
  if (changed) matrix.timeStamp = nowIso(core);
}

function applyAttributes(core: Core, item: ItemRec, body: Body, verb: string): void {
  const raw = body.ItemAttributes;
  if (raw === undefined) return;
  if (raw === null || raw === '') {
    item.ItemAttributes = null;
    return;
  }
  const a = oneOrMany(raw)[0];
  if (!a) throw new ApiError(400, `${verb}. ItemAttributes must be an object.`, 'Exception');
  const matrix = core.store.tables.ItemMatrix.get(item.itemMatrixID);
  const setID =
    a.itemAttributeSetID !== undefined
      ? toNumber('itemAttributeSetID', a.itemAttributeSetID, true)
      : (item.ItemAttributes?.itemAttributeSetID ?? matrix?.itemAttributeSetID ?? 0);
  if (!core.store.tables.ItemAttributeSet.has(setID))
    throw new ApiError(400, `${verb}. Invalid itemAttributeSetID: ${setID}.`, 'Exception');
  const prev = item.ItemAttributes;
  item.ItemAttributes = {
    attribute1: a.attribute1 !== undefined ? String(a.attribute1 ?? '') : (prev?.attribute1 ?? ''),
    attribute2: a.attribute2 !== undefined ? String(a.attribute2 ?? '') : (prev?.attribute2 ?? ''),
    attribute3: a.attribute3 !== undefined ? String(a.attribute3 ?? '') : (prev?.attribute3 ?? ''),
    itemAttributeSetID: setID,
  };
}

function applyVendorNums(core: Core, item: ItemRec, body: Body, verb: string): void {
  const wrapper = body.ItemVendorNums;
  if (wrapper === undefined) return;
  const list = oneOrMany(typeof wrapper === 'object' && wrapper !== null ? (wrapper as Body).ItemVendorNum : undefined);
  for (const entry of list) {
    const vendorID = toNumber('vendorID', entry.vendorID ?? 0, true);
    checkRef(core, 'vendorID', vendorID, (id) => core.store.tables.Vendor.has(id), verb);
    const existing = item.ItemVendorNums.find(
      (n) =>
        (entry.itemVendorNumID !== undefined && n.itemVendorNumID === Number(entry.itemVendorNumID)) ||
        (entry.itemVendorNumID === undefined && n.vendorID === vendorID),
    );
    const value = entry.value === undefined ? (existing?.value ?? '') : String(entry.value);
    const cost = entry.cost === undefined ? (existing?.cost ?? 0) : toNumber('cost', entry.cost);
    if (existing) Object.assign(existing, { value, cost, vendorID, timeStamp: nowIso(core) });
    else
      item.ItemVendorNums = [
        ...item.ItemVendorNums,
        { itemVendorNumID: core.store.nextId('ItemVendorNum'), value, vendorID, cost, timeStamp: nowIso(core) },
      ];
  }
}

/** `ItemShops.ItemShop` on Item POST/PUT sets qoh directly (§2.5); `itemShopID` or `shopID` identifies the row. */
function applyItemShops(core: Core, item: ItemRec, body: Body, verb: string): void {
  const wrapper = body.ItemShops;
  if (wrapper === undefined) return;
  const list = oneOrMany(typeof wrapper === 'object' && wrapper !== null ? (wrapper as Body).ItemShop : undefined);
  for (const entry of list) {
    let row: ItemShopRec | undefined;
    if (entry.itemShopID !== undefined) {
      row = core.store.tables.ItemShop.get(toNumber('itemShopID', entry.itemShopID, true));
      if (row && row.itemID !== item.itemID) row = undefined;
    } else if (entry.shopID !== undefined) {
      row = core.store.itemShop(item.itemID, toNumber('shopID', entry.shopID, true));
    }
    if (!row || row.shopID === 0)
      throw new ApiError(
        400,
        `${verb}. Invalid ItemShop: ${JSON.stringify(entry.itemShopID ?? entry.shopID ?? null)}.`,
        'Exception',
      );
    const before = JSON.stringify(row);
    if (entry.qoh !== undefined) row.qoh = toNumber('qoh', entry.qoh, true);
    if (entry.reorderPoint !== undefined) row.reorderPoint = toNumber('reorderPoint', entry.reorderPoint, true);
    if (entry.reorderLevel !== undefined) row.reorderLevel = toNumber('reorderLevel', entry.reorderLevel, true);
    if (JSON.stringify(row) !== before) row.timeStamp = nowIso(core);
  }
}

function itemSnapshot(item: ItemRec): string {
  return JSON.stringify({ ...item, timeStamp: '' });
}

export function createItem(core: Core, body: Body): ItemRec {
  const verb = 'Item not created';
  const store = core.store;
  const matrixID = body.itemMatrixID !== undefined ? toNumber('itemMatrixID', body.itemMatrixID, true) : 0;
  const matrix = matrixID ? store.tables.ItemMatrix.get(matrixID) : undefined;
  if (matrixID && !matrix) throw new ApiError(400, `${verb}. Invalid itemMatrixID: ${matrixID}.`, 'Exception');
  const now = nowIso(core);
  const itemID = store.nextId('Item');
  // [I] A variant inherits its matrix's shared fields (cost, prices, brand, category, vendor) unless the body sets them (§2.4 step 1).
  const item: ItemRec = {
    itemID,
    systemSku: String(210_000_000_000 + itemID),
    defaultCost: matrix?.defaultCost ?? 0,
    avgCost: 0,
    discountable: true,
    tax: matrix?.tax ?? true,
    archived: false,
    itemType: matrix?.itemType ?? 'default',
    serialized: matrix?.serialized ?? false,
    description: '',
    modelYear: matrix?.modelYear ?? 0,
    upc: '',
    ean: '',
    customSku: '',
    manufacturerSku: '',
    createTime: now,
    timeStamp: now,
    publishToEcom: false,
    categoryID: matrix?.categoryID ?? 0,
    taxClassID: matrix?.taxClassID ?? 1,
    departmentID: matrix?.departmentID ?? 0,
    itemMatrixID: 0,
    manufacturerID: matrix?.manufacturerID ?? 0,
    seasonID: matrix?.seasonID ?? 0,
    defaultVendorID: matrix?.defaultVendorID ?? 0,
    Prices: matrix ? matrix.Prices.map((p) => ({ ...p })) : defaultPrices(),
    ItemAttributes: null,
    ItemVendorNums: [],
  };
  try {
    assignScalars(item, body, itemWritable);
    item.Prices = applyPrices(item.Prices, body);
    applyAttributes(core, item, body, verb);
    if (matrix && !item.ItemAttributes)
      item.ItemAttributes = {
        attribute1: '',
        attribute2: '',
        attribute3: '',
        itemAttributeSetID: matrix.itemAttributeSetID,
      };
    validateItem(core, item, verb, 'created');
    if (!item.description.trim() && matrix && item.ItemAttributes) {
      // §2.4: a variant's description is "<matrix description> <attribute1> <attribute2> <attribute3>".
      const a = item.ItemAttributes;
      item.description = [matrix.description, a.attribute1, a.attribute2, a.attribute3]
        .filter((s) => s !== '')
        .join(' ');
    }
    if (!item.description.trim())
      throw new ApiError(400, 'Item not created. An Item must have a description.', 'Exception');
    applyVendorNums(core, item, body, verb);
  } catch (error) {
    store.sequences.Item = itemID - 1;
    throw error;
  }
  item.avgCost = item.defaultCost;
  store.putItem(item);
  store.ensureItemShops(itemID, now);
  applyItemShops(core, item, body, verb);
  if (item.itemMatrixID && item.ItemAttributes) addMatrixValues(core, item.itemMatrixID, item.ItemAttributes);
  return item;
}

function validateItem(core: Core, item: ItemRec, verb: string, past: 'created' | 'updated'): void {
  checkCode('upc', item.upc, past);
  checkCode('ean', item.ean, past);
  if (!itemTypes.includes(item.itemType))
    throw new ApiError(400, `${verb}. Invalid itemType: ${item.itemType}.`, 'Exception');
  const t = core.store.tables;
  checkRef(core, 'itemMatrixID', item.itemMatrixID, (id) => t.ItemMatrix.has(id), verb);
  checkRef(core, 'manufacturerID', item.manufacturerID, (id) => t.Manufacturer.has(id), verb);
  checkRef(core, 'categoryID', item.categoryID, (id) => t.Category.has(id), verb);
  checkRef(core, 'defaultVendorID', item.defaultVendorID, (id) => t.Vendor.has(id), verb);
}

export function updateItem(core: Core, item: ItemRec, body: Body): ItemRec {
  const verb = 'Item not updated';
  const before = itemSnapshot(item);
  const draft: ItemRec = structuredClone(item);
  assignScalars(draft, body, itemWritable);
  if (Object.hasOwn(body, 'description') && !draft.description.trim())
    throw new ApiError(400, 'Item not updated. An Item must have a description.', 'Exception');
  // §2.2: archiving happens only through DELETE; PUT archived=false unarchives, archived=true is ignored.
  if (Object.hasOwn(body, 'archived') && !toBool('archived', body.archived)) draft.archived = false;
  draft.Prices = applyPrices(draft.Prices, body);
  applyAttributes(core, draft, body, verb);
  validateItem(core, draft, verb, 'updated');
  applyVendorNums(core, draft, body, verb);
  applyItemShops(core, item, body, verb);
  core.store.unindexItem(item);
  Object.assign(item, draft);
  core.store.indexItem(item);
  // §2.1: timeStamp changes with the item itself, not with related records such as ItemShops.
  if (itemSnapshot(item) !== before) item.timeStamp = nowIso(core);
  if (item.itemMatrixID && item.ItemAttributes) addMatrixValues(core, item.itemMatrixID, item.ItemAttributes);
  return item;
}

/** DELETE archives the item and zeroes its inventory, irreversibly (§2.2). */
export function archiveItem(core: Core, item: ItemRec): ItemRec {
  const now = nowIso(core);
  if (!item.archived) {
    item.archived = true;
    item.timeStamp = now;
  }
  for (const row of core.store.itemShops(item.itemID)) {
    if (row.qoh !== 0) {
      row.qoh = 0;
      row.timeStamp = now;
    }
  }
  return item;
}

const matrixWritable = [
  'description',
  'tax',
  'defaultCost',
  'itemType',
  'serialized',
  'modelYear',
  'itemAttributeSetID',
  'manufacturerID',
  'categoryID',
  'defaultVendorID',
  'taxClassID',
  'seasonID',
  'departmentID',
] as const;

function validateMatrix(core: Core, m: ItemMatrixRec, verb: string): void {
  const t = core.store.tables;
  if (!m.description.trim()) throw new ApiError(400, `${verb}. An ItemMatrix must have a description.`, 'Exception');
  if (!t.ItemAttributeSet.has(m.itemAttributeSetID))
    throw new ApiError(400, `${verb}. Invalid itemAttributeSetID: ${m.itemAttributeSetID}.`, 'Exception');
  checkRef(core, 'manufacturerID', m.manufacturerID, (id) => t.Manufacturer.has(id), verb);
  checkRef(core, 'categoryID', m.categoryID, (id) => t.Category.has(id), verb);
  checkRef(core, 'defaultVendorID', m.defaultVendorID, (id) => t.Vendor.has(id), verb);
}

export function createMatrix(core: Core, body: Body): ItemMatrixRec {
  const verb = 'ItemMatrix not created';
  const m: ItemMatrixRec = {
    itemMatrixID: 0,
    description: '',
    tax: true,
    defaultCost: 0,
    itemType: 'default',
    serialized: false,
    modelYear: 0,
    archived: false,
    timeStamp: nowIso(core),
    itemAttributeSetID: 0,
    manufacturerID: 0,
    categoryID: 0,
    defaultVendorID: 0,
    taxClassID: 1,
    seasonID: 0,
    departmentID: 0,
    Prices: defaultPrices(),
    attribute1Values: [],
    attribute2Values: [],
    attribute3Values: [],
  };
  assignScalars(m, body, matrixWritable);
  m.Prices = applyPrices(m.Prices, body);
  validateMatrix(core, m, verb);
  m.itemMatrixID = core.store.nextId('ItemMatrix');
  core.store.tables.ItemMatrix.set(m.itemMatrixID, m);
  return m;
}

export function updateMatrix(core: Core, m: ItemMatrixRec, body: Body): ItemMatrixRec {
  const before = JSON.stringify(m);
  const draft = structuredClone(m);
  assignScalars(draft, body, matrixWritable);
  draft.Prices = applyPrices(draft.Prices, body);
  if (Object.hasOwn(body, 'archived') && !toBool('archived', body.archived)) draft.archived = false;
  validateMatrix(core, draft, 'ItemMatrix not updated');
  Object.assign(m, draft);
  if (JSON.stringify(m) !== before) m.timeStamp = nowIso(core);
  return m;
}

/** DELETE on a matrix archives it and all its items (§2.4). */
export function archiveMatrix(core: Core, m: ItemMatrixRec): ItemMatrixRec {
  if (!m.archived) {
    m.archived = true;
    m.timeStamp = nowIso(core);
  }
  for (const itemID of [...core.store.itemsByMatrix.get(m.itemMatrixID)]) {
    const item = core.store.tables.Item.get(itemID);
    if (item) archiveItem(core, item);
  }
  return m;
}

const vendorWritable = [
  'name',
  'accountNumber',
  'priceLevel',
  'updatePrice',
  'updateCost',
  'updateDescription',
  'shareSellThrough',
  'b2bSellerUID',
] as const;

export function createVendor(core: Core, body: Body): VendorRec {
  const v: VendorRec = {
    vendorID: 0,
    name: '',
    archived: false,
    accountNumber: '',
    priceLevel: '',
    updatePrice: false,
    updateCost: false,
    updateDescription: false,
    shareSellThrough: false,
    timeStamp: nowIso(core),
    b2bSellerUID: '',
  };
  assignScalars(v, body, vendorWritable);
  if (!v.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  v.vendorID = core.store.nextId('Vendor');
  core.store.tables.Vendor.set(v.vendorID, v);
  return v;
}

export function updateVendor(core: Core, v: VendorRec, body: Body): VendorRec {
  const before = JSON.stringify(v);
  const draft = { ...v };
  assignScalars(draft, body, vendorWritable);
  if (Object.hasOwn(body, 'archived') && !toBool('archived', body.archived)) draft.archived = false;
  if (!draft.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  Object.assign(v, draft);
  if (JSON.stringify(v) !== before) v.timeStamp = nowIso(core);
  return v;
}

export function createManufacturer(core: Core, body: Body): ManufacturerRec {
  const now = nowIso(core);
  const m: ManufacturerRec = { manufacturerID: 0, name: '', createTime: now, timeStamp: now };
  assignScalars(m, body, ['name']);
  if (!m.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  m.manufacturerID = core.store.nextId('Manufacturer');
  core.store.tables.Manufacturer.set(m.manufacturerID, m);
  return m;
}

export function updateManufacturer(core: Core, m: ManufacturerRec, body: Body): ManufacturerRec {
  const draft = { ...m };
  assignScalars(draft, body, ['name']);
  if (!draft.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  if (draft.name !== m.name) {
    m.name = draft.name;
    m.timeStamp = nowIso(core);
  }
  return m;
}

function placeCategory(core: Core, c: CategoryRec): void {
  const parent = c.parentID ? core.store.tables.Category.get(c.parentID) : undefined;
  if (c.parentID && !parent) throw new ApiError(400, `Invalid parentID: ${c.parentID}.`, 'Exception');
  c.nodeDepth = parent ? parent.nodeDepth + 1 : 0;
  c.fullPathName = parent ? `${parent.fullPathName}/${c.name}` : c.name;
}

export function createCategory(core: Core, body: Body): CategoryRec {
  const now = nowIso(core);
  const c: CategoryRec = {
    categoryID: 0,
    name: '',
    nodeDepth: 0,
    fullPathName: '',
    leftNode: 0,
    rightNode: 0,
    createTime: now,
    timeStamp: now,
    parentID: 0,
  };
  assignScalars(c, body, ['name', 'parentID']);
  if (!c.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  placeCategory(core, c);
  c.categoryID = core.store.nextId('Category');
  // [I] Nested-set numbers are not maintained; leftNode/rightNode follow creation order.
  c.leftNode = c.categoryID * 2 - 1;
  c.rightNode = c.categoryID * 2;
  core.store.tables.Category.set(c.categoryID, c);
  return c;
}

export function updateCategory(core: Core, c: CategoryRec, body: Body): CategoryRec {
  const draft = { ...c };
  assignScalars(draft, body, ['name', 'parentID']);
  if (!draft.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  if (draft.parentID === draft.categoryID) throw new ApiError(400, 'A category cannot be its own parent.', 'Exception');
  placeCategory(core, draft);
  const changed = JSON.stringify(draft) !== JSON.stringify(c);
  Object.assign(c, draft);
  if (changed) c.timeStamp = nowIso(core);
  return c;
}

const shopWritable = [
  'name',
  'serviceRate',
  'timeZone',
  'taxLabor',
  'labelTitle',
  'labelMsrp',
  'companyRegistrationNumber',
  'vatNumber',
  'zebraBrowserPrint',
  'priceLevelID',
] as const;

export function createShop(core: Core, body: Body): ShopRec {
  const s: ShopRec = {
    shopID: 0,
    name: '',
    serviceRate: 0,
    timeZone: 'US/Eastern',
    taxLabor: false,
    labelTitle: 'Shop Name',
    labelMsrp: false,
    archived: false,
    timeStamp: nowIso(core),
    companyRegistrationNumber: '',
    vatNumber: '',
    zebraBrowserPrint: false,
    contactID: 0,
    taxCategoryID: 1,
    receiptSetupID: 1,
    ccGatewayID: 0,
    gatewayConfigID: 0,
    priceLevelID: 1,
  };
  assignScalars(s, body, shopWritable);
  if (!s.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  s.shopID = core.store.nextId('Shop');
  core.store.tables.Shop.set(s.shopID, s);
  // A new shop gets an ItemShop row for every item, as items get one per shop.
  for (const itemID of core.store.tables.Item.keys()) core.store.ensureItemShops(itemID, s.timeStamp);
  return s;
}

export function updateShop(core: Core, s: ShopRec, body: Body): ShopRec {
  const before = JSON.stringify(s);
  const draft = { ...s };
  assignScalars(draft, body, shopWritable);
  if (!draft.name.trim()) throw new ApiError(400, 'name cannot be blank.', 'Exception');
  Object.assign(s, draft);
  if (JSON.stringify(s) !== before) s.timeStamp = nowIso(core);
  return s;
}

const orderWritable = [
  'orderedDate',
  'receivedDate',
  'arrivalDate',
  'refNum',
  'shipInstructions',
  'stockInstructions',
  'shipCost',
  'shipVendorCost',
  'otherCost',
  'otherVendorCost',
  'discount',
  'shopID',
  'vendorID',
  'b2bOrderUID',
  'b2bOrderNumber',
  'vendorCurrencyCode',
  'vendorCurrencyRate',
  'shippingCostMethod',
  'discountMethod',
  // [I] `complete` is not in the documented writable list; accepted so a PO can be marked Finished.
  'complete',
] as const;
const orderDates = ['orderedDate', 'receivedDate', 'arrivalDate'];

function applyOrderNote(core: Core, o: OrderRec, body: Body): void {
  // [I] §3.1: Note is assumed writable as {"Note":{"note":"…"}} on POST/PUT.
  const note = oneOrMany(body.Note)[0];
  if (!note) return;
  o.note = note.note === undefined || note.note === null ? '' : String(note.note);
  if (!o.noteID) o.noteID = core.store.nextId('Note');
}

function validateOrder(core: Core, o: OrderRec, verb: string): void {
  const t = core.store.tables;
  if (!o.shopID) throw new ApiError(400, `${verb}. An Order must have a shopID.`, 'Exception');
  if (!t.Shop.has(o.shopID)) throw new ApiError(400, `${verb}. Invalid shopID: ${o.shopID}.`, 'Exception');
  checkRef(core, 'vendorID', o.vendorID, (id) => t.Vendor.has(id), verb);
  for (const field of ['shippingCostMethod', 'discountMethod'] as const) {
    if (!['evenly', 'proportionally', 'total'].includes(o[field]))
      throw new ApiError(400, `${verb}. Invalid ${field}: ${o[field]}.`, 'Exception');
  }
}

export function createOrder(core: Core, body: Body): OrderRec {
  const now = nowIso(core);
  const o: OrderRec = {
    orderID: 0,
    orderedDate: null,
    receivedDate: null,
    arrivalDate: null,
    refNum: '',
    shipInstructions: '',
    stockInstructions: '',
    shipCost: 0,
    shipVendorCost: 0,
    otherCost: 0,
    otherVendorCost: 0,
    complete: false,
    archived: false,
    discount: 0,
    totalDiscount: 0,
    totalQuantity: 0,
    vendorID: 0,
    noteID: 0,
    shopID: 0,
    createdByEmployeeID: 1,
    createTime: now,
    timeStamp: now,
    vendorCurrencyRate: 1,
    vendorCurrencyCode: 'USD',
    shippingCostMethod: 'evenly',
    hasShipments: false,
    discountMethod: 'evenly',
    b2bOrderUID: '',
    b2bOrderNumber: '',
    note: null,
  };
  assignScalars(o, body, orderWritable, orderDates);
  validateOrder(core, o, 'Order not created');
  o.orderID = core.store.nextId('Order');
  applyOrderNote(core, o, body);
  core.store.tables.Order.set(o.orderID, o);
  return o;
}

export function updateOrder(core: Core, o: OrderRec, body: Body): OrderRec {
  const before = JSON.stringify(o);
  const draft = { ...o };
  assignScalars(draft, body, orderWritable, orderDates);
  if (Object.hasOwn(body, 'archived') && !toBool('archived', body.archived)) draft.archived = false;
  validateOrder(core, draft, 'Order not updated');
  applyOrderNote(core, draft, body);
  Object.assign(o, draft);
  if (JSON.stringify(o) !== before) o.timeStamp = nowIso(core);
  return o;
}

export function archiveOrder(core: Core, o: OrderRec): OrderRec {
  if (!o.archived) {
    o.archived = true;
    o.timeStamp = nowIso(core);
  }
  return o;
}

const lineWritable = ['quantity', 'price', 'originalPrice', 'vendorCost', 'numReceived', 'orderID', 'itemID'] as const;

function validateLine(core: Core, l: OrderLineRec, verb: string): void {
  const t = core.store.tables;
  if (!l.orderID || !t.Order.has(l.orderID))
    throw new ApiError(400, `${verb}. Invalid orderID: ${l.orderID}.`, 'Exception');
  if (!l.itemID || !t.Item.has(l.itemID)) throw new ApiError(400, `${verb}. Invalid itemID: ${l.itemID}.`, 'Exception');
  if (l.quantity < 0) throw new ApiError(400, `${verb}. quantity cannot be negative.`, 'Exception');
  if (l.numReceived < 0) throw new ApiError(400, `${verb}. numReceived cannot be negative.`, 'Exception');
}

export function createOrderLine(core: Core, body: Body): OrderLineRec {
  const now = nowIso(core);
  const l: OrderLineRec = {
    orderLineID: 0,
    quantity: 0,
    price: 0,
    originalPrice: 0,
    vendorCost: 0,
    checkedIn: 0,
    numReceived: 0,
    timeStamp: now,
    total: 0,
    createTime: now,
    orderID: 0,
    itemID: 0,
  };
  assignScalars(l, body, lineWritable);
  l.quantity = Math.trunc(l.quantity);
  validateLine(core, l, 'OrderLine not created');
  // [I] Without a price the line takes the item's default cost.
  const item = core.store.tables.Item.get(l.itemID);
  if (!Object.hasOwn(body, 'price'))
    l.price = Object.hasOwn(body, 'originalPrice') ? l.originalPrice : (item?.defaultCost ?? 0);
  if (!Object.hasOwn(body, 'originalPrice')) l.originalPrice = l.price;
  l.total = round2(l.quantity * l.price);
  l.orderLineID = core.store.nextId('OrderLine');
  core.store.putOrderLine(l);
  return l;
}

export function updateOrderLine(core: Core, l: OrderLineRec, body: Body): OrderLineRec {
  const before = JSON.stringify(l);
  const draft = { ...l };
  assignScalars(draft, body, lineWritable);
  validateLine(core, draft, 'OrderLine not updated');
  draft.total = round2(draft.quantity * draft.price);
  core.store.putOrderLine(draft);
  if (JSON.stringify(draft) !== before) draft.timeStamp = nowIso(core);
  return draft;
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Check-in (receiving) as done in the POS UI (§3.3): adds the quantity to the order shop's ItemShop qoh and to
 * the line's `checkedIn`. Per line the default quantity is what was marked received (`numReceived`), else
 * what remains to check in. Sets the order's receivedDate; `finish` also marks it complete.
 */
export function checkInOrder(
  core: Core,
  orderID: number,
  lines: Array<{ orderLineID: number; quantity: number }> | undefined,
  finish: boolean,
): { order: OrderRec; checkedIn: Array<{ orderLineID: number; itemID: number; quantity: number }> } {
  const store = core.store;
  const order = store.tables.Order.get(orderID);
  if (!order) throw new ApiError(404, `Order ${orderID} not found.`, 'Exception');
  if (order.archived) throw new ApiError(400, `Order ${orderID} is archived.`, 'Exception');
  if (order.complete) throw new ApiError(400, `Order ${orderID} is finished and cannot be received.`, 'Exception');
  const all = store.orderLines(orderID);
  if (all.length === 0) throw new ApiError(400, `Order ${orderID} has no lines.`, 'Exception');
  const now = nowIso(core);
  const done: Array<{ orderLineID: number; itemID: number; quantity: number }> = [];
  const wanted =
    lines ??
    all.map((l) => ({
      orderLineID: l.orderLineID,
      quantity: l.numReceived > 0 ? l.numReceived : Math.max(0, l.quantity - l.checkedIn),
    }));
  for (const w of wanted) {
    const line = all.find((l) => l.orderLineID === w.orderLineID);
    if (!line) throw new ApiError(400, `Order line ${w.orderLineID} is not on order ${orderID}.`, 'Exception');
    if (!Number.isInteger(w.quantity) || w.quantity < 0)
      throw new ApiError(400, `Invalid quantity for line ${w.orderLineID}.`, 'Exception');
    if (w.quantity === 0) continue;
    store.ensureItemShops(line.itemID, now);
    const row = store.itemShop(line.itemID, order.shopID);
    if (row) {
      row.qoh += w.quantity;
      row.timeStamp = now;
    }
    line.checkedIn += w.quantity;
    line.numReceived = Math.max(0, line.numReceived - w.quantity);
    line.timeStamp = now;
    done.push({ orderLineID: line.orderLineID, itemID: line.itemID, quantity: w.quantity });
  }
  order.receivedDate ??= now;
  if (finish) order.complete = true;
  order.timeStamp = now;
  return { order, checkedIn: done };
}

/**
 * The back office's item merge (§8): permanent. The merged-away item disappears (its GET answers 404), its
 * stock is added to the kept item per shop, its purchase-order lines point at the kept item, and code fields
 * the kept item lacks (upc, ean, customSku, manufacturerSku) are taken from it [I].
 */
export function mergeItems(core: Core, keepItemID: number, mergeItemID: number): ItemRec {
  const store = core.store;
  if (keepItemID === mergeItemID) throw new ApiError(400, 'An item cannot be merged into itself.', 'Exception');
  const keep = store.tables.Item.get(keepItemID);
  const gone = store.tables.Item.get(mergeItemID);
  if (!keep) throw new ApiError(404, `Item ${keepItemID} not found.`, 'Exception');
  if (!gone) throw new ApiError(404, `Item ${mergeItemID} not found.`, 'Exception');
  const now = nowIso(core);
  store.ensureItemShops(keepItemID, now);
  for (const row of store.itemShops(mergeItemID)) {
    if (row.shopID === 0 || row.qoh === 0) continue;
    const target = store.itemShop(keepItemID, row.shopID);
    if (target) {
      target.qoh += row.qoh;
      target.timeStamp = now;
    }
  }
  for (const lineID of [...store.linesByItem.get(mergeItemID)]) {
    const line = store.tables.OrderLine.get(lineID);
    if (line) store.putOrderLine({ ...line, itemID: keepItemID, timeStamp: now });
  }
  store.removeItem(mergeItemID);
  store.unindexItem(keep);
  for (const field of ['upc', 'ean', 'customSku', 'manufacturerSku'] as const)
    if (!keep[field] && gone[field]) keep[field] = gone[field];
  keep.ItemVendorNums = [
    ...keep.ItemVendorNums,
    ...gone.ItemVendorNums.filter((num) => !keep.ItemVendorNums.some((n) => n.vendorID === num.vendorID)),
  ];
  store.indexItem(keep);
  keep.timeStamp = now;
  return keep;
}
