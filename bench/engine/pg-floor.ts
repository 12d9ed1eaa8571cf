import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { closedLoop, countedItems, nowMs, percentiles, timedItems, type Percentiles } from './measure';

export interface PgFloorOptions {
  databaseUrl: string;
  /** Pool size and number of concurrent writers: the same as the engine phase it is compared with. */
  concurrency: number;
  durationMs: number;
  /** Sequential commits (one connection) that time a single commit. */
  sequentialCommits: number;
}

export interface PgFloor {
  commitsPerS: number;
  commits: number;
  /** Latency of one commit with nothing else running: the unit a workflow's latency is compared with. */
  sequentialCommitMs: Percentiles;
}

/**
 * The floor the engine is compared with: how many durable commits per second PostgreSQL itself takes on
 * this machine, one single-row INSERT per transaction (autocommit). An engine that writes its state
 * durably cannot start workflows faster than this.
 */
export async function measurePgFloor(options: PgFloorOptions): Promise<PgFloor> {
  // A regular (WAL-logged) table: a temporary or unlogged one would skip exactly the cost being measured.
  const table = `bench_floor_${randomBytes(4).toString('hex')}`;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.concurrency });
  ignoreIdleClientErrors(pool);
  try {
    await pool.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, payload text NOT NULL, at timestamptz NOT NULL DEFAULT now())`);
    const insert = { name: 'bench-floor-insert', text: `INSERT INTO ${table} (payload) VALUES ($1)` };
    // Open every connection and prepare the statement before the clock starts.
    await Promise.all(Array.from({ length: options.concurrency }, (_, i) => pool.query({ ...insert, values: [`warm-${i}`] })));

    const sequential: number[] = [];
    await closedLoop({
      concurrency: 1,
      next: countedItems(options.sequentialCommits),
      run: async (i) => {
        const started = nowMs();
        await pool.query({ ...insert, values: [`seq-${i}`] });
        sequential.push(nowMs() - started);
      },
    });

    let commits = 0;
    const started = nowMs();
    await closedLoop({
      concurrency: options.concurrency,
      next: timedItems(options.durationMs),
      run: async (i) => {
        await pool.query({ ...insert, values: [`row-${i}`] });
        commits++;
      },
    });
    const elapsedS = (nowMs() - started) / 1000;
    return { commitsPerS: commits / elapsedS, commits, sequentialCommitMs: percentiles(sequential) };
  } finally {
    // Leave nothing behind in a database given by BENCH_DATABASE_URL.
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}

/**
 * pg's Pool.end() resolves before its idle clients' sockets are closed; if PostgreSQL stops right after,
 * the late "terminating connection" error would be an unhandled 'error' event and kill the process
 * before the cleanup is done. A query in progress still gets its own error.
 */
export function ignoreIdleClientErrors(pool: pg.Pool): void {
  pool.on('error', () => undefined);
}
