/** The shapes of the merchant-data API (pricing, mappings, forecast), as the web app reads them. */
import type { Money, PosLocation } from './types.ts';
import type { PriceRule, PricingPolicy } from '../../src/core/pricing-policy.ts';

export type { PriceRule, PricingPolicy };

export interface PricingView {
  policy: PricingPolicy;
  version: number;
  versions: Array<{ version: number; createdAt: string; createdBy: string | null }>;
  followBrandPrices: boolean;
  casePacks: { stock: 'units' | 'packs'; packPriceIs: 'pack' | 'unit' };
}

export interface DryRunChange {
  orderNumbers: string[];
  brand: string;
  styleNumber: string;
  color: string;
  size: string;
  cost: Money;
  msrp: Money | null;
  current: Money | null;
  next: Money | null;
  rule: string;
  review: string | null;
}

export interface DryRun {
  currentVersion: number;
  orders: number;
  items: number;
  changes: DryRunChange[];
}

export interface SupplierChoice {
  id: string;
  name: string;
}

export interface MappingsView {
  brands: Array<{
    brandSourceId: string;
    brandName: string;
    supplier: SupplierChoice | null;
    suggestions: Array<SupplierChoice & { why: string }>;
  }>;
  suppliers: SupplierChoice[];
  addresses: Array<{ addressKey: string; text: string; orders: number; locationId: string | null }>;
  locations: PosLocation[];
}

export interface OrdersLocation {
  locationId: string | null;
  addressKey: string | null;
  address: string;
  mapped: boolean;
}

export interface ForecastProblem {
  code: string;
  styleNumber: string;
  color: string;
  size: string;
  upc: string;
  message: string;
}

export interface Forecast {
  brand: { sourceId: string; name: string; connectionId: string };
  pos: { connectionId: string; name: string; system: string };
  currency: string;
  generatedAt: string;
  counts: {
    styles: number;
    products: number;
    sizes: number;
    matched: number;
    newItems: number;
    needsReview: number;
    newProducts: number;
    splitStyles: number;
    reviewReasons: Record<string, number>;
  };
  problems: ForecastProblem[];
  calls: { nuorder: number; pos: number };
}
