import { SeededRandom } from '../shared/rng.ts';
import { buildScenario, isScenarioName, scenarioOptions, type ScenarioOptions } from '../shared/scenario.ts';
import { SimInputError } from '../shared/control.ts';
import type { Core } from './core.ts';
import { lsTime, type ItemMatrixRec, type ItemRec, type PriceRec } from './model.ts';
import * as rec from './records.ts';
import { ApiError } from './query.ts';

/** Options of this simulator's seeding that are not scenario sizes. */
interface RSeedOptions {
  /** Share of catalog items stored with their code as EAN-13 (`0` + UPC-A) in `ean` instead of `upc`, as some real stores do. */
  eanShare: number;
}

const ownOptionKeys = new Set(['eanShare']);

function prices(retail: number): PriceRec[] {
  return [
    { amount: retail, useTypeID: 1, useType: 'Default' },
    { amount: retail, useTypeID: 2, useType: 'MSRP' },
    { amount: retail, useTypeID: 3, useType: 'Online' },
  ];
}

const cents = (n: number): number => Math.round(n) / 100;

/**
 * Maps the shared, system-neutral scenario into R-Series records: 2 shops, a vendor and a manufacturer per
 * brand (plus the house brand), categories (department/category), one ItemMatrix per `matrixKey` with an
 * attribute set chosen by which of color/size exist, one Item per POS item, ItemShop rows from `stock`
 * (all stock sits in shop 1), and two older non-NuORDER purchase orders. Replaces existing data; keeps
 * tokens. Ids are sequential per resource in seed order.
 */
export function seedScenario(
  core: Core,
  name: string,
  options: Record<string, unknown>,
): { summary: Record<string, number> } {
  if (!isScenarioName(name)) throw new SimInputError(`Unknown scenario "${name}"; use demo, small or large.`);
  const own: RSeedOptions = { eanShare: 0.1 };
  const overrides: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (ownOptionKeys.has(key)) {
      if (typeof value !== 'number' || value < 0 || value > 1)
        throw new SimInputError(`${key} must be a number from 0 to 1.`);
      own.eanShare = value;
    } else overrides[key] = value;
  }
  const scenario = buildScenario(scenarioOptions(name, overrides as Partial<ScenarioOptions>));
  const store = core.store;
  store.clear(true);
  store.account.name = scenario.retailer.name;

  const now = lsTime(core.clock.now());
  // A real catalog was built over time: seeded items get distinct, increasing timeStamps (one second
  // apart, ending now), so a timeStamp cursor behaves as it does on a real account.
  const seedStartMs = core.clock.now() - scenario.posItems.length * 1000;
  let seeded = 0;
  const nextItemStamp = (): string => lsTime(seedStartMs + ++seeded * 1000);
  for (const shopName of [
    `${scenario.retailer.name} — ${scenario.retailer.address.city}`,
    `${scenario.retailer.name} — Warehouse`,
  ]) {
    rec.createShop(core, { name: shopName, timeZone: 'US/Eastern' });
  }

  const manufacturerByName = new Map<string, number>();
  const vendorByBrand = new Map<string, number>();
  for (const brand of scenario.brands) {
    manufacturerByName.set(brand.name, rec.createManufacturer(core, { name: brand.name }).manufacturerID);
    vendorByBrand.set(brand.name, rec.createVendor(core, { name: brand.name, accountNumber: brand.code }).vendorID);
  }
  const houseBrand = 'House Brand';
  const ensureBrand = (brandName: string): void => {
    if (!manufacturerByName.has(brandName))
      manufacturerByName.set(brandName, rec.createManufacturer(core, { name: brandName }).manufacturerID);
    if (!vendorByBrand.has(brandName)) {
      const vendorName = brandName === houseBrand ? 'House Supply Co.' : brandName;
      vendorByBrand.set(
        brandName,
        rec.createVendor(core, {
          name: vendorName,
          accountNumber: vendorName.toUpperCase().replace(/[^A-Z0-9]+/g, '-'),
        }).vendorID,
      );
    }
  };

  const categoryByPath = new Map<string, number>();
  const ensureCategory = (path: string[]): number => {
    let parentID = 0;
    for (let i = 0; i < path.length; i++) {
      const key = path.slice(0, i + 1).join('/');
      let id = categoryByPath.get(key);
      if (id === undefined) {
        id = rec.createCategory(core, { name: path[i], parentID }).categoryID;
        categoryByPath.set(key, id);
      }
      parentID = id;
    }
    return parentID;
  };
  const styleByMatrixKey = new Map(scenario.styles.map((s) => [`pos-${s.id}`, s]));
  const styleOf = (matrixKey: string) => styleByMatrixKey.get(matrixKey.replace(/-OLD$/, ''));

  // Group the POS items by matrix key, keeping first-appearance order.
  const groups = new Map<string, typeof scenario.posItems>();
  for (const item of scenario.posItems) {
    const list = groups.get(item.matrixKey);
    if (list) list.push(item);
    else groups.set(item.matrixKey, [item]);
  }

  const noVendorNums: ItemRec['ItemVendorNums'] = [];
  const rng = new SeededRandom(`${scenario.options.seed}:lightspeed-r:ean`);
  const shopIDs = [...store.tables.Shop.keys()];
  let archived = 0;
  let eanOnly = 0;
  for (const [matrixKey, items] of groups) {
    const first = items[0];
    if (!first) continue;
    ensureBrand(first.brandName);
    const style = styleOf(matrixKey);
    const categoryID = style ? ensureCategory([style.department, style.category]) : ensureCategory(['House Basics']);
    const hasColor = items.some((i) => i.color);
    const hasSize = items.some((i) => i.size);
    const setID = hasColor && hasSize ? 1 : hasSize ? 2 : hasColor ? 3 : 0;
    const description = matrixDescription(first.name, first.color, first.size);
    let matrix: ItemMatrixRec | undefined;
    if (setID) {
      matrix = {
        itemMatrixID: store.nextId('ItemMatrix'),
        description,
        tax: true,
        defaultCost: cents(first.costCents),
        itemType: 'default',
        serialized: false,
        modelYear: 0,
        archived: items.every((i) => i.archived),
        timeStamp: now,
        itemAttributeSetID: setID,
        manufacturerID: manufacturerByName.get(first.brandName) ?? 0,
        categoryID,
        defaultVendorID: vendorByBrand.get(first.brandName) ?? 0,
        taxClassID: 1,
        seasonID: 0,
        departmentID: 0,
        Prices: prices(cents(first.retailCents)),
        attribute1Values: [],
        attribute2Values: [],
        attribute3Values: [],
      };
      store.tables.ItemMatrix.set(matrix.itemMatrixID, matrix);
    }
    for (const p of items) {
      const itemID = store.nextId('Item');
      const stamp = nextItemStamp();
      let upc = p.upc ?? '';
      let ean = '';
      if (upc && style && own.eanShare > 0 && rng.chance(own.eanShare)) {
        ean = `0${upc}`;
        upc = '';
        eanOnly++;
      }
      const item: ItemRec = {
        itemID,
        systemSku: String(210_000_000_000 + itemID),
        defaultCost: cents(p.costCents),
        avgCost: cents(p.costCents),
        discountable: true,
        tax: true,
        archived: p.archived,
        itemType: 'default',
        serialized: false,
        description: p.name,
        modelYear: 0,
        upc,
        ean,
        customSku: p.sku,
        manufacturerSku: style ? style.styleNumber : '',
        createTime: stamp,
        timeStamp: stamp,
        publishToEcom: false,
        categoryID,
        taxClassID: 1,
        departmentID: 0,
        itemMatrixID: matrix?.itemMatrixID ?? 0,
        manufacturerID: manufacturerByName.get(p.brandName) ?? 0,
        seasonID: 0,
        defaultVendorID: vendorByBrand.get(p.brandName) ?? 0,
        // Items of one matrix share one Prices array (records are never mutated in place; updates replace it).
        Prices: matrix && p.retailCents === first.retailCents ? matrix.Prices : prices(cents(p.retailCents)),
        ItemAttributes: matrix
          ? {
              attribute1: setID === 1 || setID === 3 ? (p.color ?? '') : '',
              attribute2: setID === 1 || setID === 2 ? (p.size ?? '') : '',
              attribute3: '',
              itemAttributeSetID: setID,
            }
          : null,
        ItemVendorNums: noVendorNums,
      };
      if (matrix && item.ItemAttributes) {
        const a = item.ItemAttributes;
        if (a.attribute1 && !matrix.attribute1Values.includes(a.attribute1)) matrix.attribute1Values.push(a.attribute1);
        if (a.attribute2 && !matrix.attribute2Values.includes(a.attribute2)) matrix.attribute2Values.push(a.attribute2);
      }
      store.putItem(item);
      for (const shopID of [0, ...shopIDs]) {
        store.putItemShop({
          itemShopID: store.nextId('ItemShop'),
          qoh: shopID === shopIDs[0] && !p.archived ? p.stock : 0,
          sellable: 0,
          backorder: 0,
          componentQoh: 0,
          componentBackorder: 0,
          reorderPoint: 0,
          reorderLevel: 0,
          timeStamp: now,
          itemID,
          shopID,
        });
      }
      if (p.archived) archived++;
    }
  }

  // Two older purchase orders that did not come from NuORDER, so the back office has history to show.
  const houseVendor = vendorByBrand.get(houseBrand);
  const houseItems = [...store.tables.Item.values()]
    .filter((i) => i.customSku.startsWith('HOUSE-') && !i.archived)
    .slice(0, 3);
  let orders = 0;
  if (houseVendor && houseItems.length > 0 && shopIDs[0]) {
    const day = 86_400_000;
    const anchor = scenario.options.anchorMs;
    try {
      const received = rec.createOrder(core, {
        shopID: shopIDs[0],
        vendorID: houseVendor,
        refNum: 'HOUSE-2026-09',
        orderedDate: new Date(anchor - 60 * day).toISOString(),
      });
      const open = rec.createOrder(core, {
        shopID: shopIDs[0],
        vendorID: houseVendor,
        refNum: 'HOUSE-2026-10',
        orderedDate: new Date(anchor - 10 * day).toISOString(),
        arrivalDate: new Date(anchor + 7 * day).toISOString(),
      });
      for (const item of houseItems) {
        rec.createOrderLine(core, {
          orderID: received.orderID,
          itemID: item.itemID,
          quantity: 6,
          price: item.defaultCost,
        });
        rec.createOrderLine(core, { orderID: open.orderID, itemID: item.itemID, quantity: 4, price: item.defaultCost });
      }
      rec.checkInOrder(core, received.orderID, undefined, true);
      received.receivedDate = lsTime(anchor - 50 * day);
      orders = 2;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }

  return {
    summary: {
      shops: store.tables.Shop.size,
      vendors: store.tables.Vendor.size,
      manufacturers: store.tables.Manufacturer.size,
      categories: store.tables.Category.size,
      itemMatrices: store.tables.ItemMatrix.size,
      items: store.tables.Item.size,
      archivedItems: archived,
      eanOnlyItems: eanOnly,
      itemShops: store.tables.ItemShop.size,
      orders,
      orderLines: store.tables.OrderLine.size,
    },
  };
}

/** "Harbor Crew Tee Black M" → "Harbor Crew Tee"; "House Basic 3 / M" → "House Basic 3". */
function matrixDescription(name: string, color: string | null, size: string | null): string {
  let d = name;
  if (size && d.endsWith(` / ${size}`)) d = d.slice(0, -` / ${size}`.length);
  else if (size && d.endsWith(` ${size}`)) d = d.slice(0, -` ${size}`.length);
  if (color && d.endsWith(` ${color}`)) d = d.slice(0, -` ${color}`.length);
  return d;
}

/**
 * `POST /_sim/seed {"data": {...}}`: records in the API's own POST shapes, created in dependency order:
 * `{"Shop": [...], "Manufacturer": [...], "Category": [...], "Vendor": [...], "ItemMatrix": [...],
 * "Item": [...], "Order": [...], "OrderLine": [...]}` (each a list of bodies as for POST /{Resource}.json).
 */
export function seedData(core: Core, data: unknown): { summary: Record<string, number> } {
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new SimInputError('data must be an object keyed by resource name.');
  const input = data as Record<string, unknown>;
  const creators: Array<[string, (body: rec.Body) => unknown]> = [
    ['Shop', (b) => rec.createShop(core, b)],
    ['Manufacturer', (b) => rec.createManufacturer(core, b)],
    ['Category', (b) => rec.createCategory(core, b)],
    ['Vendor', (b) => rec.createVendor(core, b)],
    ['ItemMatrix', (b) => rec.createMatrix(core, b)],
    ['Item', (b) => rec.createItem(core, b)],
    ['Order', (b) => rec.createOrder(core, b)],
    ['OrderLine', (b) => rec.createOrderLine(core, b)],
  ];
  const known = new Set(creators.map(([k]) => k));
  for (const key of Object.keys(input))
    if (!known.has(key)) throw new SimInputError(`Unknown resource "${key}" in data; use ${[...known].join(', ')}.`);
  const summary: Record<string, number> = {};
  for (const [key, create] of creators) {
    const list = input[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new SimInputError(`data.${key} must be an array.`);
    summary[key] = 0;
    for (const [index, body] of list.entries()) {
      try {
        create(rec.unwrap(body, key));
      } catch (error) {
        if (error instanceof ApiError) throw new SimInputError(`data.${key}[${index}]: ${error.message}`);
        throw error;
      }
      summary[key]++;
    }
  }
  return { summary };
}
