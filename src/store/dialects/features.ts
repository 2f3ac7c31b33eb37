import type { Kysely } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** What differs between the dialects, as seen by code outside src/store/dialects/. */
export interface DialectFeatures {
  readonly name: DialectName;
  /** Whether `SELECT … FOR UPDATE SKIP LOCKED` may be used to claim rows. */
  readonly supportsSkipLocked: boolean;
  /**
   * Serializes, until the end of the current transaction, every transaction that takes the same
   * key. Used where a count-then-write must not race across processes.
   */
  lockForTransaction(trx: Kysely<any>, key: string): Promise<void>;
  /** Whether a table exists in the store's own schema (never looks at other schemas). */
  tableExists(db: Kysely<any>, table: string): Promise<boolean>;
}
