/**
 * Kysely table types. Conventions on both dialects: ids are text (UUIDs), timestamps are integer
 * epoch milliseconds, booleans are integer 0/1, JSON is stored as text.
 */
export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  secrets: SecretsTable;
  jobs: JobsTable;
  rate_budgets: RateBudgetsTable;
  settings: SettingsTable;
}

export interface OrganizationsTable {
  /** The organization is the tenant: its id is every other table's tenant_id. */
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: number;
}

export interface SessionsTable {
  /** Hash of the cookie token: the token itself is never stored. */
  id: string;
  tenant_id: string;
  user_id: string;
  csrf_token: string;
  expires_at: number;
  created_at: number;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SecretsTable {
  id: string;
  tenant_id: string;
  purpose: string;
  key_id: string;
  /** Opaque to the store: whatever the vault produced (e.g. base64 of iv + tag + ciphertext). */
  ciphertext: string;
  created_at: number;
  updated_at: number;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobsTable {
  id: string;
  tenant_id: string;
  task: string;
  key: string | null;
  payload: string;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_by: string | null;
  locked_until: number | null;
  /** Changes at every claim, so a worker whose lock was taken over cannot touch the job. */
  lock_token: string | null;
  last_error: string | null;
  /** JSON array of {at, attempt, message}. */
  errors: string;
  result: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface RateBudgetsTable {
  budget_key: string;
  tenant_id: string;
  state: string;
  updated_at: number;
}

export interface SettingsTable {
  tenant_id: string;
  key: string;
  value: string;
  updated_at: number;
}
