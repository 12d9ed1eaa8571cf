import { Kysely, Migrator, PostgresDialect, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrations } from './migrations/index';

export type Db = Kysely<Database>;

export interface CreateDbOptions {
  /** Pool size; default 10. */
  maxConnections?: number;
  /** Told when an idle pooled connection breaks (server restart, Ctrl-C reaching PostgreSQL first). */
  onIdleConnectionError?: (err: Error) => void;
}

export function createDb(databaseUrl: string, options: CreateDbOptions = {}): Db {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  // Without a listener, pg re-throws an idle connection's error and ends the process; the pool already drops
  // the broken connection and the next query opens a new one.
  pool.on('error', (err) => options.onIdleConnectionError?.(err));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

const staticMigrations: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Applies every pending migration. Kysely's Migrator takes a lock table, so two processes starting at once
 * apply each migration exactly once.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: staticMigrations });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration ${failed ?? ''} failed: ${reason}`, { cause: error });
  }
}
