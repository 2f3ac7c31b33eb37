/**
 * A job about one connection (an order pull, a catalog refresh, a forecast): skipped when the connection is no
 * longer linked; a rate limit defers it (no attempt used) and lost credentials pause it (the connection shows it
 * needs a re-link, the job does not fail in a loop), both as the one remote-error policy says (saga/).
 */
import { z } from 'zod';
import { defineTask, type Task, type TaskOptions } from '../jobs/task.ts';
import { connections, type Connection } from '../store/repos/index.ts';
import type { EngineContext } from './engine-context.ts';
import { markNeedsRelink, remoteVerdict } from './saga/index.ts';

const connectionPayload = z.object({ connectionId: z.string().min(1) });

export function defineConnectionTask<S extends z.ZodObject<{ connectionId: z.ZodString }>>(
  name: string,
  payload: S,
  options: TaskOptions,
  work: (ctx: EngineContext, connection: Connection, payload: z.output<S>) => Promise<unknown>,
): Task<z.output<S>, EngineContext> {
  return defineTask(name, payload, options, async (ctx: EngineContext, input: z.output<S>, job, jobCtx) => {
    const connection = await connections.get(ctx.store.db, job.tenantId, input.connectionId);
    if (!connection || connection.status !== 'linked')
      return { skipped: `connection is ${connection?.status ?? 'gone'}` };
    try {
      return await work(ctx, connection, input);
    } catch (error) {
      const verdict = remoteVerdict(error, jobCtx.signal);
      if (verdict.kind === 'defer') jobCtx.defer(verdict.until, verdict.reason);
      if (verdict.kind === 'relink') {
        await markNeedsRelink(ctx.store.db, job.tenantId, connection.id, error, ctx.now());
        return { paused: 'connection needs re-link' };
      }
      const lastError = error instanceof Error ? error.message : String(error);
      await connections.update(ctx.store.db, job.tenantId, connection.id, { lastError }, ctx.now());
      throw error;
    }
  });
}

/** The payload of a job about one connection and nothing else. */
export const onlyConnection = connectionPayload;
