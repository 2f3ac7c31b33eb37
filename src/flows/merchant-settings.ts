/**
 * A POS connection's merchant settings that shape its plans (issue 16): the pricing policy (versioned, in
 * `pricing_policies`), whether items Tradeloop created follow the brand's price, how packed lines are stocked,
 * the POS's product shape, the brand → supplier mappings, and what Tradeloop wrote on the items it created.
 * Plans, the dry run and the forecast all read them here, so they price and decide alike.
 */
import { invalidInput } from '../core/errors.ts';
import { parseMoney, type Money } from '../core/money.ts';
import { DEFAULT_PLAN_CASE_PACKS, NO_PRICING_POLICY } from '../core/plan.ts';
import type { CasePackSettings, OwnedItem, PlanInput } from '../core/plan.ts';
import type { PosCatalogEntry } from '../core/pos-catalog.ts';
import { parsePricingPolicy, type PricingPolicy } from '../core/pricing-policy.ts';
import type { PostalAddress } from '../core/wholesale-order.ts';
import { itemOwnership, mappings, pricingPolicies, type Connection } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';

/** The policy in force: the newest saved version, or the MSRP as sent (version 0) when none was saved. */
export async function pricingPolicyOf(ctx: EngineContext, connection: Connection): Promise<PricingPolicy> {
  const stored = await pricingPolicies.current(ctx.store.db, connection.tenantId, connection.id);
  if (!stored) return NO_PRICING_POLICY;
  const parsed = parsePricingPolicy(stored.document);
  // A stored version was valid when saved; one the validator now refuses is not applied silently.
  if (!parsed.ok)
    throw invalidInput(
      `The saved pricing policy (version ${stored.version}) is no longer valid: save it again`,
      parsed.error,
    );
  return parsed.value;
}

export function casePacksOf(connection: Connection): CasePackSettings {
  const raw = connection.settings['casePacks'] as Partial<CasePackSettings> | undefined;
  return {
    stock: raw?.stock === 'packs' ? 'packs' : 'units',
    remainder: 'round',
    packPriceIs: raw?.packPriceIs === 'unit' ? 'unit' : DEFAULT_PLAN_CASE_PACKS.packPriceIs,
  };
}

export function followsBrandPrices(connection: Connection): boolean {
  return connection.settings['followBrandPrices'] === true;
}

/** The POS's product-shape limits, from its connector's capabilities. */
export function shapeLimitsOf(ctx: EngineContext, connection: Connection): PlanInput['shapeLimits'] {
  return ctx.connectors.manifest(connection.system)?.capabilities?.shapeLimits ?? null;
}

/** Everything a plan of this connection needs besides the orders, the catalog and the links. */
export async function planSettings(
  ctx: EngineContext,
  connection: Connection,
): Promise<Pick<PlanInput, 'pricing' | 'casePacks' | 'shapeLimits' | 'brandSuppliers' | 'followBrandPrices'>> {
  const suppliers = await mappings.brandSuppliers(ctx.store.db, connection.tenantId, connection.id);
  return {
    pricing: await pricingPolicyOf(ctx, connection),
    casePacks: casePacksOf(connection),
    shapeLimits: shapeLimitsOf(ctx, connection),
    brandSuppliers: new Map(suppliers.map((s) => [s.brandSourceId, { id: s.supplierId, name: s.supplierName }])),
    followBrandPrices: followsBrandPrices(connection),
  };
}

/**
 * The items among `entries` Tradeloop created, with what it wrote and what the POS shows now (the mirror's
 * price, read in `currency`): field ownership compares the two.
 */
export async function ownedItemsOf(
  ctx: EngineContext,
  connection: Connection,
  entries: readonly PosCatalogEntry[],
  currency: string | null,
): Promise<Map<string, OwnedItem>> {
  const rows = await itemOwnership.getMany(
    ctx.store.db,
    connection.tenantId,
    connection.id,
    entries.map((e) => e.posItemId),
  );
  const byId = new Map(entries.map((e) => [e.posItemId, e]));
  const out = new Map<string, OwnedItem>();
  for (const row of rows) {
    const written = row.written.retail;
    const shown = byId.get(row.posItemId)?.retail;
    const cur = currency ?? written?.currency ?? null;
    out.set(row.posItemId, {
      posItemId: row.posItemId,
      variantKey: row.variantKey,
      writtenRetail: written,
      posRetail: shown === undefined || shown === null || cur === null ? null : readMoney(shown, cur),
    });
  }
  return out;
}

function readMoney(text: string, currency: string): Money | null {
  const parsed = parseMoney(text, currency, { rounding: 'half_up' });
  return parsed.ok ? parsed.value : null;
}

/**
 * A ship-to address as a key: its street, city, postal code and country, normalised (case, spacing,
 * punctuation), so the same address typed alike on every order finds its location. Null without a street.
 */
export function addressKey(address: PostalAddress | null): string | null {
  if (address === null) return null;
  const part = (v: string | null): string =>
    (v ?? '')
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const street = part(address.line1);
  if (street === '') return null;
  return [street, part(address.line2), part(address.city), part(address.postalCode), part(address.country)].join('|');
}

/** One line for a person: "12 Main St, Springfield 12345, USA". */
export function addressText(address: PostalAddress | null): string {
  if (address === null) return 'no ship-to address';
  const city = [address.city, address.region, address.postalCode].filter(Boolean).join(' ');
  return [address.name, address.line1, address.line2, city, address.country].filter(Boolean).join(', ');
}

/** Whether amendments that need no person are applied to the POS purchase order without one (default off). */
export function appliesAmendmentsAutomatically(connection: Connection): boolean {
  return connection.settings['autoApplyAmendments'] === true;
}
