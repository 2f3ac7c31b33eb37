import { gtinCheckDigit } from './scenario.ts';

/**
 * What the store sells besides the wholesale catalog: a serial-numbered watch and GPS tracker, a lot-numbered
 * balm, a binned tote, gift wrapping (a service) and a kit. The ERP (NetSuite) always holds them; the POS
 * (X-Series) holds them under the same SKU when the scenario says so (`posCarriesStoreItems`, the demo), as a
 * store that sells ERP orders at its tills must, so a demo sales sync finds every item it sends.
 */
export type StoreItemKind = 'serialized' | 'lot' | 'inventory' | 'service' | 'kit';

export interface StoreItem {
  sku: string;
  name: string;
  kind: StoreItemKind;
  upc: string | null;
  retailCents: number;
  costCents: number;
  brandName: string;
}

function storeUpc(n: number): string {
  const body = `0840099${String(n).padStart(4, '0')}`;
  return body + gtinCheckDigit(body);
}

export const storeItems: readonly StoreItem[] = [
  {
    sku: 'TL-WATCH-TIDAL',
    name: 'Tidal Smartwatch',
    kind: 'serialized',
    upc: storeUpc(1),
    retailCents: 24_900,
    costCents: 12_000,
    brandName: 'Kestrel Athletic',
  },
  {
    sku: 'TL-GPS-RIDGE',
    name: 'Ridge GPS Tracker',
    kind: 'serialized',
    upc: storeUpc(2),
    retailCents: 12_900,
    costCents: 6_000,
    brandName: 'Kestrel Athletic',
  },
  {
    sku: 'TL-BALM-BEESWAX',
    name: 'Beeswax Leather Balm',
    kind: 'lot',
    upc: storeUpc(3),
    retailCents: 1_800,
    costCents: 600,
    brandName: 'Saltmarsh Supply',
  },
  {
    sku: 'TL-TOTE-CANVAS',
    name: 'Canvas Tote',
    kind: 'inventory',
    upc: storeUpc(4),
    retailCents: 3_400,
    costCents: 1_200,
    brandName: 'Alder & Pine',
  },
  {
    sku: 'TL-GIFT-WRAP',
    name: 'Gift Wrapping',
    kind: 'service',
    upc: null,
    retailCents: 500,
    costCents: 0,
    brandName: '',
  },
  {
    sku: 'TL-KIT-EXPLORER',
    name: 'Explorer Gift Set',
    kind: 'kit',
    upc: storeUpc(5),
    retailCents: 29_900,
    costCents: 14_000,
    brandName: '',
  },
];

export function storeItem(sku: string): StoreItem {
  const item = storeItems.find((i) => i.sku === sku);
  if (!item) throw new Error(`no store item ${sku}`);
  return item;
}
