import type { Db } from '../db.ts';
import type { OrganizationsTable } from '../schema.ts';

export interface Organization {
  id: string;
  name: string;
  createdAt: number;
}

export async function create(db: Db, input: { name: string; now?: number }): Promise<Organization> {
  const row: OrganizationsTable = {
    id: crypto.randomUUID(),
    name: input.name,
    created_at: input.now ?? Date.now(),
  };
  await db.insertInto('organizations').values(row).execute();
  return toOrganization(row);
}

/** The organization is the tenant, so its id is the tenant id. */
export async function get(db: Db, tenantId: string): Promise<Organization | undefined> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', tenantId).executeTakeFirst();
  return row && toOrganization(row);
}

/** Operator-level (CLI): every organization, oldest first. Never exposed to a tenant's API. */
export async function list(db: Db): Promise<Organization[]> {
  const rows = await db.selectFrom('organizations').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(toOrganization);
}

function toOrganization(row: OrganizationsTable): Organization {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
