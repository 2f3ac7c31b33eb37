/**
 * A POS connection's merchant settings as the API answers them (pricing policy and its dry run, mappings), and the
 * brands with their forecast.
 */
import { z } from 'zod';
import type { PriceRule, PricingPolicy } from '../../core/pricing-policy.ts';
import type { MappingsView, OrdersLocation } from '../../flows/mappings.ts';
import type { PricingDryRun } from '../../flows/pricing-dry-run.ts';
import { money, pageFields, sameShape, timestamp } from './common.ts';
import { posLocation } from './connections.ts';

const priceRule = z
  .object({
    basis: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('msrp') }),
      z.object({ kind: z.literal('markup'), factor: z.number().describe('Wholesale cost × factor') }),
      z.object({ kind: z.literal('margin'), percent: z.number().describe('The margin the price leaves, in %') }),
    ]),
    rounding: z.enum(['none', '.99', '.95', '.00', 'nearest_0.05']),
    floorAtMsrp: z.boolean(),
    minMarginPercent: z.number().nullable(),
  })
  .meta({ id: 'PriceRule' });

export const pricingPolicy = z
  .object({
    version: z.number().int().describe('1, 2, …: every save is a new version; 0 = none saved (the MSRP as sent)'),
    rule: priceRule,
    brands: z.record(z.string(), priceRule.partial()).describe('Per brand (its source id): the fields that differ'),
  })
  .meta({ id: 'PricingPolicy' });

const casePacks = z.object({ stock: z.enum(['units', 'packs']), packPriceIs: z.enum(['pack', 'unit']) });

export const pricingView = z
  .object({
    policy: pricingPolicy,
    version: z.number().int(),
    versions: z.array(z.object({ version: z.number().int(), createdAt: timestamp, createdBy: z.string().nullable() })),
    followBrandPrices: z.boolean(),
    casePacks,
  })
  .meta({ id: 'Pricing' });

export const pricingDryRun = z
  .object({
    currentVersion: z.number().int(),
    orders: z.number().int(),
    items: z.number().int(),
    changes: z.array(
      z.object({
        orderNumbers: z.array(z.string()),
        brand: z.string(),
        styleNumber: z.string(),
        color: z.string(),
        size: z.string(),
        cost: money,
        msrp: money.nullable(),
        current: money.nullable(),
        next: money.nullable(),
        rule: z.string(),
        review: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'PricingDryRun' });

const choice = z.object({ id: z.string(), name: z.string() });

export const mappingsView = z
  .object({
    brands: z.array(
      z.object({
        brandSourceId: z.string(),
        brandName: z.string(),
        supplier: choice.nullable(),
        suggestions: z.array(choice.extend({ why: z.string() })),
      }),
    ),
    suppliers: z.array(choice),
    addresses: z.array(
      z.object({
        addressKey: z.string(),
        text: z.string(),
        orders: z.number().int(),
        locationId: z.string().nullable(),
      }),
    ),
    locations: z.array(posLocation),
  })
  .meta({ id: 'Mappings' });

export const supplierMapping = z.object({ supplier: choice.nullable() });

export const ordersLocation = z
  .object({
    locationId: z.string().nullable(),
    addressKey: z.string().nullable(),
    address: z.string(),
    mapped: z.boolean(),
  })
  .meta({ id: 'OrdersLocation' });

const forecastCounts = z
  .object({
    styles: z.number().int(),
    products: z.number().int(),
    sizes: z.number().int(),
    matched: z.number().int(),
    newItems: z.number().int(),
    needsReview: z.number().int(),
    newProducts: z.number().int(),
    splitStyles: z.number().int(),
    reviewReasons: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'ForecastCounts' });

/** A brand's whole catalog planned against a POS catalog, with one problem per row. */
export const forecastView = z
  .object({
    brand: z.object({ sourceId: z.string(), name: z.string(), connectionId: z.string() }),
    pos: z.object({ connectionId: z.string(), name: z.string(), system: z.string() }),
    currency: z.string(),
    generatedAt: timestamp,
    counts: forecastCounts,
    problems: z.array(
      z.object({
        code: z.string(),
        styleNumber: z.string(),
        color: z.string(),
        size: z.string(),
        upc: z.string(),
        message: z.string(),
      }),
    ),
    calls: z.object({ nuorder: z.number().int(), pos: z.number().int() }),
  })
  .meta({ id: 'Forecast' });

export const brandsPage = z
  .object({
    brands: z.array(
      z.object({
        id: z.string().describe('The brand portal’s connection id'),
        sourceId: z.string(),
        name: z.string(),
        forecast: z
          .object({
            at: timestamp,
            posConnectionId: z.string(),
            counts: forecastCounts,
            problems: z.number().int(),
          })
          .nullable()
          .describe('The forecast made in the background when the brand was linked (per POS connection, the last)'),
      }),
    ),
    ...pageFields,
  })
  .meta({ id: 'BrandPage' });

sameShape<z.output<typeof priceRule>, PriceRule>(true);
sameShape<z.output<typeof pricingPolicy>, PricingPolicy>(true);
sameShape<z.output<typeof pricingDryRun>, PricingDryRun>(true);
sameShape<z.output<typeof mappingsView>, MappingsView>(true);
sameShape<z.output<typeof ordersLocation>, OrdersLocation>(true);
