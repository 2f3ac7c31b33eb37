/**
 * The merchant-data API's shapes (pricing, mappings, forecast): the server's own types (src/http/api-types.ts),
 * imported as types only.
 */
import type * as api from '../../src/http/api-types.ts';

export type PricingPolicy = api.PricingPolicy;
export type PriceRule = api.PricingPolicy['rule'];
export type PricingView = api.Pricing;
export type DryRun = api.PricingDryRun;
export type DryRunChange = api.PricingDryRun['changes'][number];
export type MappingsView = api.Mappings;
export type SupplierChoice = api.Mappings['suppliers'][number];
export type OrdersLocation = api.OrdersLocation;
export type Forecast = api.Forecast;
export type ForecastProblem = api.Forecast['problems'][number];
