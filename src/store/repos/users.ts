import type { Db } from '../db.ts';
import type { UsersTable } from '../schema.ts';

export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  passwordHash: string;
  createdAt: number;
}

export interface NewUser {
  email: string;
  name: string;
  /** Already hashed by src/auth: the store never sees a password. */
  passwordHash: string;
  now?: number;
}

export async function create(db: Db, tenantId: string, input: NewUser): Promise<User> {
  const row: UsersTable = {
    id: crypto.randomUUID(),
    tenant_id: tenantId,
    email: normalizeEmail(input.email),
    name: input.name,
    password_hash: input.passwordHash,
    created_at: input.now ?? Date.now(),
  };
  await db.insertInto('users').values(row).execute();
  return toUser(row);
}

/** Global on purpose: at login the tenant is not known yet, the email decides it. */
export async function findByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  return row && toUser(row);
}

export async function getById(db: Db, tenantId: string, id: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toUser(row);
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(row: UsersTable): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
  };
}
