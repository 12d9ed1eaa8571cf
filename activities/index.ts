import type { Db } from '../db/database';
import { createMaintenanceActivities } from './maintenance';

/** What activities may use; the worker builds them once at start. */
export interface ActivityDeps {
  db: Db;
}

/** Every activity the worker registers, by name. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createMaintenanceActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
