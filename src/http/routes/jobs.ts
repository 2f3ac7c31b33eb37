import { z } from 'zod';
import type { AppContext } from '../../app-context.ts';
import { notFound } from '../../core/errors.ts';
import * as queue from '../../jobs/queue.ts';
import type { Job, JobState } from '../../jobs/queue.ts';
import type { Db } from '../../store/db.ts';
import type { ApiRouter } from '../api-router.ts';
import { pageQuery, type JsonValue } from '../schemas/common.ts';
import { jobsPage, jobStates, jobView } from '../schemas/jobs.ts';

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
    // Stored as JSON: what comes back out is JSON.
    payload: job.payload as JsonValue,
    result: (job.result ?? null) as JsonValue,
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
    finishedAt: job.finishedAt === null ? null : iso(job.finishedAt),
  };
}

const idParams = z.object({ id: z.string().min(1).max(100) });

/** A page of jobs as `GET /api/jobs` answers it (also `tradeloop jobs list --json`). */
export async function listJobs(
  db: Db,
  tenantId: string,
  query: { state?: JobState | undefined; task?: string | undefined; limit: number; offset: number },
): Promise<z.input<typeof jobsPage>> {
  const filters = { ...(query.state ? { state: query.state } : {}), ...(query.task ? { task: query.task } : {}) };
  const jobs = await queue.list(db, tenantId, { ...filters, limit: query.limit, offset: query.offset });
  return {
    jobs: jobs.map(toJobView),
    total: await queue.count(db, tenantId, filters),
    limit: query.limit,
    offset: query.offset,
  };
}

export function registerJobRoutes(ctx: AppContext, router: ApiRouter): void {
  router.route({
    method: 'get',
    path: '/api/jobs',
    operationId: 'listJobs',
    summary: 'List background jobs, newest first',
    tag: 'jobs',
    query: z.object({
      state: z.enum(jobStates).optional(),
      task: z.string().min(1).optional(),
      ...pageQuery(50, 500),
    }),
    response: jobsPage,
    handler: async ({ c, query }) => listJobs(ctx.store.db, c.get('caller').tenantId, query),
  });
  router.route({
    method: 'get',
    path: '/api/jobs/:id',
    operationId: 'getJob',
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
    operationId: 'retryJob',
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
    operationId: 'cancelJob',
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
