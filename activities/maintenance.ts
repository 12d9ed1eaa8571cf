import type { Db } from '../db/database';
import { deleteStaleLoginFailures } from '../db/repositories/login-failures';
import { deleteExpiredSessions } from '../db/repositories/sessions';
import { loginWindowStart } from '../api/auth/login-throttle';

export interface MaintenanceActivityDeps {
  db: Db;
}

/** Housekeeping the maintenance workflow asks for. */
export function createMaintenanceActivities({ db }: MaintenanceActivityDeps) {
  return {
    /**
     * Deletes sessions that expired before `now` (the workflow's time, passed in so a retry uses the same cut-off).
     * Safe to retry: deleting what is already expired is idempotent; a second run finds nothing left to delete.
     */
    async deleteExpiredSessions(input: { now: string }): Promise<{ deleted: number }> {
      return { deleted: await deleteExpiredSessions(db, parseNow(input.now)) };
    },

    /**
     * Deletes failed logins older than the login throttle's counting window at `now`: they no longer delay or
     * lock anyone, and guesses at made-up usernames would otherwise pile up for ever. Safe to retry, like the above.
     */
    async deleteStaleLoginFailures(input: { now: string }): Promise<{ deleted: number }> {
      return { deleted: await deleteStaleLoginFailures(db, loginWindowStart(parseNow(input.now))) };
    },
  };
}

function parseNow(value: string): Date {
  const now = new Date(value);
  if (Number.isNaN(now.getTime())) throw new TypeError(`now must be an ISO timestamp, got '${value}'`);
  return now;
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
