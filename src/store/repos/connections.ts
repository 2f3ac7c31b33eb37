import type { Db } from '../db.ts';
import { isUniqueViolation } from '../errors.ts';
import type { ConnectionStatus, ConnectionSystem, ConnectionsTable } from '../schema.ts';

export interface Connection {
  id: string;
  tenantId: string;
  system: ConnectionSystem;
  name: string;
  status: ConnectionStatus;
  baseUrl: string;
  externalAccountId: string;
  secretId: string | null;
  settings: Record<string, unknown>;
  catalogCursor: string | null;
  lastSyncAt: number | null;
  lastError: string | null;
  rateHeadroom: Record<string, unknown> | null;
  createdAt: number;
  updatedAt: number;
}

export interface NewConnection {
  system: ConnectionSystem;
  name: string;
  baseUrl: string;
  externalAccountId: string;
  secretId: string | null;
  settings?: Record<string, unknown>;
  now?: number;
}

export async function create(db: Db, tenantId: string, input: NewConnection): Promise<Connection> {
  const now = input.now ?? Date.now();
  const row: ConnectionsTable = {
    id: crypto.randomUUID(),
    tenant_id: tenantId,
    system: input.system,
    name: input.name,
    status: 'linked',
    base_url: input.baseUrl,
    external_account_id: input.externalAccountId,
    secret_id: input.secretId,
    settings: JSON.stringify(input.settings ?? {}),
    catalog_cursor: null,
    last_sync_at: null,
    last_error: null,
    rate_headroom: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('connections').values(row).execute();
  return toConnection(row);
}

export async function get(db: Db, tenantId: string, id: string): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toConnection(row);
}

/** Linked and needs-relink connections (unlinked ones are history). */
export async function list(
  db: Db,
  tenantId: string,
  options: { system?: string; includeUnlinked?: boolean } = {},
): Promise<Connection[]> {
  let query = db.selectFrom('connections').selectAll().where('tenant_id', '=', tenantId);
  if (options.system) query = query.where('system', '=', options.system as ConnectionSystem);
  if (!options.includeUnlinked) query = query.where('status', '!=', 'unlinked');
  const rows = await query.orderBy('created_at').orderBy('id').execute();
  return rows.map(toConnection);
}

/**
 * Every live connection of a system, across tenants: for the schedulers only. A system is any registered
 * connector's name (flows/port-registry.ts); the stored names are not a closed list.
 */
export async function listAllLinked(db: Db, system: string): Promise<Connection[]> {
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('system', '=', system as ConnectionSystem)
    .where('status', '=', 'linked')
    .execute();
  return rows.map(toConnection);
}

/**
 * The one row of an external account in this organization, unlinked ones included (a unique index keeps it
 * one): linking the account again revives it, with its links, exports and history.
 */
export async function findByAccount(
  db: Db,
  tenantId: string,
  system: ConnectionSystem,
  externalAccountId: string,
): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('system', '=', system)
    .where('external_account_id', '=', externalAccountId)
    .executeTakeFirst();
  return row && toConnection(row);
}

/**
 * The account's row, created when there is none. Two links of one account at once both get the one row
 * (the unique index refuses the second insert, which then finds the first).
 */
export async function findOrCreate(db: Db, tenantId: string, input: NewConnection): Promise<Connection> {
  const existing = await findByAccount(db, tenantId, input.system, input.externalAccountId);
  if (existing) return existing;
  try {
    return await create(db, tenantId, input);
  } catch (error) {
    const created = isUniqueViolation(error)
      ? await findByAccount(db, tenantId, input.system, input.externalAccountId)
      : undefined;
    if (!created) throw error;
    return created;
  }
}

export interface ConnectionChanges {
  name?: string;
  status?: ConnectionStatus;
  secretId?: string | null;
  settings?: Record<string, unknown>;
  catalogCursor?: string | null;
  lastSyncAt?: number | null;
  lastError?: string | null;
  rateHeadroom?: Record<string, unknown> | null;
  baseUrl?: string;
}

export async function update(
  db: Db,
  tenantId: string,
  id: string,
  changes: ConnectionChanges,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('connections')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.status === undefined ? {} : { status: changes.status }),
      ...(changes.secretId === undefined ? {} : { secret_id: changes.secretId }),
      ...(changes.settings === undefined ? {} : { settings: JSON.stringify(changes.settings) }),
      ...(changes.catalogCursor === undefined ? {} : { catalog_cursor: changes.catalogCursor }),
      ...(changes.lastSyncAt === undefined ? {} : { last_sync_at: changes.lastSyncAt }),
      ...(changes.lastError === undefined ? {} : { last_error: changes.lastError }),
      ...(changes.rateHeadroom === undefined
        ? {}
        : { rate_headroom: changes.rateHeadroom === null ? null : JSON.stringify(changes.rateHeadroom) }),
      ...(changes.baseUrl === undefined ? {} : { base_url: changes.baseUrl }),
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

function toConnection(row: ConnectionsTable): Connection {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    system: row.system,
    name: row.name,
    status: row.status,
    baseUrl: row.base_url,
    externalAccountId: row.external_account_id,
    secretId: row.secret_id,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    catalogCursor: row.catalog_cursor,
    lastSyncAt: row.last_sync_at,
    lastError: row.last_error,
    rateHeadroom: row.rate_headroom === null ? null : (JSON.parse(row.rate_headroom) as Record<string, unknown>),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
