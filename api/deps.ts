import type { Client } from '@temporalio/client';
import type { Db } from '../db/database';
import type { AppConfig } from '../system/config';
import type { Logger } from '../system/logger';

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
