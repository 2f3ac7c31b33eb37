import type { Db } from '../store/db.ts';
import { sessions } from '../store/repos/index.ts';
import * as jobRows from '../store/repos/jobs.ts';
import * as oauthStates from '../store/repos/oauth-states.ts';

/** Finished jobs stay listed this long (the jobs page and `tradeloop jobs` show them), failed ones longer. */
export const SUCCEEDED_JOB_RETENTION_MS = 30 * 86_400_000;
export const FAILED_JOB_RETENTION_MS = 90 * 86_400_000;

export interface HousekeepingReport {
  expiredSessions: number;
  jobsRemoved: number;
  /** Linking attempts nobody finished, with what they sealed (a NuORDER consumer secret). */
  expiredLinkAttempts: number;
}

/**
 * Keeps the tables that only grow from growing without end: expired sessions and linking attempts go at
 * once, finished jobs after their retention. Safe from any number of workers at once (plain deletes of rows nobody uses).
 * A job key removed with its job could be enqueued again; every key in use is either a past time bucket
 * or guards work whose own state refuses a second run (an applied plan, an exported order).
 */
export async function runHousekeeping(db: Db, now: number): Promise<HousekeepingReport> {
  const expiredSessions = await sessions.removeExpired(db, now);
  const expiredLinkAttempts = await oauthStates.removeExpired(db, now);
  const succeeded = await jobRows.removeFinishedBefore(db, ['succeeded'], now - SUCCEEDED_JOB_RETENTION_MS);
  const failed = await jobRows.removeFinishedBefore(db, ['failed', 'cancelled'], now - FAILED_JOB_RETENTION_MS);
  return {
    expiredSessions,
    jobsRemoved: succeeded + failed,
    expiredLinkAttempts,
  };
}
