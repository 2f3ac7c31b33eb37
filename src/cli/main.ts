import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { createApiToken } from '../http/auth.ts';
import * as queue from '../jobs/queue.ts';
import { toJobView } from '../http/routes/jobs.ts';
import { createContext, migrate } from '../main.ts';
import { users } from '../store/repos/index.ts';
import { AppError } from '../core/errors.ts';
import { isSimulatorSystem, simulatorSystems, startSimulator, stopSimulator } from '../simulators/index.ts';
import { reportCliError, resolveTenant, withContext } from './context.ts';
import { runServer } from './run-server.ts';
import { registerSalesCommands } from './sales.ts';
import { registerOrderCommands } from './orders.ts';
import { registerOperationCommands } from './operations.ts';
import { registerUserCommands } from './users.ts';
import { registerDoctorCommand } from './doctor.ts';

const program = new Command();
program
  .name('tradeloop')
  .description('Wholesale purchase orders (NuORDER) into your point of sale (Lightspeed X-Series / R-Series).')
  .showHelpAfterError();

program
  .command('start')
  .description('Run the API, the job worker and the web app in one process')
  .option('--demo', 'also start the four simulators, seed them, and seed a demo organization and user')
  .option('-p, --port <port>', 'HTTP port (overrides PORT)')
  .action(async (options: { demo?: boolean; port?: string }) => {
    await runServer({ http: true, worker: true, demo: options.demo ?? false, port: options.port });
  });

program
  .command('serve')
  .description('Run the API and web app only (no jobs)')
  .option('-p, --port <port>', 'HTTP port (overrides PORT)')
  .action(async (options: { port?: string }) => {
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
registerOperationCommands(program);

const tokensCommand = program.command('tokens').description('Manage API tokens for scripts and the CLI');
tokensCommand
  .command('create')
  .description('Create an API token for a user; the token is printed once')
  .requiredOption('--email <email>', 'the user the token acts as')
  .option('--name <name>', 'what the token is for', 'cli')
  .action(async (options: { email: string; name: string }) => {
    await withContext(
      async (ctx) => {
        const user = await users.findByEmail(ctx.store.db, options.email);
        if (!user) throw new AppError('USER_NOT_FOUND', `No user with email ${options.email}`, { httpStatus: 404 });
        const token = await createApiToken(ctx, user.tenantId, user.id, options.name);
        console.log(token.token);
        console.error(`Token "${token.name}" (${token.id}) created. Store it now: it is not shown again.`);
      },
      { logLevel: 'warn' },
    );
  });

const jobsCommand = program.command('jobs').description('Inspect and steer background jobs');
const orgOption = new Option('--org <id-or-name>', 'organization (needed when there are several)');
jobsCommand
  .command('list')
  .description('List jobs, newest first')
  .addOption(
    new Option('--state <state>', 'filter by state').choices(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  )
  .option('--task <task>', 'filter by task name')
  .option('--limit <n>', 'how many', '50')
  .addOption(orgOption)
  .option('--json', 'print JSON')
  .action(async (options: { state?: queue.JobState; task?: string; limit: string; org?: string; json?: boolean }) => {
    await withContext(
      async (ctx) => {
        const tenantId = await resolveTenant(ctx, options.org);
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new AppError('INVALID_INPUT', '--limit must be a whole number from 1', { httpStatus: 400 });
        const jobs = await queue.list(ctx.store.db, tenantId, { state: options.state, task: options.task, limit });
        if (options.json) {
          console.log(JSON.stringify(jobs.map(toJobView), null, 2));
          return;
        }
        if (jobs.length === 0) console.log('No jobs.');
        for (const job of jobs) {
          console.log(
            `${job.id}  ${job.state.padEnd(9)}  ${job.task.padEnd(24)}  attempts ${job.attempts}/${job.maxAttempts}${job.lastError ? `  last error: ${job.lastError}` : ''}`,
          );
        }
      },
      { logLevel: 'warn' },
    );
  });
for (const action of ['retry', 'cancel'] as const) {
  jobsCommand
    .command(`${action} <job-id>`)
    .description(action === 'retry' ? 'Queue a failed or cancelled job again' : 'Cancel a queued or failed job')
    .addOption(new Option('--org <id-or-name>', 'organization (needed when there are several)'))
    .action(async (jobId: string, options: { org?: string }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const job = await queue[action](ctx.store.db, tenantId, jobId, Date.now());
          if (!job)
            throw new AppError(
              'JOB_NOT_FOUND',
              `No job ${jobId} that can be ${action === 'retry' ? 'retried' : 'cancelled'}`,
              { httpStatus: 404 },
            );
          console.log(`${job.id} is now ${job.state}`);
        },
        { logLevel: 'warn' },
      );
    });
}

program
  .command('sim <system>')
  .description(`Run one simulator on its own (${simulatorSystems.join(', ')}); see docs/simulators.md`)
  .option('-p, --port <port>', 'port to listen on', '4100')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--seed <scenario>', 'scenario to seed when there is no snapshot: demo, small, large, or none', 'demo')
  .option('--snapshot <file>', 'JSON file to restore from on start and save to on exit')
  .action(async (system: string, options: { port: string; host: string; seed: string; snapshot?: string }) => {
    if (!isSimulatorSystem(system))
      throw new AppError(
        'INVALID_INPUT',
        `Unknown simulator "${system}"; choose one of ${simulatorSystems.join(', ')}`,
        { httpStatus: 400 },
      );
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new AppError('INVALID_INPUT', '--port must be a whole number from 0 to 65535', { httpStatus: 400 });
    const running = await startSimulator(system, {
      port,
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

try {
  await program.parseAsync(process.argv);
} catch (error) {
  reportCliError(error);
}
