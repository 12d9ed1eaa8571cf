import type { Duration } from '@temporalio/common';
import { ActivityFailure, continueAsNew, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities/maintenance';
import { PERIODIC_DATABASE_HOUSEKEEPING } from './activity-options';

const { deleteExpiredSessions } = proxyActivities<MaintenanceActivities>(PERIODIC_DATABASE_HOUSEKEEPING);

export interface MaintenanceInput {
  /** Pause between two rounds. Default one hour. */
  interval?: Duration;
  /** Rounds per run before continuing as new, which keeps the history short. Default 24 (a day). */
  roundsPerRun?: number;
}

export const DEFAULT_MAINTENANCE_INTERVAL: Duration = '1 hour';
export const DEFAULT_ROUNDS_PER_RUN = 24;

/**
 * System housekeeping that runs forever: each round removes expired sessions, then sleeps. "Now" is the
 * workflow's clock (Date in workflow code is the deterministic workflow time), read once per round and
 * passed to the activity so its retries use the same cut-off.
 */
export async function maintenanceWorkflow(input: MaintenanceInput = {}): Promise<never> {
  const interval = input.interval ?? DEFAULT_MAINTENANCE_INTERVAL;
  const rounds = input.roundsPerRun ?? DEFAULT_ROUNDS_PER_RUN;
  for (let round = 0; round < rounds; round++) {
    const now = new Date();
    try {
      const { deleted } = await deleteExpiredSessions({ now: now.toISOString() });
      if (deleted > 0) log.info('expired sessions removed', { deleted });
    } catch (err) {
      // A round that gave up is not fatal: the next round does the same work, so the loop must go on.
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('expired sessions not removed this round', { error: err.cause?.message ?? err.message });
    }
    await sleep(interval);
  }
  return continueAsNew<typeof maintenanceWorkflow>(input);
}
