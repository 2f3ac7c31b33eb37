/** Background jobs as the API answers them. */
import { z } from 'zod';
import { jsonValue, pageFields, timestamp } from './common.ts';

export const jobStates = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export const jobView = z
  .object({
    id: z.string(),
    task: z.string().describe('What the job does (orders.ingest, export.apply, …)'),
    key: z.string().nullable(),
    state: z.enum(jobStates),
    attempts: z.number().int().describe('Failed attempts so far; waiting out a rate limit or an outage does not count'),
    maxAttempts: z.number().int(),
    runAt: timestamp,
    lastError: z.string().nullable(),
    errors: z.array(z.object({ at: timestamp, attempt: z.number().int(), message: z.string() })),
    payload: jsonValue.describe("The task's input, as its task defines it"),
    result: jsonValue.describe('What the task answered when it finished (null until then)'),
    createdAt: timestamp,
    updatedAt: timestamp,
    finishedAt: timestamp.nullable(),
  })
  .meta({ id: 'Job' });

export const jobsPage = z.object({ jobs: z.array(jobView), ...pageFields }).meta({ id: 'JobPage' });
