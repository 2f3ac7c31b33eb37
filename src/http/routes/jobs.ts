import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../core/errors.ts';
import * as queue from '../../jobs/queue.ts';
import type { Job } from '../../jobs/queue.ts';
import type { ApiRouter } from '../api-router.ts';

const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export const jobView = z.object({
  id: z.string(),
  task: z.string(),
  key: z.string().nullable(),
  state: z.enum(jobStates),
  attempts: z.number(),
  maxAttempts: z.number(),
  runAt: z.string(),
  lastError: z.string().nullable(),
  errors: z.array(z.object({ at: z.string(), attempt: z.number(), message: z.string() })),
  payload: z.unknown(),
  result: z.unknown(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export function toJobView(job: Job): z.input<typeof jobView> {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    id: job.id,
    task: job.task,
    key: job.key,
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    runAt: iso(job.runAt),
    lastError: job.lastError,
    errors: job.errors.map((e) => ({ at: iso(e.at), attempt: e.attempt, message: e.message })),
    payload: job.payload,
    result: job.result,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    finishedAt: job.finishedAt === null ? null : iso(job.finishedAt),
  };
}

const idParams = z.object({ id: z.string().min(1).max(100) });

export function registerJobRoutes(ctx: AppContext, router: ApiRouter): void {
  router.route({
    method: 'get',
    path: '/api/jobs',
    summary: 'List background jobs, newest first',
    tag: 'jobs',
    query: z.object({
      state: z.enum(jobStates).optional(),
      task: z.string().min(1).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
    response: z.object({ jobs: z.array(jobView) }),
    handler: async ({ c, query }) => {
      const jobs = await queue.list(ctx.store.db, c.get('caller').tenantId, {
        ...(query.state ? { state: query.state } : {}),
        ...(query.task ? { task: query.task } : {}),
        limit: query.limit,
      });
      return { jobs: jobs.map(toJobView) };
    },
  });
  router.route({
    method: 'get',
    path: '/api/jobs/:id',
    summary: 'One job with its failure history',
    tag: 'jobs',
    params: idParams,
    response: jobView,
    handler: async ({ c, params }) => {
      const job = await queue.get(ctx.store.db, c.get('caller').tenantId, params.id);
      if (!job) throw notFound('Job', params.id);
      return toJobView(job);
    },
  });
  router.route({
    method: 'post',
    path: '/api/jobs/:id/retry',
    summary: 'Queue a failed or cancelled job again',
    tag: 'jobs',
    params: idParams,
    response: jobView,
    handler: async ({ c, params }) => {
      const job = await queue.retry(ctx.store.db, c.get('caller').tenantId, params.id, ctx.now());
      if (!job) throw notFound('Retryable job', params.id);
      return toJobView(job);
    },
  });
  router.route({
    method: 'post',
    path: '/api/jobs/:id/cancel',
    summary: 'Cancel a queued job',
    tag: 'jobs',
    params: idParams,
    response: jobView,
    handler: async ({ c, params }) => {
      const job = await queue.cancel(ctx.store.db, c.get('caller').tenantId, params.id, ctx.now());
      if (!job) throw notFound('Cancellable job', params.id);
      return toJobView(job);
    },
  });
}
