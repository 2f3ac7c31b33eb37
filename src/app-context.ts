import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { Vault } from './secrets/vault.ts';
import type { Store } from './store/db.ts';

/** What every part of the running product is built from: made once in src/main.ts and passed down. */
export interface AppContext {
  config: Config;
  store: Store;
  logger: Logger;
  vault: Vault;
  now(): number;
}
