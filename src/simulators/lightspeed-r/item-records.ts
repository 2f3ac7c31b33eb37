/**
 * Items (reference §2.1–§2.5, §8): create, update, archive, and the back office's merge. A variant in a matrix
 * inherits the matrix's fields and adds its attribute values to it (changelog 2018.16).
 */
import type { Core } from './core.ts';
import type { ItemAttributesRec, ItemRec, ItemShopRec, PriceRec } from './model.ts';
import { ApiError } from './query.ts';
import { assignScalars, checkRef, nowIso, oneOrMany, toBool, toNumber, type Body } from './record-input.ts';

const priceNames: Record<number, string> = { 1: 'Default', 2: 'MSRP', 3: 'Online' };

export function defaultPrices(): PriceRec[] {
  return [1, 2, 3].map((id) => ({ amount: 0, useTypeID: id, useType: priceNames[id] ?? '' }));
}

export function applyPrices(prices: PriceRec[], body: Body): PriceRec[] {
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

/**
 * The back office's item merge (§8, S3 9172987745947): permanent. "The existing item … is merged into the new
 * item, overwriting the new item … details": the kept item keeps its itemID (so links to it hold) and its matrix
 * and attributes, and takes the merged item's details, every field the merged item has a value for (description,
 * prices, costs, codes, brand, category, vendor, vendor numbers); where the merged item is blank, the kept item's
 * own value stays [I: which fields count as "details"]. The merged-away item disappears (its GET answers 404,
 * §8 [I]), its stock is added to the kept item per shop, its purchase-order lines point at the kept item.
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
  overwriteDetails(keep, gone);
  store.indexItem(keep);
  keep.timeStamp = now;
  return keep;
}

function overwriteDetails(keep: ItemRec, gone: ItemRec): void {
  for (const field of ['description', 'upc', 'ean', 'customSku', 'manufacturerSku'] as const)
    if (gone[field].trim() !== '') keep[field] = gone[field];
  for (const field of ['categoryID', 'manufacturerID', 'defaultVendorID', 'taxClassID', 'seasonID'] as const)
    if (gone[field] !== 0) keep[field] = gone[field];
  if (gone.defaultCost !== 0) keep.defaultCost = gone.defaultCost;
  if (gone.Prices.some((p) => p.amount !== 0)) keep.Prices = gone.Prices.map((p) => ({ ...p }));
  keep.tax = gone.tax;
  keep.discountable = gone.discountable;
  keep.ItemVendorNums = [
    ...gone.ItemVendorNums,
    ...keep.ItemVendorNums.filter((num) => !gone.ItemVendorNums.some((n) => n.vendorID === num.vendorID)),
  ];
}
