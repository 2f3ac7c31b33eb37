/**
 * Maps the shared, system-neutral scenario into an X-Series store: outlets, registers, users, taxes, payment
 * types, suppliers and brands, the Color/Size variant attributes, product families with their variants and
 * codes, inventory per outlet, and a few sales (one per status). Every id is a hash of a scenario key.
 */
import type { Scenario, ScenarioPosItem } from '../shared/scenario.ts';
import { storeItems } from '../shared/store-items.ts';
import { isoSeconds, uuidFrom } from './ids.ts';
import { saleStatuses } from './sales.ts';
import {
  emptyState,
  type BrandRec,
  type InventoryRec,
  type ProductRec,
  type SaleRec,
  type SupplierRec,
  type XState,
} from './state.ts';

export interface SeedOptions {
  registers: number;
}

export function stateFromScenario(scenario: Scenario, options: SeedOptions): XState {
  const retailer = scenario.retailer;
  const prefix = retailer.code.toLowerCase().replace(/[^a-z0-9]/g, '') + 'goods';
  const anchor = scenario.options.anchorMs;
  const created = isoSeconds(anchor - 400 * 86_400_000);
  const id = (key: string): string => uuidFrom(`${prefix}:${key}`);
  const state = emptyState(prefix, retailer.name, anchor - 400 * 86_400_000);
  state.retailer.id = id('retailer');
  state.retailer.currency = scenario.options.currency;
  let version = 0;
  const v = (): number => ++version;

  const salesTax = {
    id: id('tax:sales'),
    name: 'Sales Tax',
    rate: 0.08,
    is_default: true,
    deleted_at: null,
    version: v(),
  };
  const noTax = { id: id('tax:none'), name: 'No Tax', rate: 0, is_default: false, deleted_at: null, version: v() };
  state.taxes = [salesTax, noTax];

  const outletDefs = [
    { key: 'main', name: 'Main Street', line1: retailer.address.line1, prefix: 'MS' },
    { key: 'harbor', name: 'Harbor Mall', line1: '2 Harbor Mall Way', prefix: 'HM' },
  ];
  state.outlets = outletDefs.map((o) => ({
    id: id(`outlet:${o.key}`),
    name: o.name,
    time_zone: 'America/New_York',
    default_tax_id: salesTax.id,
    physical_address_1: o.line1,
    physical_city: retailer.address.city,
    physical_state: retailer.address.state,
    physical_postcode: retailer.address.zip,
    physical_country_id: 'US',
    email: `${o.key}@${prefix}.test`,
    order_reference_prefix: o.prefix,
    deleted_at: null,
    version: v(),
  }));
  const [main, harbor] = state.outlets as [XState['outlets'][number], XState['outlets'][number]];

  const registerCount = Math.max(1, options.registers);
  for (let i = 0; i < registerCount; i++) {
    const outlet = i % 2 === 0 ? main : harbor;
    const def = outletDefs[i % 2] as (typeof outletDefs)[number];
    state.registers.push({
      id: id(`register:${i}`),
      name: `${def.name} Register ${Math.floor(i / 2) + 1}`,
      outlet_id: outlet.id,
      invoice_prefix: `${def.prefix}${Math.floor(i / 2) + 1}-`,
      invoice_sequence: 1000,
      deleted_at: null,
      version: v(),
    });
  }

  state.users = [
    {
      id: id('user:admin'),
      username: retailer.buyerEmail,
      display_name: retailer.buyerName,
      email: retailer.buyerEmail,
      account_type: 'admin',
      created_at: created,
      deleted_at: null,
      version: v(),
    },
  ];
  state.paymentTypes = [
    { id: id('payment:cash'), name: 'Cash', type_id: 1, deleted_at: null, version: v() },
    { id: id('payment:card'), name: 'Credit Card', type_id: 3, deleted_at: null, version: v() },
    { id: id('payment:account'), name: 'On Account', type_id: 2, deleted_at: null, version: v() },
  ];
  state.customers = [
    { id: id('customer:walkin'), name: 'Walk-in customer', customer_code: 'WALKIN', deleted_at: null, version: v() },
  ];

  const color = {
    id: id('attribute:color'),
    name: 'Color',
    created_at: created,
    updated_at: created,
    deleted_at: null,
    version: v(),
  };
  const size = {
    id: id('attribute:size'),
    name: 'Size',
    created_at: created,
    updated_at: created,
    deleted_at: null,
    version: v(),
  };
  state.variantAttributes = [color, size];

  const brands = new Map<string, BrandRec>();
  const suppliers = new Map<string, SupplierRec>();
  for (const item of scenario.posItems) {
    if (brands.has(item.brandName) || !item.brandName) continue;
    brands.set(item.brandName, {
      id: id(`brand:${item.brandName}`),
      name: item.brandName,
      description: '',
      deleted_at: null,
      version: v(),
    });
    suppliers.set(item.brandName, {
      id: id(`supplier:${item.brandName}`),
      name: item.brandName,
      description: '',
      source: '',
      default_markup: 0,
      contact: { company_name: item.brandName },
      deleted_at: null,
      version: v(),
    });
  }
  state.brands = [...brands.values()];
  state.suppliers = [...suppliers.values()];

  // Product families: POS items sharing a matrixKey are one family; the first item is the parent.
  const families = new Map<string, ScenarioPosItem[]>();
  for (const item of scenario.posItems) {
    const members = families.get(item.matrixKey);
    if (members) members.push(item);
    else families.set(item.matrixKey, [item]);
  }
  const products: ProductRec[] = [];
  const inventory: InventoryRec[] = [];
  let familyIndex = 0;
  for (const [matrixKey, items] of families) {
    const first = items[0] as ScenarioPosItem;
    const familyId = id(`product:${first.key}`);
    const name = familyName(first);
    const handle = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}${familyIndex}`;
    const createdAt = isoSeconds(anchor - 300 * 86_400_000 + familyIndex * 1000);
    familyIndex++;
    for (const item of items) {
      const productId = id(`product:${item.key}`);
      const options: ProductRec['variant_options'] = [];
      if (item.color) options.push({ attribute_id: color.id, name: 'Color', value: item.color });
      if (item.size) options.push({ attribute_id: size.id, name: 'Size', value: item.size });
      const codes = [{ type: 'CUSTOM', code: item.sku }];
      if (item.upc) codes.push({ type: 'UPC', code: item.upc });
      products.push({
        id: productId,
        family_id: familyId,
        name,
        handle,
        sku: item.sku,
        description: '',
        source: 'USER',
        source_id: null,
        source_variant_id: null,
        // An archived item is an inactive product: still listed and found, with active/is_active false (§2.1).
        is_active: !item.archived,
        is_composite: false,
        has_inventory: true,
        is_variant: true,
        variant_options: options,
        price_excluding_tax: item.retailCents / 100,
        supply_price: item.costCents / 100,
        supplier_id: suppliers.get(item.brandName)?.id ?? null,
        supplier_code: item.sku,
        brand_id: brands.get(item.brandName)?.id ?? null,
        product_type_id: null,
        tag_ids: [],
        product_codes: codes,
        composite: [],
        image_url: null,
        created_at: createdAt,
        updated_at: createdAt,
        deleted_at: null,
        version: v(),
      });
      void matrixKey;
    }
  }
  for (const [index, item] of scenario.posItems.entries()) {
    const productId = id(`product:${item.key}`);
    const cost = item.costCents / 100;
    inventory.push(
      {
        id: id(`inventory:${item.key}:main`),
        product_id: productId,
        outlet_id: main.id,
        inventory_level: item.stock,
        reorder_point: 2,
        reorder_amount: 6,
        average_cost: cost,
        deleted_at: null,
        version: v(),
      },
      {
        id: id(`inventory:${item.key}:harbor`),
        product_id: productId,
        outlet_id: harbor.id,
        inventory_level: item.archived ? 0 : Math.floor(item.stock / 2) + (index % 3 === 0 ? 1 : 0),
        reorder_point: 1,
        reorder_amount: 4,
        average_cost: cost,
        deleted_at: null,
        version: v(),
      },
    );
  }
  if (scenario.options.posCarriesStoreItems) addStoreItems(products, inventory, [main, harbor], id, created, v);
  state.products = products;
  state.inventory = inventory;

  // A few sales, one per status, on the first active products, so the back office and sale listing show each.
  const sellable = products.filter((p) => p.is_active).slice(0, saleStatuses.length * 2);
  const register = state.registers[0] as XState['registers'][number];
  const sales: SaleRec[] = [];
  saleStatuses.forEach((status, i) => {
    const items = sellable.slice(i * 2, i * 2 + 2);
    if (items.length === 0) return;
    const at = isoSeconds(anchor - (saleStatuses.length - i) * 86_400_000);
    const seq = ++register.invoice_sequence;
    const lines = items.map((p, n) => ({
      id: id(`sale:${i}:line:${n}`),
      product_id: p.id,
      quantity: 1,
      price: p.price_excluding_tax,
      cost: p.supply_price,
      tax: Math.round(p.price_excluding_tax * salesTax.rate * 100000) / 100000,
      tax_id: salesTax.id,
      discount: 0,
      loyalty_value: 0,
      price_set: false,
      sequence: n,
      note: null,
      status: status === 'VOIDED' ? ('VOIDED' as const) : ('CONFIRMED' as const),
      is_return: false,
    }));
    const total = lines.reduce((sum, l) => sum + (l.price + l.tax) * l.quantity, 0);
    const paid = status.endsWith('CLOSED') || status === 'CLOSED';
    sales.push({
      id: id(`sale:${i}`),
      outlet_id: register.outlet_id,
      register_id: register.id,
      user_id: (state.users[0] as XState['users'][number]).id,
      customer_id: (state.customers[0] as XState['customers'][number]).id,
      invoice_number: `${register.invoice_prefix}${seq}`,
      invoice_sequence: seq,
      source: 'USER',
      source_id: null,
      status,
      note: null,
      short_code: id(`sale:${i}:code`).slice(0, 6),
      sale_date: at,
      line_items: lines,
      payments: paid
        ? [
            {
              id: id(`sale:${i}:payment`),
              register_id: register.id,
              retailer_payment_type_id: (state.paymentTypes[1] as XState['paymentTypes'][number]).id,
              payment_type_id: '3',
              name: 'Credit Card',
              payment_date: at,
              amount: Math.round(total * 100) / 100,
            },
          ]
        : [],
      fulfillment_details: [],
      // Seeded stock levels are what is on the shelf now; seeded sales have already been counted.
      stock_taken: status !== 'SAVED' && status !== 'VOIDED',
      created_at: at,
      updated_at: at,
      deleted_at: null,
      version: v(),
    });
  });
  state.sales = sales;
  state.lastVersion = version;
  return state;
}

/** "Harbor Hoodie Black M" → "Harbor Hoodie"; "House Basic 12 / S" → "House Basic 12". */
function familyName(item: ScenarioPosItem): string {
  let name = item.name;
  if (item.size) {
    if (name.endsWith(` / ${item.size}`)) name = name.slice(0, -(item.size.length + 3));
    else if (name.endsWith(` ${item.size}`)) name = name.slice(0, -(item.size.length + 1));
  }
  if (item.color && name.endsWith(` ${item.color}`)) name = name.slice(0, -(item.color.length + 1));
  return name;
}

/**
 * The store's own items (the ERP's too, under the same SKU) as standard products: a service (gift wrapping)
 * keeps no stock, the rest some on each outlet's shelf.
 */
function addStoreItems(
  products: ProductRec[],
  inventory: InventoryRec[],
  outlets: Array<{ id: string }>,
  id: (key: string) => string,
  created: string,
  v: () => number,
): void {
  for (const item of storeItems) {
    const productId = id(`product:store:${item.sku}`);
    const codes = [{ type: 'CUSTOM', code: item.sku }];
    if (item.upc) codes.push({ type: 'UPC', code: item.upc });
    const stocked = item.kind !== 'service';
    products.push({
      id: productId,
      family_id: productId,
      name: item.name,
      handle: item.sku.toLowerCase().replace(/[^a-z0-9]+/g, ''),
      sku: item.sku,
      description: '',
      source: 'USER',
      source_id: null,
      source_variant_id: null,
      is_active: true,
      is_composite: false,
      has_inventory: stocked,
      is_variant: false,
      variant_options: [],
      price_excluding_tax: item.retailCents / 100,
      supply_price: item.costCents / 100,
      supplier_id: null,
      supplier_code: null,
      brand_id: null,
      product_type_id: null,
      tag_ids: [],
      product_codes: codes,
      composite: [],
      image_url: null,
      created_at: created,
      updated_at: created,
      deleted_at: null,
      version: v(),
    });
    if (!stocked) continue;
    for (const outlet of outlets)
      inventory.push({
        id: id(`inventory:store:${item.sku}:${outlet.id}`),
        product_id: productId,
        outlet_id: outlet.id,
        inventory_level: 12,
        reorder_point: 2,
        reorder_amount: 6,
        average_cost: item.costCents / 100,
        deleted_at: null,
        version: v(),
      });
  }
}
