import { AppError, invalidInput, notFound } from '../core/errors.ts';
import { buildCatalogIndex } from '../core/pos-catalog.ts';
import { planExport, requiredLookups, type ExportPlan, type ItemOverride } from '../core/plan.ts';
import type { PointOfSale, PosLocation } from '../core/ports/pos.ts';
import type { WholesaleOrder } from '../core/wholesale-order.ts';
import {
  catalogMirror,
  connections,
  exportPlans,
  exports,
  itemLinks,
  posReorders,
  wholesaleOrders,
  type Connection,
  type StoredPlan,
} from '../store/repos/index.ts';
import { syncCatalogMirror } from './catalog-mirror.ts';
import { ownedItemsOf, planSettings } from './merchant-settings.ts';
import { nameLinkOrigins } from './item-links/origins.ts';
import type { EngineContext } from './engine-context.ts';

export interface PlanRequest {
  connectionId: string;
  locationId: string;
  orderIds: string[];
  overrides?: ItemOverride[];
  createdBy?: string | null;
}

/** `createdBy` of the plans automatic PO sync makes (every other plan was asked for by a person). */
export const automaticSyncCreator = 'automatic-sync';

/** A linked POS connection of this tenant, or a clear 4xx. */
export async function requirePosConnection(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
): Promise<Connection> {
  const connection = await connections.get(ctx.store.db, tenantId, connectionId);
  if (!connection || connection.status === 'unlinked') throw notFound('POS connection', connectionId);
  if (!ctx.connectors.isPos(connection.system)) {
    throw invalidInput(`Connection ${connectionId} is a ${connection.system} connection, not a point of sale`);
  }
  if (connection.status === 'needs_relink') {
    throw new AppError(
      'CONNECTION_NEEDS_RELINK',
      `${connection.name} lost its authorization; link it again before exporting`,
    );
  }
  return connection;
}

const locationCacheMs = 10 * 60_000;

/** The POS's locations, cached on the connection for a few minutes (they rarely change). */
export async function listLocations(
  ctx: EngineContext,
  connection: Connection,
  pos: PointOfSale,
  refresh = false,
): Promise<PosLocation[]> {
  const cached = connection.settings['locations'] as { fetchedAt: number; list: PosLocation[] } | undefined;
  if (!refresh && cached && ctx.now() - cached.fetchedAt < locationCacheMs) return cached.list;
  const list = await pos.listLocations();
  const settings = { ...connection.settings, locations: { fetchedAt: ctx.now(), list } };
  await connections.update(ctx.store.db, connection.tenantId, connection.id, { settings }, ctx.now());
  connection.settings = settings;
  return list;
}

async function requireLocation(
  ctx: EngineContext,
  connection: Connection,
  pos: PointOfSale,
  locationId: string,
): Promise<PosLocation> {
  const find = (list: PosLocation[]): PosLocation | undefined => list.find((l) => l.id === locationId);
  const location =
    find(await listLocations(ctx, connection, pos)) ?? find(await listLocations(ctx, connection, pos, true));
  if (!location)
    throw new AppError('LOCATION_UNKNOWN', `Location ${locationId} does not belong to ${connection.name}`, {
      details: { locationId },
    });
  if (location.archived) throw new AppError('LOCATION_ARCHIVED', `Location ${location.name} is archived in the POS`);
  return location;
}

/**
 * A POS connection's default location for automatic sync, checked against the POS now (a 400 naming the
 * field otherwise): a wrong one would make every automatic export fail later, with nobody watching.
 */
export async function requireDefaultLocation(
  ctx: EngineContext,
  connection: Connection,
  locationId: string,
): Promise<PosLocation> {
  if (!ctx.connectors.isPos(connection.system))
    throw invalidInput('defaultLocationId: only a point of sale has locations', [
      { path: 'defaultLocationId', message: 'only a point of sale has locations' },
    ]);
  try {
    return await requireLocation(ctx, connection, await ctx.connectors.pointOfSale(connection), locationId);
  } catch (error) {
    if (!(error instanceof AppError && error.code.startsWith('LOCATION_'))) throw error;
    const known = ((connection.settings['locations'] as { list?: PosLocation[] } | undefined)?.list ?? [])
      .filter((l) => !l.archived)
      .map((l) => `${l.name} (${l.id})`);
    const message = `${error.message}${known.length ? `; choose one of: ${known.join(', ')}` : ''}`;
    throw invalidInput(`defaultLocationId: ${message}`, [{ path: 'defaultLocationId', message }]);
  }
}

/** A cancelled wholesale order gets no purchase order: 409 ORDER_CANCELLED naming the orders. */
export function refuseCancelled(orders: ReadonlyArray<{ id: string; orderNumber: string; status: string }>): void {
  const cancelled = orders.filter((o) => o.status === 'cancelled');
  if (cancelled.length === 0) return;
  const numbers = cancelled.map((o) => o.orderNumber).join(', ');
  throw new AppError(
    'ORDER_CANCELLED',
    cancelled.length === 1
      ? `Order ${numbers} was cancelled in NuORDER; a cancelled order is not exported`
      : `Orders ${numbers} were cancelled in NuORDER; cancelled orders are not exported`,
    { details: { orderIds: cancelled.map((o) => o.id) } },
  );
}

/** Loads orders of this tenant, refusing unknown ids and orders that are exported (or exporting) to this POS already. */
async function requireExportableOrders(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  orderIds: string[],
): Promise<WholesaleOrder[]> {
  const unique = [...new Set(orderIds)];
  if (unique.length === 0) throw invalidInput('Choose at least one order');
  if (unique.length > 200) throw invalidInput('A bulk export takes at most 200 orders at a time');
  const stored = await wholesaleOrders.getMany(ctx.store.db, tenantId, unique);
  const missing = unique.filter((id) => !stored.some((o) => o.id === id));
  if (missing.length)
    throw new AppError('NOT_FOUND', `Unknown order(s): ${missing.join(', ')}`, { details: { missing } });
  refuseCancelled(stored);
  // By the POS account and the source order, not the connection row: a relink cannot export an order twice.
  const already = await exports.onAccount(ctx.store.db, tenantId, connectionId, unique);
  if (already.length) {
    const first = already[0];
    const order = stored.find((o) => o.id === first?.forOrderId);
    throw new AppError(
      'ORDER_ALREADY_EXPORTED',
      first?.state === 'exported'
        ? `Order ${order?.orderNumber} was already exported to this POS as PO ${first.poNumber}`
        : first?.state === 'failed'
          ? `Order ${order?.orderNumber} failed to export to this POS (${first.failureMessage ?? 'see the order page'}); retry that export from the order page`
          : `Order ${order?.orderNumber} is already being exported to this POS`,
      {
        details: already.map((e) => ({ orderId: e.forOrderId, state: e.state, poNumber: e.poNumber, exportId: e.id })),
      },
    );
  }
  // A reorder the merchant made in this POS's back office is already there as their PO; its recording as exported
  // may still be waiting for the POS to answer (flows/reorder/from-pos/adopt.ts).
  const fromPos = await posReorders.awaitingAdoption(ctx.store.db, tenantId, connectionId, stored);
  if (fromPos.length) {
    const first = fromPos[0] as (typeof fromPos)[0];
    const order = stored.find((o) => o.connectionId === first.brandConnectionId && o.sourceId === first.sourceOrderId);
    throw new AppError(
      'ORDER_ALREADY_EXPORTED',
      `Order ${order?.orderNumber} is the reorder made in this POS as PO ${first.posPoNumber}; it is already there`,
      { details: fromPos.map((r) => ({ orderId: r.orderId, state: 'exported', poNumber: r.posPoNumber })) },
    );
  }
  // Keep the buyer's order of selection: it is the order of the purchase orders.
  return unique.map((id) => stored.find((o) => o.id === id)?.document as WholesaleOrder);
}

/** Plans with the mirror as it is now; the caller synced it first. */
export async function computePlan(
  ctx: EngineContext,
  connection: Connection,
  orders: WholesaleOrder[],
  overrides: ItemOverride[],
): Promise<ExportPlan> {
  const links = await itemLinks.mapFor(ctx.store.db, connection.tenantId, connection.id);
  // Pricing policy, case packs, product shape, mapped suppliers (merchant-settings.ts).
  const settings = await planSettings(ctx, connection);
  const wanted = requiredLookups({ orders, itemLinks: links, overrides, casePacks: settings.casePacks });
  const entries = await catalogMirror.lookup(ctx.store.db, connection.id, wanted);
  // Cached per connector instance: one request the first time on X-Series, none on R-Series.
  const posCurrency = await (await ctx.connectors.pointOfSale(connection)).storeCurrency();
  const ownedItems = await ownedItemsOf(ctx, connection, entries, posCurrency ?? orders[0]?.currency ?? null);
  const plan = planExport({
    ...settings,
    ownedItems,
    orders,
    catalog: buildCatalogIndex(entries),
    itemLinks: links,
    overrides,
    posCurrency,
    // Keys of the organization: another one linked to the same POS account never adopts what this one wrote.
    keyScope: connection.tenantId,
  });
  // "Confirmed" names the link's origin (the item-link ledger).
  return nameLinkOrigins(ctx.store.db, connection, plan);
}

/**
 * Plans the export of one or many orders to a POS location: every line gets a decision with its
 * evidence. Nothing is written to the POS. The plan is stored (with the fingerprint of the evidence)
 * so the buyer can review it, override lines, and apply exactly this plan.
 */
export async function createPlan(ctx: EngineContext, tenantId: string, request: PlanRequest): Promise<StoredPlan> {
  const connection = await requirePosConnection(ctx, tenantId, request.connectionId);
  const orders = await requireExportableOrders(ctx, tenantId, connection.id, request.orderIds);
  const pos = await ctx.connectors.pointOfSale(connection);
  await requireLocation(ctx, connection, pos, request.locationId);
  // A person's review reads the POS change feed first (one request when nothing changed), so an item the
  // merchant just added shows as what it is. Automatic sync plans many orders at once: a mirror read
  // moments ago, after the last change we could know of (our own exports), is good enough for those;
  // apply re-checks against the POS anyway.
  const automatic = request.createdBy === automaticSyncCreator;
  await syncCatalogMirror(ctx, connection, pos, automatic ? { unlessFresherThanMs: 30_000 } : {});
  const overrides = request.overrides ?? [];
  const plan = await computePlan(ctx, connection, orders, overrides);
  return exportPlans.create(ctx.store.db, tenantId, {
    connectionId: connection.id,
    locationId: request.locationId,
    orderIds: [...new Set(request.orderIds)],
    overrides,
    plan,
    createdBy: request.createdBy ?? null,
    now: ctx.now(),
  });
}

export async function requirePlan(ctx: EngineContext, tenantId: string, planId: string): Promise<StoredPlan> {
  const plan = await exportPlans.get(ctx.store.db, tenantId, planId);
  if (!plan) throw notFound('Export plan', planId);
  return plan;
}

/**
 * Applies the buyer's overrides to a draft plan and recomputes it against the current mirror. Later
 * overrides for the same key replace earlier ones; `replace: true` starts from an empty list.
 */
export async function overridePlan(
  ctx: EngineContext,
  tenantId: string,
  planId: string,
  overrides: ItemOverride[],
  replace = false,
): Promise<StoredPlan> {
  const stored = await requirePlan(ctx, tenantId, planId);
  if (stored.state !== 'draft')
    throw new AppError('PLAN_NOT_DRAFT', `This plan is ${stored.state}; only a draft can be changed`);
  const connection = await requirePosConnection(ctx, tenantId, stored.connectionId);
  const orders = (await wholesaleOrders.getMany(ctx.store.db, tenantId, stored.orderIds)).map((o) => o.document);
  const merged = replace
    ? overrides
    : [...stored.overrides.filter((o) => !overrides.some((n) => n.scope === o.scope && n.key === o.key)), ...overrides];
  const plan = await computePlan(ctx, connection, orders, merged);
  if (!(await exportPlans.replaceDraft(ctx.store.db, tenantId, planId, plan, merged, ctx.now()))) {
    throw new AppError('PLAN_NOT_DRAFT', 'This plan was applied meanwhile; it can no longer be changed');
  }
  return requirePlan(ctx, tenantId, planId);
}
