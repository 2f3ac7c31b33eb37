import type { JobHandler } from '../../jobs/runner.ts';
import { taskHandlers } from '../../jobs/task.ts';
import type { EngineContext } from '../engine-context.ts';
import { auditScheduleTask } from '../audit/schedule.ts';
import { receivingSaga } from './saga.ts';

/** The receiving saga's job and the scheduled discrepancy audit, by task name (registered in src/main.ts). */
export function receivingHandlers(ctx: EngineContext): Record<string, JobHandler> {
  return taskHandlers(ctx, [receivingSaga.task, auditScheduleTask]);
}
