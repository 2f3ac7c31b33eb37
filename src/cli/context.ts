import type { AppContext } from '../app-context.ts';
import type { EngineContext } from '../flows/engine-context.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { createContext, migrate } from '../main.ts';
import { organizations } from '../store/repos/index.ts';
import { describeFatalError } from './fatal.ts';
import { profileFile, readProfile } from './profile.ts';

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
 * The organization an operator command acts on: `--org`, else TRADELOOP_ORG, else the one chosen with
 * `tradeloop org use` (remembered in the data directory), else the only one there is. With several and
 * none chosen, the error lists them and says how to choose.
 */
export async function resolveTenant(ctx: AppContext, named: string | undefined): Promise<string> {
  const all = await organizations.list(ctx.store.db);
  const choice = chosenOrg(ctx.config.dataDir, named);
  if (choice) {
    const found = all.find((o) => o.id === choice.value || o.name === choice.value);
    if (!found)
      throw new AppError('ORG_NOT_FOUND', `No organization with id or name "${choice.value}" (from ${choice.from})`);
    return found.id;
  }
  if (all.length === 1 && all[0]) return all[0].id;
  if (all.length === 0)
    throw new AppError('ORG_NOT_FOUND', 'There is no organization yet: create one with `tradeloop users create`');
  throw new AppError(
    'ORG_AMBIGUOUS',
    `There are ${all.length} organizations (${all.map((o) => `${o.name} (${o.id})`).join(', ')}): choose one once with \`tradeloop org use <id-or-name>\`, or name it with --org or TRADELOOP_ORG`,
  );
}

/** Where the organization comes from, in order: the option, the environment, the profile. */
export function chosenOrg(dataDir: string, named: string | undefined): { value: string; from: string } | undefined {
  if (named) return { value: named, from: '--org' };
  const fromEnv = process.env['TRADELOOP_ORG']?.trim();
  if (fromEnv) return { value: fromEnv, from: 'TRADELOOP_ORG' };
  const remembered = readProfile(dataDir).org;
  if (remembered)
    return { value: remembered.id, from: `\`tradeloop org use\` (${profileFile(dataDir)}, "${remembered.name}")` };
  return undefined;
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
