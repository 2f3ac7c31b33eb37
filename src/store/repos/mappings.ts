import type { Db } from '../db.ts';

/**
 * The merchant's mappings on a POS connection: each brand to an existing POS supplier (X-Series supplier,
 * R-Series vendor), and each wholesale ship-to address to a POS location.
 */

export interface BrandSupplier {
  brandSourceId: string;
  brandName: string;
  supplierId: string;
  supplierName: string;
  updatedAt: number;
}

export async function brandSuppliers(db: Db, tenantId: string, connectionId: string): Promise<BrandSupplier[]> {
  const rows = await db
    .selectFrom('brand_suppliers')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .orderBy('brand_name')
    .execute();
  return rows.map((r) => ({
    brandSourceId: r.brand_source_id,
    brandName: r.brand_name,
    supplierId: r.supplier_id,
    supplierName: r.supplier_name,
    updatedAt: Number(r.updated_at),
  }));
}

export async function setBrandSupplier(
  db: Db,
  tenantId: string,
  connectionId: string,
  mapping: Omit<BrandSupplier, 'updatedAt'>,
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('brand_suppliers')
    .values({
      connection_id: connectionId,
      brand_source_id: mapping.brandSourceId,
      tenant_id: tenantId,
      brand_name: mapping.brandName,
      supplier_id: mapping.supplierId,
      supplier_name: mapping.supplierName,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['connection_id', 'brand_source_id']).doUpdateSet((eb) => ({
        brand_name: eb.ref('excluded.brand_name'),
        supplier_id: eb.ref('excluded.supplier_id'),
        supplier_name: eb.ref('excluded.supplier_name'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function removeBrandSupplier(
  db: Db,
  tenantId: string,
  connectionId: string,
  brandSourceId: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('brand_suppliers')
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('brand_source_id', '=', brandSourceId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export interface LocationMapping {
  addressKey: string;
  address: unknown;
  locationId: string;
  updatedAt: number;
}

export async function locationMappings(db: Db, tenantId: string, connectionId: string): Promise<LocationMapping[]> {
  const rows = await db
    .selectFrom('location_mappings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .orderBy('address_key')
    .execute();
  return rows.map((r) => ({
    addressKey: r.address_key,
    address: JSON.parse(r.address) as unknown,
    locationId: r.location_id,
    updatedAt: Number(r.updated_at),
  }));
}

export async function locationFor(
  db: Db,
  tenantId: string,
  connectionId: string,
  addressKey: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('location_mappings')
    .select('location_id')
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('address_key', '=', addressKey)
    .executeTakeFirst();
  return row?.location_id;
}

export async function setLocation(
  db: Db,
  tenantId: string,
  connectionId: string,
  mapping: Omit<LocationMapping, 'updatedAt'>,
  now = Date.now(),
): Promise<void> {
  await db
    .insertInto('location_mappings')
    .values({
      connection_id: connectionId,
      address_key: mapping.addressKey,
      tenant_id: tenantId,
      address: JSON.stringify(mapping.address),
      location_id: mapping.locationId,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['connection_id', 'address_key']).doUpdateSet((eb) => ({
        location_id: eb.ref('excluded.location_id'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function removeLocation(
  db: Db,
  tenantId: string,
  connectionId: string,
  addressKey: string,
): Promise<boolean> {
  const result = await db
    .deleteFrom('location_mappings')
    .where('tenant_id', '=', tenantId)
    .where('connection_id', '=', connectionId)
    .where('address_key', '=', addressKey)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
