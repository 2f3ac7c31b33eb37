import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { createContext, migrate } from '../main.ts';
import { simulatorSystems, startSimulator, stopSimulator, type SimulatorSystem } from '../simulators/index.ts';
import { reportCliError } from './context.ts';
import { registerDoctorCommand } from './doctor.ts';
import { registerForecastCommand } from './forecast.ts';
import { registerLinksCommands } from './links.ts';
import { registerAuditCommand } from './audit.ts';
import { registerJobCommands } from './jobs.ts';
import { registerOperationCommands } from './operations.ts';
import { port, text } from './options.ts';
import { registerOrderCommands } from './orders.ts';
import { registerOrgCommands } from './org.ts';
import { runServer } from './run-server.ts';
import { registerSalesCommands } from './sales.ts';
import { reportUsageErrorsInOneLine } from './usage.ts';
import { registerUserCommands } from './users.ts';

const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

const program = new Command();
program
  .name('tradeloop')
  .description('Wholesale purchase orders (NuORDER) into your point of sale (Lightspeed X-Series / R-Series).')
  .version(version, '-V, --version', 'print the version')
  // `--version` after a command is that command's own option (sales-orders rules show --version 2).
  .enablePositionalOptions();

const portOption = (): Option => new Option('-p, --port <port>', 'HTTP port (overrides PORT)').argParser(port);

program
  .command('start')
  .description('Run the API, the job worker and the web app in one process (builds the web app if needed)')
  .option('--demo', 'also start the four simulators, seed them, and seed a demo organization and user')
  .addOption(portOption())
  .action(async (options: { demo?: boolean; port?: number }) => {
    await runServer({ http: true, worker: true, demo: options.demo ?? false, port: options.port });
  });

program
  .command('serve')
  .description('Run the API and web app only (no jobs); the web app must be built (`npm run build`)')
  .addOption(portOption())
  .action(async (options: { port?: number }) => {
    await runServer({ http: true, worker: false, demo: false, port: options.port });
  });

program
  .command('worker')
  .description('Run the job worker only; start several against PostgreSQL to scale out')
  .action(async () => {
    await runServer({ http: false, worker: true, demo: false, port: undefined });
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    const ctx = await createContext(loadConfig());
    try {
      const applied = await migrate(ctx);
      console.log(
        applied.length
          ? `Applied ${applied.length} migration(s): ${applied.join(', ')}`
          : 'The database is up to date.',
      );
    } finally {
      await ctx.store.close();
    }
  });

registerUserCommands(program);
registerOrgCommands(program);
registerOperationCommands(program);
registerJobCommands(program);

program
  .command('sim')
  .description('Run one simulator on its own; see docs/simulators.md')
  .addArgument(new Argument('<system>', 'which one').choices(simulatorSystems))
  .addOption(new Option('-p, --port <port>', 'port to listen on').argParser(port).default(4100))
  .addOption(new Option('--host <host>', 'interface to listen on').argParser(text()).default('127.0.0.1'))
  .addOption(
    new Option('--seed <scenario>', 'scenario to seed when there is no snapshot')
      .choices(['demo', 'small', 'large', 'none'])
      .default('demo'),
  )
  .addOption(
    new Option('--snapshot <file>', 'JSON file to restore from on start and save to on exit').argParser(text(4096)),
  )
  .action(async (system: SimulatorSystem, options: { port: number; host: string; seed: string; snapshot?: string }) => {
    const running = await startSimulator(system, {
      port: options.port,
      host: options.host,
      ...(options.seed === 'none' ? {} : { scenario: options.seed }),
      ...(options.snapshot ? { snapshotFile: options.snapshot } : {}),
    });
    console.log(
      `${system} simulator on ${running.url} (back office: ${running.url}/backoffice, control API: ${running.url}/_sim)`,
    );
    const stop = async (): Promise<void> => {
      await stopSimulator(running, options.snapshot);
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  });

registerSalesCommands(program);
registerOrderCommands(program);
registerDoctorCommand(program);
registerForecastCommand(program);
registerLinksCommands(program);
registerAuditCommand(program);
reportUsageErrorsInOneLine(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportCliError(error);
}
