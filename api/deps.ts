import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import type { AppConfig } from '../system/config';
import type { Logger } from '../system/logger';

/**
 * The database handle. Reconcile with `Db` from db/database.ts (identity) once it lands: this alias only
 * keeps the shell type-checking until then.
 */
export type Db = Kysely<any>;

/** Everything a request handler may use; built once in system/start-system.ts and passed to createApp. */
export interface AppDeps {
  config: AppConfig;
  db: Db;
  logger: Logger;
  /** Absent only in tests that run the web shell without an engine; /readyz then reports the engine as down. */
  temporal?: { client: Client; namespace: string };
  /** Injected clock for tests; defaults to the wall clock. */
  clock?: () => Date;
}
