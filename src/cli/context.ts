import type { AppContext } from '../app-context.ts';
import type { EngineContext } from '../flows/engine-context.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { createContext, migrate } from '../main.ts';
import { organizations } from '../store/repos/index.ts';
import { describeFatalError } from './fatal.ts';

/** Opens the store (migrated) for one CLI command and closes it afterwards. */
export async function withContext<T>(
  run: (ctx: EngineContext) => Promise<T>,
  options: { logLevel?: string } = {},
): Promise<T> {
  const config = loadConfig(process.env, options.logLevel ? { logLevel: options.logLevel as 'warn' } : {});
  const ctx = await createContext(config);
  try {
    await migrate(ctx);
    return await run(ctx);
  } finally {
    await ctx.store.close();
  }
}

/**
 * The organization an operator command acts on: the one named, or the only one there is. With several
 * organizations and none named, the error lists them.
 */
export async function resolveTenant(ctx: AppContext, named: string | undefined): Promise<string> {
  const all = await organizations.list(ctx.store.db);
  if (named) {
    const found = all.find((o) => o.id === named || o.name === named);
    if (!found) throw new AppError('ORG_NOT_FOUND', `No organization with id or name "${named}"`, { httpStatus: 404 });
    return found.id;
  }
  if (all.length === 1 && all[0]) return all[0].id;
  if (all.length === 0)
    throw new AppError('ORG_NOT_FOUND', 'There is no organization yet: create one with `tradeloop users create`', {
      httpStatus: 404,
    });
  throw new AppError(
    'ORG_AMBIGUOUS',
    `Name the organization with --org; there are ${all.length}: ${all.map((o) => `${o.name} (${o.id})`).join(', ')}`,
    { httpStatus: 400 },
  );
}

/**
 * Prints a user's mistake, or a known reason a command cannot start (database unreachable, data
 * directory not writable, port taken…), as one clear line and exits non-zero; anything else keeps its stack.
 */
export function reportCliError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78);
  }
  if (error instanceof AppError) {
    console.error(`Error (${error.code}): ${error.message}`);
    process.exit(error.httpStatus >= 500 ? 1 : 2);
  }
  const fatal = describeFatalError(error);
  if (fatal !== undefined) {
    console.error(fatal);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
}
