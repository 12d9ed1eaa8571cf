import pg from 'pg';

/** Cluster-wide write counters: read before and after a phase to see what the engine asked of PostgreSQL. */
export interface WriteCounters {
  /** Next transaction id: every transaction that wrote something took one. */
  xid: bigint;
  /** Current WAL position in bytes. */
  walBytes: bigint;
}

export interface WriteCost {
  writeTransactions: number;
  walBytes: number;
}

/**
 * Exact at any moment, unlike pg_stat_database, whose counters backends flush up to seconds late.
 * Reading takes one transaction id itself; `writeCostBetween` leaves it out.
 */
export async function readWriteCounters(pool: pg.Pool): Promise<WriteCounters> {
  const { rows } = await pool.query<{ xid: string; wal: string }>(
    `SELECT pg_current_xact_id()::text AS xid, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint::text AS wal`,
  );
  return { xid: BigInt(rows[0].xid), walBytes: BigInt(rows[0].wal) };
}

export function writeCostBetween(before: WriteCounters, after: WriteCounters): WriteCost {
  return { writeTransactions: Number(after.xid - before.xid - 1n), walBytes: Number(after.walBytes - before.walBytes) };
}

/** Runs `work` and tells what it wrote: only meaningful while nothing else writes to the cluster. */
export async function withWriteCost<T>(pool: pg.Pool, work: () => Promise<T>): Promise<{ result: T; cost: WriteCost }> {
  const before = await readWriteCounters(pool);
  const result = await work();
  return { result, cost: writeCostBetween(before, await readWriteCounters(pool)) };
}
