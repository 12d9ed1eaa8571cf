import type { Db } from '../db/database';
import { deleteExpiredSessions } from '../db/repositories/sessions';

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
      const now = new Date(input.now);
      if (Number.isNaN(now.getTime())) throw new TypeError(`now must be an ISO timestamp, got '${input.now}'`);
      return { deleted: await deleteExpiredSessions(db, now) };
    },
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
