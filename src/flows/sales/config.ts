/**
 * The sales sync's configuration per organization: the plain settings (the "skip sales orders" switch and a few
 * defaults) and the versioned rule sets (mapping + rules), saved as drafts after validation and activated by a person.
 */
import type { AppContext } from '../../app-context.ts';
import { AppError } from '../../core/errors.ts';
import { defaultRuleSet, validateRuleSet, type RuleSetDocument } from '../../core/sales/rules.ts';
import type { Db } from '../../store/db.ts';
import { salesRuleSets, settings, type SalesRuleSetVersion } from '../../store/repos/index.ts';

export interface SalesSettings {
  /** Off: every imported POS sale becomes a NetSuite sales order. On: only those meeting a condition do. */
  skipSalesOrders: boolean;
  /** How often each direction is synced. */
  syncIntervalMinutes: number;
  /** How far back the first sync (and the default dry run) looks. */
  lookbackDays: number;
  /** The NetSuite customer POS sales are recorded against (default: the account's first customer). */
  netsuiteCustomerId: string | null;
  /** The X-Series payment type a paid NetSuite order is recorded with. */
  paymentTypeName: string;
  /** What billing makes of the sales orders imported from POS sales. */
  posSalesOrderBilling: 'cashSale' | 'invoice';
}

export const defaultSalesSettings: SalesSettings = {
  skipSalesOrders: true,
  syncIntervalMinutes: 5,
  lookbackDays: 7,
  netsuiteCustomerId: null,
  paymentTypeName: 'Credit Card',
  posSalesOrderBilling: 'cashSale',
};

const SETTINGS_KEY = 'sales.settings';

export async function loadSalesSettings(db: Db, tenantId: string): Promise<SalesSettings> {
  const stored = (await settings.get(db, tenantId, SETTINGS_KEY)) as Partial<SalesSettings> | undefined;
  return { ...defaultSalesSettings, ...(stored ?? {}) };
}

export async function saveSalesSettings(
  ctx: AppContext,
  tenantId: string,
  changes: Partial<SalesSettings>,
): Promise<SalesSettings> {
  const next = { ...(await loadSalesSettings(ctx.store.db, tenantId)), ...stripUndefined(changes) };
  await settings.set(ctx.store.db, tenantId, SETTINGS_KEY, next, ctx.now());
  return next;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The rule set a sync uses: the active version, or the built-in defaults (version 0) before any is activated. */
export interface ActiveRules {
  version: number;
  document: RuleSetDocument;
}

export async function activeRules(db: Db, tenantId: string): Promise<ActiveRules> {
  const active = await salesRuleSets.active(db, tenantId);
  if (!active) return { version: 0, document: defaultRuleSet() };
  const checked = validateRuleSet(active.document);
  // A stored version was valid when saved; if the rules' language changed since, say so rather than guess.
  if (!checked.ok)
    throw new AppError(
      'SALES_RULES_OUTDATED',
      `The active rule set (version ${active.version}) no longer validates: ${checked.issues[0]?.message ?? ''}`,
      { details: checked.issues },
    );
  return { version: active.version, document: checked.document };
}

/** Validates and saves a new draft version; a rule set that fails validation is refused with every issue. */
export async function saveDraft(
  ctx: AppContext,
  tenantId: string,
  document: unknown,
  options: { note?: string | null; createdBy?: string | null } = {},
): Promise<SalesRuleSetVersion> {
  const checked = validateRuleSet(document);
  if (!checked.ok) {
    throw new AppError(
      'SALES_RULES_INVALID',
      `The rule set was not saved: ${checked.issues.map((i) => i.message).join('; ')}`,
      { details: checked.issues },
    );
  }
  return salesRuleSets.create(ctx.store.db, tenantId, {
    document: checked.document,
    note: options.note ?? null,
    createdBy: options.createdBy ?? null,
    now: ctx.now(),
  });
}

export async function activateVersion(
  ctx: AppContext,
  tenantId: string,
  version: number,
): Promise<SalesRuleSetVersion> {
  const found = await salesRuleSets.get(ctx.store.db, tenantId, version);
  if (!found) throw new AppError('NOT_FOUND', `Rule set version ${version} not found`);
  const checked = validateRuleSet(found.document);
  if (!checked.ok)
    throw new AppError('SALES_RULES_INVALID', `Version ${version} does not validate`, { details: checked.issues });
  await ctx.store.db.transaction().execute((trx) => salesRuleSets.activate(trx, tenantId, version, ctx.now()));
  return (await salesRuleSets.get(ctx.store.db, tenantId, version)) as SalesRuleSetVersion;
}

/** A version's document (validated), or the defaults for version 0. */
export async function ruleSetDocument(db: Db, tenantId: string, version: number): Promise<RuleSetDocument> {
  if (version === 0) return defaultRuleSet();
  const found = await salesRuleSets.get(db, tenantId, version);
  if (!found) throw new AppError('NOT_FOUND', `Rule set version ${version} not found`);
  const checked = validateRuleSet(found.document);
  if (!checked.ok)
    throw new AppError('SALES_RULES_INVALID', `Version ${version} does not validate`, { details: checked.issues });
  return checked.document;
}
