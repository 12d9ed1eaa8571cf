import type { Duration } from '@temporalio/common';
import { ActivityFailure, continueAsNew, log, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities/maintenance';
import { PERIODIC_DATABASE_HOUSEKEEPING } from './activity-options';

const { deleteExpiredSessions, deleteStaleLoginFailures } = proxyActivities<MaintenanceActivities>(PERIODIC_DATABASE_HOUSEKEEPING);

/**
 * Runs recorded before failed logins were purged have no such step in their history; behind this patch they
 * replay as they ran and purge from their next new round on.
 */
const PURGE_LOGIN_FAILURES_PATCH = 'purge-stale-login-failures';

export interface MaintenanceInput {
  /** Pause between two rounds. Default one hour. */
  interval?: Duration;
  /** Rounds per run before continuing as new, which keeps the history short. Default 24 (a day). */
  roundsPerRun?: number;
}

export const DEFAULT_MAINTENANCE_INTERVAL: Duration = '1 hour';
export const DEFAULT_ROUNDS_PER_RUN = 24;

/**
 * System housekeeping that runs forever: each round removes expired sessions and failed logins too old to
 * count, then sleeps. "Now" is the workflow's clock (Date in workflow code is the deterministic workflow time),
 * read once per round and passed to the activities so their retries use the same cut-off.
 */
export async function maintenanceWorkflow(input: MaintenanceInput = {}): Promise<never> {
  const interval = input.interval ?? DEFAULT_MAINTENANCE_INTERVAL;
  const rounds = input.roundsPerRun ?? DEFAULT_ROUNDS_PER_RUN;
  for (let round = 0; round < rounds; round++) {
    const now = new Date().toISOString();
    await housekeeping('expired sessions', () => deleteExpiredSessions({ now }));
    if (patched(PURGE_LOGIN_FAILURES_PATCH)) {
      await housekeeping('stale login failures', () => deleteStaleLoginFailures({ now }));
    }
    await sleep(interval);
  }
  return continueAsNew<typeof maintenanceWorkflow>(input);
}

async function housekeeping(what: string, step: () => Promise<{ deleted: number }>): Promise<void> {
  try {
    const { deleted } = await step();
    if (deleted > 0) log.info(`${what} removed`, { deleted });
  } catch (err) {
    // A step that gave up is not fatal: the next round does the same work, so the loop must go on.
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn(`${what} not removed this round`, { error: err.cause?.message ?? err.message });
  }
}
