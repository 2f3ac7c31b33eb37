/** Item matrices (reference §2.4): create, update, and DELETE archiving the matrix with its items. */
import type { Core } from './core.ts';
import type { ItemMatrixRec } from './model.ts';
import { ApiError } from './query.ts';
import { applyPrices, archiveItem, defaultPrices } from './item-records.ts';
import { assignScalars, checkRef, nowIso, toBool, type Body } from './record-input.ts';

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
