import { Argument, Option, type Command } from 'commander';
import { createApiToken } from '../http/auth.ts';
import { listJobs } from '../http/routes/jobs.ts';
import * as queue from '../jobs/queue.ts';
import { AppError } from '../core/errors.ts';
import { users } from '../store/repos/index.ts';
import { resolveTenant, withContext } from './context.ts';
import { email, orgOption, text, uuid, wholeNumber } from './options.ts';

const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

/** `tradeloop tokens create` and `tradeloop jobs list | retry | cancel`. */
export function registerJobCommands(program: Command): void {
  const tokensCommand = program.command('tokens').description('Manage API tokens for scripts and the CLI');
  tokensCommand
    .command('create')
    .description('Create an API token for a user; the token is printed once')
    .addOption(new Option('--email <email>', 'the user the token acts as').argParser(email).makeOptionMandatory())
    .addOption(new Option('--name <name>', 'what the token is for').argParser(text()).default('cli'))
    .action(async (options: { email: string; name: string }) => {
      await withContext(
        async (ctx) => {
          const user = await users.findByEmail(ctx.store.db, options.email);
          if (!user) throw new AppError('USER_NOT_FOUND', `No user with email ${options.email}`);
          const token = await createApiToken(ctx, user.tenantId, user.id, options.name);
          console.log(token.token);
          console.error(`Token "${token.name}" (${token.id}) created. Store it now: it is not shown again.`);
        },
        { logLevel: 'warn' },
      );
    });

  const jobsCommand = program.command('jobs').description('Inspect and steer background jobs');
  jobsCommand
    .command('list')
    .description('List jobs, newest first')
    .addOption(new Option('--state <state>', 'filter by state').choices(jobStates))
    .addOption(new Option('--task <task>', 'filter by task name').argParser(text()))
    .addOption(new Option('--limit <n>', 'how many (1–500)').argParser(wholeNumber(1, 500)).default(50))
    .addOption(orgOption())
    .option('--json', 'print JSON, as GET /api/jobs answers')
    .action(async (options: { state?: queue.JobState; task?: string; limit: number; org?: string; json?: boolean }) => {
      await withContext(
        async (ctx) => {
          const tenantId = await resolveTenant(ctx, options.org);
          const page = await listJobs(ctx.store.db, tenantId, {
            state: options.state,
            task: options.task,
            limit: options.limit,
            offset: 0,
          });
          if (options.json) {
            console.log(JSON.stringify(page, null, 2));
            return;
          }
          const jobs = page.jobs;
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
      .command(action)
      .description(action === 'retry' ? 'Queue a failed or cancelled job again' : 'Cancel a queued or failed job')
      .addArgument(new Argument('<job-id>', 'the job (an id from `tradeloop jobs list`)').argParser(uuid))
      .addOption(orgOption())
      .action(async (jobId: string, options: { org?: string }) => {
        await withContext(
          async (ctx) => {
            const tenantId = await resolveTenant(ctx, options.org);
            const job = await queue[action](ctx.store.db, tenantId, jobId, Date.now());
            if (!job)
              throw new AppError(
                'JOB_NOT_FOUND',
                `No job ${jobId} that can be ${action === 'retry' ? 'retried' : 'cancelled'}`,
              );
            console.log(`${job.id} is now ${job.state}`);
          },
          { logLevel: 'warn' },
        );
      });
  }
}
