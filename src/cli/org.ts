import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { organizations } from '../store/repos/index.ts';
import { chosenOrg, resolveTenant, withContext } from './context.ts';
import { text } from './options.ts';
import { profileFile, readProfile, writeProfile } from './profile.ts';

/**
 * `tradeloop org list | use <id-or-name> | forget`: with several organizations, choose the one commands
 * act on once, instead of `--org` on every command. The choice is kept per data directory.
 */
export function registerOrgCommands(program: Command): void {
  const org = program
    .command('org')
    .description('Choose the organization commands act on (kept in the data directory), or list them');

  org
    .command('list')
    .description('List organizations; * marks the one commands act on')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withContext(
        async (ctx) => {
          const all = await organizations.list(ctx.store.db);
          const choice = chosenOrg(ctx.config.dataDir, undefined);
          const current = choice
            ? all.find((o) => o.id === choice.value || o.name === choice.value)
            : all.length === 1
              ? all[0]
              : undefined;
          if (options.json) {
            const view = (o: (typeof all)[number]) => ({
              id: o.id,
              name: o.name,
              createdAt: new Date(o.createdAt).toISOString(),
            });
            console.log(JSON.stringify({ organizations: all.map(view), current: current?.id ?? null }, null, 2));
            return;
          }
          if (all.length === 0) console.log('No organization yet: create one with `tradeloop users create`.');
          for (const o of all) console.log(`${o === current ? '*' : ' '} ${o.id}  ${o.name}`);
          if (all.length > 1)
            console.log(
              current && choice
                ? `Commands act on "${current.name}", from ${choice.from}.`
                : 'None chosen: `tradeloop org use <id-or-name>`, or --org on each command.',
            );
        },
        { logLevel: 'warn' },
      );
    });

  org
    .command('use')
    .description('Act on this organization from now on (TRADELOOP_ORG and --org still win)')
    .argument('<id-or-name>', 'organization id or name', text())
    .action(async (named: string) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, named);
          const found = await organizations.get(ctx.store.db, tenantId);
          if (!found) throw new AppError('ORG_NOT_FOUND', `No organization "${named}"`);
          writeProfile(ctx.config.dataDir, {
            ...safeProfile(ctx.config.dataDir),
            org: { id: found.id, name: found.name },
          });
          console.log(`Commands now act on "${found.name}" (${found.id}); kept in ${profileFile(ctx.config.dataDir)}.`);
          if (process.env['TRADELOOP_ORG']) console.log('TRADELOOP_ORG is set in this shell and still wins.');
        },
        { logLevel: 'warn' },
      );
    });

  org
    .command('forget')
    .description('Forget the chosen organization (with several, commands then need --org again)')
    .action(() => {
      const dataDir = loadConfig().dataDir;
      const { org: forgotten, ...rest } = safeProfile(dataDir);
      writeProfile(dataDir, rest);
      console.log(forgotten ? `Forgot "${forgotten.name}" (${forgotten.id}).` : 'No organization was chosen.');
    });
}

/** A damaged profile must not stop the commands that replace or remove it. */
function safeProfile(dataDir: string): ReturnType<typeof readProfile> {
  try {
    return readProfile(dataDir);
  } catch {
    return {};
  }
}
