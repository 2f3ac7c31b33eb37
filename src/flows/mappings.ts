/**
 * The merchant's mappings on a POS connection (issue 16), like Lightspeed's own "NuORDER Vendors" page:
 * each brand to an existing POS supplier (suggested by name, created only when the merchant says so), and
 * each NuORDER ship-to address to a POS location (preselected in the review, used by automatic sync; an
 * address without one is asked about once, then remembered).
 */
import { invalidInput, notFound } from '../core/errors.ts';
import type { PosLocation } from '../core/ports/pos.ts';
import type { PostalAddress, WholesaleOrder } from '../core/wholesale-order.ts';
import { connections, mappings, wholesaleOrders, type Connection } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';
import { brandOf } from './forecast.ts';
import { addressKey, addressText } from './merchant-settings.ts';
import { listLocations, requirePosConnection } from './plan-export.ts';

export interface SupplierChoice {
  id: string;
  name: string;
}

export interface BrandMappingView {
  brandSourceId: string;
  brandName: string;
  supplier: SupplierChoice | null;
  /** POS suppliers that look like this brand, best first: the one carrying its id, then by name. */
  suggestions: Array<SupplierChoice & { why: string }>;
}

export interface AddressMappingView {
  addressKey: string;
  text: string;
  orders: number;
  locationId: string | null;
}

export interface MappingsView {
  brands: BrandMappingView[];
  suppliers: SupplierChoice[];
  addresses: AddressMappingView[];
  locations: PosLocation[];
}

/** Lower case, letters and digits only, without a trailing company form: "Spree Linens, Inc." → "spreelinens". */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\b(inc|llc|ltd|co|corp|company|gmbh|sa|srl)\b\.?/g, '')
    .replace(/[^a-z0-9]+/g, '');
}

type PosSupplierRow = { id: string; name: string; sourceBrandId: string | null };

function suggest(brand: { sourceId: string; name: string }, suppliers: readonly PosSupplierRow[]) {
  const key = nameKey(brand.name);
  const out: Array<SupplierChoice & { why: string }> = [];
  for (const s of suppliers)
    if (s.sourceBrandId === brand.sourceId) out.push({ id: s.id, name: s.name, why: 'carries the brand’s id' });
  for (const s of suppliers) {
    if (out.some((o) => o.id === s.id) || key === '') continue;
    const other = nameKey(s.name);
    if (other === key) out.push({ id: s.id, name: s.name, why: 'same name' });
    else if (other.length >= 4 && (other.includes(key) || key.includes(other)))
      out.push({ id: s.id, name: s.name, why: 'similar name' });
  }
  return out;
}

/** The tenant's brands: one per linked NuORDER connection. */
async function tenantBrands(ctx: EngineContext, tenantId: string): Promise<Array<{ sourceId: string; name: string }>> {
  const sources = await connections.list(ctx.store.db, tenantId, { system: 'nuorder' });
  const byId = new Map(sources.map((c) => brandOf(c)).map((b) => [b.sourceId, b]));
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Distinct ship-to addresses of the newest orders (500), with how many orders each. */
async function shipTos(
  ctx: EngineContext,
  tenantId: string,
): Promise<Map<string, { address: PostalAddress; orders: number }>> {
  const listed = await wholesaleOrders.list(ctx.store.db, tenantId, { limit: 500 });
  const orders = await wholesaleOrders.getMany(
    ctx.store.db,
    tenantId,
    listed.orders.map((o) => o.id),
  );
  const out = new Map<string, { address: PostalAddress; orders: number }>();
  for (const o of orders) {
    const key = addressKey(o.document.shippingAddress);
    if (key === null || o.document.shippingAddress === null) continue;
    const seen = out.get(key);
    if (seen) seen.orders++;
    else out.set(key, { address: o.document.shippingAddress, orders: 1 });
  }
  return out;
}

async function posSuppliers(ctx: EngineContext, connection: Connection): Promise<PosSupplierRow[]> {
  const pos = await ctx.connectors.pointOfSale(connection);
  return pos.listSuppliers ? pos.listSuppliers() : [];
}

export async function mappingsView(ctx: EngineContext, tenantId: string, connectionId: string): Promise<MappingsView> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  const [brands, suppliers, saved, savedLocations, addresses, locations] = await Promise.all([
    tenantBrands(ctx, tenantId),
    posSuppliers(ctx, connection),
    mappings.brandSuppliers(ctx.store.db, tenantId, connectionId),
    mappings.locationMappings(ctx.store.db, tenantId, connectionId),
    shipTos(ctx, tenantId),
    listLocations(ctx, connection, await ctx.connectors.pointOfSale(connection)),
  ]);
  for (const m of savedLocations)
    if (!addresses.has(m.addressKey)) addresses.set(m.addressKey, { address: m.address as PostalAddress, orders: 0 });
  return {
    brands: brands.map((b) => {
      const mapped = saved.find((s) => s.brandSourceId === b.sourceId);
      return {
        brandSourceId: b.sourceId,
        brandName: b.name,
        supplier: mapped ? { id: mapped.supplierId, name: mapped.supplierName } : null,
        suggestions: suggest(b, suppliers),
      };
    }),
    suppliers: suppliers.map((s) => ({ id: s.id, name: s.name })).sort((a, b) => a.name.localeCompare(b.name)),
    addresses: [...addresses.entries()].map(([key, a]) => ({
      addressKey: key,
      text: addressText(a.address),
      orders: a.orders,
      locationId: savedLocations.find((m) => m.addressKey === key)?.locationId ?? null,
    })),
    locations,
  };
}

/**
 * Maps a brand to an existing POS supplier (checked against the POS: 400 naming `supplierId` otherwise), or
 * creates the supplier when the merchant says so, or (null) removes the mapping.
 */
export async function mapBrand(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  brandSourceId: string,
  choice: { supplierId: string } | { create: true } | null,
): Promise<SupplierChoice | null> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  const brand = (await tenantBrands(ctx, tenantId)).find((b) => b.sourceId === brandSourceId);
  if (!brand) throw notFound('Brand', brandSourceId);
  if (choice === null) {
    await mappings.removeBrandSupplier(ctx.store.db, tenantId, connectionId, brandSourceId);
    return null;
  }
  let supplier: SupplierChoice;
  if ('create' in choice) {
    const pos = await ctx.connectors.pointOfSale(connection);
    const created = await pos.createSupplier({ name: brand.name, sourceBrandId: brand.sourceId, currency: null });
    supplier = { id: created.id, name: created.name };
  } else {
    const found = (await posSuppliers(ctx, connection)).find((s) => s.id === choice.supplierId);
    if (!found) {
      const message = `supplier ${choice.supplierId} is not a live supplier of ${connection.name}`;
      throw invalidInput(`supplierId: ${message}`, [{ path: 'supplierId', message }]);
    }
    supplier = { id: found.id, name: found.name };
  }
  await mappings.setBrandSupplier(
    ctx.store.db,
    tenantId,
    connectionId,
    { brandSourceId, brandName: brand.name, supplierId: supplier.id, supplierName: supplier.name },
    ctx.now(),
  );
  return supplier;
}

/** Maps a ship-to address (known from the orders, or mapped before) to a live location, or (null) unmaps it. */
export async function mapAddress(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  key: string,
  locationId: string | null,
): Promise<void> {
  const connection = await requirePosConnection(ctx, tenantId, connectionId);
  if (locationId === null) {
    await mappings.removeLocation(ctx.store.db, tenantId, connectionId, key);
    return;
  }
  const known = (await shipTos(ctx, tenantId)).get(key);
  const before = (await mappings.locationMappings(ctx.store.db, tenantId, connectionId)).find(
    (m) => m.addressKey === key,
  );
  if (!known && !before) throw notFound('Ship-to address', key);
  const locations = await listLocations(ctx, connection, await ctx.connectors.pointOfSale(connection), true);
  const location = locations.find((l) => l.id === locationId);
  if (!location || location.archived) {
    const message = `${locationId} is not an open location of ${connection.name}`;
    throw invalidInput(`locationId: ${message}`, [{ path: 'locationId', message }]);
  }
  await mappings.setLocation(
    ctx.store.db,
    tenantId,
    connectionId,
    { addressKey: key, address: known?.address ?? before?.address, locationId },
    ctx.now(),
  );
}

export interface OrdersLocation {
  /** The mapped location of the orders' ship-to address, when they share one and it is mapped. */
  locationId: string | null;
  addressKey: string | null;
  address: string;
  /** False when the address has no location yet: the review asks, and remembers the answer. */
  mapped: boolean;
}

/** Where the mapping sends orders: their common ship-to address's location. */
export async function locationForOrders(
  ctx: EngineContext,
  tenantId: string,
  connectionId: string,
  orders: readonly WholesaleOrder[],
): Promise<OrdersLocation> {
  const keys = [...new Set(orders.map((o) => addressKey(o.shippingAddress)))];
  const [key] = keys;
  const first = orders[0]?.shippingAddress ?? null;
  if (keys.length !== 1 || key === undefined || key === null)
    return {
      locationId: null,
      addressKey: null,
      address: keys.length > 1 ? 'several ship-to addresses' : addressText(first),
      mapped: false,
    };
  const locationId = (await mappings.locationFor(ctx.store.db, tenantId, connectionId, key)) ?? null;
  return { locationId, addressKey: key, address: addressText(first), mapped: locationId !== null };
}
