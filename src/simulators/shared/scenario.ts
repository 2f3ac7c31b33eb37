import { SeededRandom } from './rng.ts';

/**
 * A system-neutral, deterministic world that every simulator maps into its own shapes: brands and their
 * wholesale catalog (style + season + color, sizes with UPCs), the retailer's wholesale orders, and the
 * retailer's existing POS catalog, which overlaps the ordered UPCs the way real stores do (about half
 * exist already; some stored as UPC-A but ordered as EAN-13 with a leading zero; a few UPCs held by two
 * POS items; an archived match; sizes with no UPC).
 *
 * Money is in integer minor units (cents). Sizes are arguments, not constants.
 */

export interface ScenarioOptions {
  seed: string;
  brands: number;
  stylesPerBrand: number;
  /** Each style is sold in this many colors; a NuORDER product is one style + season + color. */
  colorsPerStyle: number;
  /** Orders whose NuORDER status is `approved`; a few more in other statuses are added for realism. */
  approvedOrders: number;
  /** Order lines (one size of one style/color) per approved order, min and max. */
  linesPerOrder: [number, number];
  /** Share of ordered UPCs that already exist in the POS catalog. */
  posOverlap: number;
  /** POS items that have nothing to do with the wholesale catalog. */
  unrelatedPosItems: number;
  /** Ordered UPCs that two POS items each hold (Needs review). */
  duplicateUpcs: number;
  /** Ordered UPCs whose only POS match is archived. */
  archivedMatches: number;
  /** Share of ordered UPCs sent as EAN-13 with a leading zero while the POS stores UPC-A. */
  ean13Share: number;
  /** Share of wholesale sizes without a UPC. */
  missingUpcShare: number;
  currency: string;
  /** The POS also sells the store's own items (`store-items.ts`) and the ERP's seeded sales orders sell what the POS stocks. */
  posCarriesStoreItems: boolean;
  /** The epoch-ms instant the scenario is anchored at (order dates are before it, ship windows after). */
  anchorMs: number;
}

export interface ScenarioBrand {
  id: string;
  code: string;
  name: string;
}

export interface ScenarioSize {
  size: string;
  /** The code as the brand sends it (UPC-A, EAN-13 with leading zero, or null when missing). */
  upc: string | null;
}

export interface ScenarioStyle {
  id: string;
  brandId: string;
  externalId: string;
  styleNumber: string;
  season: string;
  color: string;
  colorCode: string;
  name: string;
  description: string;
  category: string;
  department: string;
  wholesaleCents: number;
  retailCents: number;
  images: string[];
  sizes: ScenarioSize[];
}

export interface ScenarioOrderLine {
  styleId: string;
  size: string;
  quantity: number;
  unitCents: number;
}

export type WholesaleOrderStatus = 'draft' | 'review' | 'pending' | 'approved' | 'processed' | 'shipped' | 'cancelled';

export interface ScenarioOrder {
  id: string;
  orderNumber: string;
  brandId: string;
  status: WholesaleOrderStatus;
  customerPoNumber: string;
  createdMs: number;
  shipStartMs: number;
  shipEndMs: number;
  notes: string;
  lines: ScenarioOrderLine[];
}

export interface ScenarioPosItem {
  /** Stable id within the scenario; simulators derive their own ids from it. */
  key: string;
  /** The barcode as the POS stores it (always the 12-digit UPC-A form for related items). */
  upc: string | null;
  sku: string;
  name: string;
  brandName: string;
  color: string | null;
  size: string | null;
  /** Items of one style/color share a matrix key (X-Series product with variants; R-Series ItemMatrix). */
  matrixKey: string;
  costCents: number;
  retailCents: number;
  archived: boolean;
  stock: number;
}

export interface ScenarioRetailer {
  id: string;
  name: string;
  code: string;
  buyerName: string;
  buyerEmail: string;
  address: { line1: string; city: string; state: string; zip: string; country: string };
}

export interface Scenario {
  options: ScenarioOptions;
  retailer: ScenarioRetailer;
  brands: ScenarioBrand[];
  styles: ScenarioStyle[];
  orders: ScenarioOrder[];
  posItems: ScenarioPosItem[];
}

const brandNames = [
  'Northwind Outfitters',
  'Alder & Pine',
  'Saltmarsh Supply',
  'Kestrel Athletic',
  'Harbor Knitworks',
  'Juniper Row',
  'Copperline Denim',
  'Fable Footwear',
];
const colors: Array<[string, string]> = [
  ['Black', 'BLK'],
  ['Navy', 'NVY'],
  ['Heather Grey', 'HGR'],
  ['Forest', 'FOR'],
  ['Rust', 'RST'],
  ['Oat', 'OAT'],
  ['Indigo', 'IND'],
  ['Cream', 'CRM'],
];
const garments: Array<{
  noun: string;
  category: string;
  department: string;
  sizes: string[];
  wholesale: [number, number];
}> = [
  {
    noun: 'Crew Tee',
    category: 'Tops',
    department: 'Apparel',
    sizes: ['XS', 'S', 'M', 'L', 'XL'],
    wholesale: [900, 1800],
  },
  { noun: 'Hoodie', category: 'Tops', department: 'Apparel', sizes: ['S', 'M', 'L', 'XL'], wholesale: [2400, 4200] },
  {
    noun: 'Chino',
    category: 'Bottoms',
    department: 'Apparel',
    sizes: ['28', '30', '32', '34', '36'],
    wholesale: [2600, 4000],
  },
  {
    noun: 'Rain Shell',
    category: 'Outerwear',
    department: 'Apparel',
    sizes: ['S', 'M', 'L', 'XL'],
    wholesale: [5200, 9000],
  },
  {
    noun: 'Runner',
    category: 'Shoes',
    department: 'Footwear',
    sizes: ['7', '8', '9', '10', '11', '12'],
    wholesale: [4000, 6500],
  },
  { noun: 'Beanie', category: 'Accessories', department: 'Accessories', sizes: ['OS'], wholesale: [700, 1200] },
  {
    noun: 'Flannel Shirt',
    category: 'Tops',
    department: 'Apparel',
    sizes: ['S', 'M', 'L', 'XL', 'XXL'],
    wholesale: [2200, 3600],
  },
  {
    noun: 'Wool Sock',
    category: 'Accessories',
    department: 'Accessories',
    sizes: ['S/M', 'L/XL'],
    wholesale: [500, 900],
  },
];
const adjectives = [
  'Harbor',
  'Summit',
  'Drift',
  'Field',
  'Canyon',
  'Tidal',
  'Ember',
  'Prairie',
  'Ridge',
  'Meadow',
  'Coastal',
  'Alpine',
];
const seasons = ['SS27', 'FW26', 'CORE'];

export const scenarioPresets: Record<'demo' | 'small' | 'large', Omit<ScenarioOptions, 'anchorMs'>> = {
  demo: {
    seed: 'demo',
    brands: 3,
    stylesPerBrand: 20,
    colorsPerStyle: 2,
    approvedOrders: 12,
    linesPerOrder: [6, 18],
    posOverlap: 0.5,
    unrelatedPosItems: 120,
    duplicateUpcs: 2,
    archivedMatches: 1,
    ean13Share: 0.15,
    missingUpcShare: 0.02,
    currency: 'USD',
    posCarriesStoreItems: true,
  },
  small: {
    seed: 'small',
    brands: 1,
    stylesPerBrand: 4,
    colorsPerStyle: 1,
    approvedOrders: 2,
    linesPerOrder: [3, 6],
    posOverlap: 0.5,
    unrelatedPosItems: 5,
    duplicateUpcs: 1,
    archivedMatches: 1,
    ean13Share: 0.2,
    missingUpcShare: 0.05,
    currency: 'USD',
    posCarriesStoreItems: false,
  },
  large: {
    seed: 'large',
    brands: 4,
    stylesPerBrand: 700,
    colorsPerStyle: 2,
    approvedOrders: 4,
    linesPerOrder: [1000, 5000],
    posOverlap: 0.5,
    unrelatedPosItems: 200_000,
    duplicateUpcs: 20,
    archivedMatches: 10,
    ean13Share: 0.15,
    missingUpcShare: 0.01,
    currency: 'USD',
    posCarriesStoreItems: false,
  },
};

/** 2026-11-01T00:00:00Z: a fixed anchor so a scenario is the same whenever it is generated. */
export const defaultAnchorMs = Date.UTC(2026, 10, 1);

export type ScenarioName = keyof typeof scenarioPresets;

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(scenarioPresets, name);
}

export function scenarioOptions(name: ScenarioName, overrides: Partial<ScenarioOptions> = {}): ScenarioOptions {
  return { ...scenarioPresets[name], anchorMs: defaultAnchorMs, ...overrides };
}

const cache = new Map<string, Scenario>();

/** Generates (and memoises, since several simulators seed from the same world) a scenario. */
export function buildScenario(options: ScenarioOptions): Scenario {
  const cacheKey = JSON.stringify(options);
  const cached = cache.get(cacheKey);
  if (cached) return cached;
  const scenario = generate(options);
  if (cache.size > 8) cache.clear();
  cache.set(cacheKey, scenario);
  return scenario;
}

function generate(options: ScenarioOptions): Scenario {
  const rng = new SeededRandom(options.seed);
  const hexId = (): string => {
    let out = '';
    for (let i = 0; i < 24; i++) out += '0123456789abcdef'[rng.int(0, 15)];
    return out;
  };
  const upcs = new UpcFactory();

  const brands: ScenarioBrand[] = Array.from({ length: options.brands }, (_, i) => {
    const name =
      brandNames[i % brandNames.length] + (i >= brandNames.length ? ` ${Math.floor(i / brandNames.length) + 1}` : '');
    return { id: hexId(), code: name.toUpperCase().replace(/[^A-Z0-9]+/g, '-'), name };
  });

  const styles: ScenarioStyle[] = [];
  for (const [brandIndex, brand] of brands.entries()) {
    for (let s = 0; s < options.stylesPerBrand; s++) {
      const garment = rng.pick(garments);
      const adjective = rng.pick(adjectives);
      const season = rng.pick(seasons);
      const styleNumber = `${brand.code.slice(0, 3)}-${String(1000 + brandIndex * 1000 + s)}`;
      const wholesaleCents = roundTo50(rng.int(garment.wholesale[0], garment.wholesale[1]));
      const firstColor = rng.int(0, colors.length - 1);
      for (let c = 0; c < options.colorsPerStyle; c++) {
        const [color, colorCode] = colors[(firstColor + c) % colors.length] as [string, string];
        const sizes = garment.sizes.map((size) => {
          if (rng.chance(options.missingUpcShare)) return { size, upc: null };
          const upc = upcs.next(brandIndex + 1);
          return { size, upc: rng.chance(options.ean13Share) ? `0${upc}` : upc };
        });
        styles.push({
          id: hexId(),
          brandId: brand.id,
          externalId: `${brand.code}-${styleNumber}-${colorCode}`.toLowerCase(),
          styleNumber,
          season,
          color,
          colorCode,
          name: `${adjective} ${garment.noun}`,
          description: `${adjective} ${garment.noun.toLowerCase()} in ${color.toLowerCase()} by ${brand.name}.`,
          category: garment.category,
          department: garment.department,
          wholesaleCents,
          retailCents: roundTo50(Math.round(wholesaleCents * 2.2)) - 1,
          images: [`https://cdn.example-nuorder.test/${brand.code.toLowerCase()}/${styleNumber}-${colorCode}.jpg`],
          sizes,
        });
      }
    }
  }

  const orders = generateOrders(options, rng, brands, styles, hexId);
  const posItems = generatePosCatalog(options, rng, styles, brands, orders, upcs);

  return {
    options,
    retailer: {
      id: hexId(),
      name: 'Lakeside Goods Co.',
      code: 'LAKESIDE',
      buyerName: 'Dana Whitfield',
      buyerEmail: 'dana@lakeside-goods.test',
      address: { line1: '410 Harbor Street', city: 'Portland', state: 'ME', zip: '04101', country: 'USA' },
    },
    brands,
    styles,
    orders,
    posItems,
  };
}

function generateOrders(
  options: ScenarioOptions,
  rng: SeededRandom,
  brands: ScenarioBrand[],
  styles: ScenarioStyle[],
  hexId: () => string,
): ScenarioOrder[] {
  const day = 86_400_000;
  const extraStatuses: WholesaleOrderStatus[] = ['draft', 'review', 'pending', 'shipped', 'cancelled', 'processed'];
  const statuses: WholesaleOrderStatus[] = [
    ...Array.from({ length: options.approvedOrders }, () => 'approved' as const),
    ...(options.approvedOrders >= 6 ? extraStatuses : []),
  ];
  const stylesByBrand = new Map<string, ScenarioStyle[]>();
  for (const style of styles) stylesByBrand.set(style.brandId, [...(stylesByBrand.get(style.brandId) ?? []), style]);

  return statuses.map((status, index) => {
    const brand = brands[index % brands.length] as ScenarioBrand;
    const brandStyles = stylesByBrand.get(brand.id) ?? [];
    const wanted = rng.int(options.linesPerOrder[0], options.linesPerOrder[1]);
    const lines: ScenarioOrderLine[] = [];
    const used = new Set<string>();
    // Walk the brand's styles from a random start so orders for one brand overlap, as real reorders do.
    let cursor = rng.int(0, Math.max(0, brandStyles.length - 1));
    let guard = 0;
    while (lines.length < wanted && guard < brandStyles.length * 8) {
      guard++;
      const style = brandStyles[cursor % brandStyles.length];
      cursor++;
      if (!style) break;
      for (const size of style.sizes) {
        const key = `${style.id}/${size.size}`;
        if (used.has(key) || lines.length >= wanted) continue;
        used.add(key);
        lines.push({ styleId: style.id, size: size.size, quantity: rng.int(1, 12), unitCents: style.wholesaleCents });
      }
      if (guard >= brandStyles.length) {
        // More lines are wanted than the brand has sizes: repeat with the same variants on later ship windows.
        used.clear();
      }
    }
    const createdMs = options.anchorMs - rng.int(2, 60) * day;
    const shipStartMs = options.anchorMs + rng.int(5, 45) * day;
    return {
      id: hexId(),
      orderNumber: String(3_100_000 + index * 7 + rng.int(0, 6)),
      brandId: brand.id,
      status,
      customerPoNumber: rng.chance(0.5) ? `PO-${rng.digits(5)}` : '',
      createdMs,
      shipStartMs,
      shipEndMs: shipStartMs + rng.int(14, 60) * day,
      notes: rng.chance(0.3) ? 'Please ship complete; call before delivery.' : '',
      lines: mergeRepeatedLines(lines),
    };
  });
}

/** One order line per style/size: repeated picks add up their quantities. */
function mergeRepeatedLines(lines: ScenarioOrderLine[]): ScenarioOrderLine[] {
  const merged = new Map<string, ScenarioOrderLine>();
  for (const line of lines) {
    const key = `${line.styleId}/${line.size}`;
    const existing = merged.get(key);
    if (existing) existing.quantity += line.quantity;
    else merged.set(key, { ...line });
  }
  return [...merged.values()];
}

function generatePosCatalog(
  options: ScenarioOptions,
  rng: SeededRandom,
  styles: ScenarioStyle[],
  brands: ScenarioBrand[],
  orders: ScenarioOrder[],
  upcs: UpcFactory,
): ScenarioPosItem[] {
  const styleById = new Map(styles.map((s) => [s.id, s]));
  const brandById = new Map(brands.map((b) => [b.id, b]));
  const orderedVariants = new Map<string, { style: ScenarioStyle; size: ScenarioSize }>();
  for (const order of orders) {
    for (const line of order.lines) {
      const style = styleById.get(line.styleId);
      const size = style?.sizes.find((s) => s.size === line.size);
      if (style && size?.upc) orderedVariants.set(`${style.id}/${size.size}`, { style, size });
    }
  }
  const variants = [...orderedVariants.values()];
  const chosen = variants.filter(() => rng.chance(options.posOverlap));
  const items: ScenarioPosItem[] = [];
  const itemFor = (style: ScenarioStyle, size: ScenarioSize, suffix: string, archived: boolean): ScenarioPosItem => ({
    key: `pos-${style.id}-${size.size}${suffix}`,
    upc: size.upc ? toUpcA(size.upc) : null,
    sku: `${style.styleNumber}-${style.colorCode}-${size.size}${suffix}`,
    name: `${style.name} ${style.color} ${size.size}`,
    brandName: brandById.get(style.brandId)?.name ?? '',
    color: style.color,
    size: size.size,
    matrixKey: `pos-${style.id}${suffix}`,
    costCents: style.wholesaleCents,
    retailCents: style.retailCents,
    archived,
    stock: archived ? 0 : rng.int(0, 8),
  });
  for (const { style, size } of chosen) items.push(itemFor(style, size, '', false));

  // Duplicate UPCs: a second, older item (another matrix) carries the same barcode.
  const duplicates = chosen.slice(0, options.duplicateUpcs);
  for (const { style, size } of duplicates) items.push(itemFor(style, size, '-OLD', false));

  // Archived-only matches: ordered UPCs whose single POS item is archived.
  const notChosen = variants.filter((v) => !chosen.includes(v));
  for (const { style, size } of notChosen.slice(0, options.archivedMatches)) items.push(itemFor(style, size, '', true));

  for (let i = 0; i < options.unrelatedPosItems; i++) {
    const upc = upcs.next(90 + (i % 9));
    const matrix = Math.floor(i / 4);
    items.push({
      key: `pos-unrelated-${i}`,
      upc,
      sku: `HOUSE-${String(matrix).padStart(6, '0')}-${i % 4}`,
      name: `House Basic ${matrix} / ${['S', 'M', 'L', 'XL'][i % 4]}`,
      brandName: 'House Brand',
      color: null,
      size: ['S', 'M', 'L', 'XL'][i % 4] ?? null,
      matrixKey: `pos-unrelated-matrix-${matrix}`,
      costCents: 500 + (i % 40) * 25,
      retailCents: 1200 + (i % 40) * 50,
      archived: false,
      stock: i % 11,
    });
  }
  return items;
}

/** Issues unique, check-digit-valid 12-digit UPC-A codes under a per-brand company prefix. */
class UpcFactory {
  #sequence = new Map<number, number>();

  next(prefixIndex: number): string {
    const sequence = (this.#sequence.get(prefixIndex) ?? 0) + 1;
    this.#sequence.set(prefixIndex, sequence);
    const body = `0${String(84_000 + prefixIndex).padStart(5, '0')}${String(sequence).padStart(5, '0')}`.slice(-11);
    return body + gtinCheckDigit(body);
  }
}

/** The GS1 check digit of the digits before it (any GTIN length). */
export function gtinCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return String((10 - (sum % 10)) % 10);
}

function toUpcA(code: string): string {
  return code.length === 13 && code.startsWith('0') ? code.slice(1) : code;
}

function roundTo50(cents: number): number {
  return Math.round(cents / 50) * 50;
}
