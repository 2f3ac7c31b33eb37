/** Vendors, manufacturers, categories and shops (reference §4). */
import type { Core } from './core.ts';
import type { CategoryRec, ManufacturerRec, ShopRec, VendorRec } from './model.ts';
import { ApiError } from './query.ts';
import { assignScalars, nowIso, toBool, type Body } from './record-input.ts';

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
