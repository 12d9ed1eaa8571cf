import type pg from 'pg';
import type { EngineContext } from '../context';
import { Run, type ExecutionRow } from './run';

export const RUN_COLUMNS =
  'run_id, namespace, workflow_id, workflow_type, task_queue, status, start_time, execution_time, close_time, search_attributes, history_length, start_request_id, state';

/** One PostgreSQL transaction of the engine: the runs it locked and what to announce once it commits. */
export class Tx {
  private readonly runs = new Map<string, Run>();
  private readonly afterCommit: (() => void)[] = [];

  constructor(
    readonly ctx: EngineContext,
    readonly client: pg.PoolClient,
  ) {}

  /** `name` makes a hot statement a prepared one: planned once per connection instead of on every call. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], name?: string) {
    return name ? this.client.query<R>({ name, text: sql, values: params }) : this.client.query<R>(sql, params);
  }

  onCommit(fn: () => void) {
    this.afterCommit.push(fn);
  }

  /** Locks a run's row for the rest of the transaction; the same Run object is returned on each call. */
  async lockRun(runId: string): Promise<Run | undefined> {
    const known = this.runs.get(runId);
    if (known) return known;
    const { rows } = await this.query<ExecutionRow>(`SELECT ${RUN_COLUMNS} FROM executions WHERE run_id = $1 FOR UPDATE`, [runId], 'lock-run');
    if (rows.length === 0) return undefined;
    const run = new Run(this, rows[0], false);
    this.runs.set(runId, run);
    return run;
  }

  /** Takes over a run row the caller already locked (SELECT ... FOR UPDATE) in this transaction. */
  adoptLockedRun(row: ExecutionRow): Run {
    const known = this.runs.get(row.run_id);
    if (known) return known;
    const run = new Run(this, row, false);
    this.runs.set(row.run_id, run);
    return run;
  }

  async currentRunId(namespace: string, workflowId: string): Promise<string | undefined> {
    const { rows } = await this.query<{ run_id: string }>(
      'SELECT run_id FROM current_runs WHERE namespace = $1 AND workflow_id = $2',
      [namespace, workflowId],
    );
    return rows[0]?.run_id;
  }

  /** The run named by runId, or the workflow's current run when runId is empty. */
  async lockExecution(namespace: string, workflowId: string, runId?: string): Promise<Run | undefined> {
    const id = runId || (await this.currentRunId(namespace, workflowId));
    if (!id) return undefined;
    const run = await this.lockRun(id);
    if (!run || run.namespace !== namespace || run.workflowId !== workflowId) return undefined;
    return run;
  }

  createRun(row: ExecutionRow): Run {
    const run = new Run(this, row, true);
    run.changed = true;
    this.runs.set(row.run_id, run);
    return run;
  }

  /** Writes every changed run (one statement each) and commits, all sent without waiting in between. */
  async flushAndCommit(): Promise<void> {
    const socket = corked(this.client);
    let writes: Promise<void>[];
    let commit: Promise<unknown>;
    try {
      writes = [...this.runs.values()].filter((run) => run.changed).map((run) => this.save(run));
      commit = this.client.query('COMMIT');
    } finally {
      socket?.uncork();
    }
    // On a pipelined connection a failed write makes PostgreSQL turn the COMMIT into a rollback.
    const results = await Promise.allSettled([...writes, commit]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  commitDone() {
    for (const fn of this.afterCommit) {
      try {
        fn();
      } catch (err) {
        this.ctx.log('post-commit notification failed', err);
      }
    }
  }

  private async save(run: Run): Promise<void> {
    const r = run.row;
    const params: unknown[] = [
      r.run_id,
      run.newEvents.map((e) => e.id),
      run.newEvents.map((e) => e.data),
      r.namespace,
      run.newTasks.map((t) => t.queue),
      run.newTasks.map((t) => t.kind),
      run.newTasks.map((t) => JSON.stringify(t.data)),
      run.deletedTimerKeys,
      run.newTimers.map((t) => new Date(t.fireAt).toISOString()),
      run.newTimers.map((t) => t.key),
      run.newTimers.map((t) => JSON.stringify(t.data)),
      r.status,
      r.close_time,
      JSON.stringify(r.search_attributes),
      r.history_length,
      JSON.stringify(r.state),
      run.dropAllTimersAndTasks,
    ];
    const writeRow = run.isNew
      ? `INSERT INTO executions (run_id, namespace, workflow_id, workflow_type, task_queue, status, start_time, execution_time,
           close_time, search_attributes, history_length, start_request_id, state)
         VALUES ($1, $4, $18, $19, $20, $12, $21, $22, $13, $14, $15, $23, $16)`
      : `UPDATE executions SET status = $12, close_time = $13, search_attributes = $14, history_length = $15, state = $16
         WHERE run_id = $1`;
    if (run.isNew) params.push(r.workflow_id, r.workflow_type, r.task_queue, r.start_time, r.execution_time, r.start_request_id);
    // Data-modifying CTEs: all of a run's writes in one round trip. The deletes see the snapshot from
    // before this statement, so a timer re-added under the same key survives.
    await this.query(
      `WITH ev AS (
         INSERT INTO history_events (run_id, event_id, data) SELECT $1, i, d FROM unnest($2::bigint[], $3::bytea[]) AS t(i, d)
       ), tk AS (
         INSERT INTO tasks (namespace, task_queue, kind, run_id, data)
         SELECT $4, q, k, $1, d FROM unnest($5::text[], $6::smallint[], $7::jsonb[]) AS t(q, k, d)
       ), td AS (
         DELETE FROM timers WHERE run_id = $1 AND ($17 OR key = ANY($8::text[]))
       ), kd AS (
         DELETE FROM tasks WHERE $17 AND run_id = $1
       ), ti AS (
         INSERT INTO timers (fire_at, run_id, key, data)
         SELECT f, $1, k, d FROM unnest($9::timestamptz[], $10::text[], $11::jsonb[]) AS t(f, k, d)
       )
       ${writeRow}`,
      params,
      run.isNew ? 'save-new-run' : 'save-run',
    );
    const { ctx } = this;
    const tasks = run.newTasks.slice();
    const earliestTimer = run.newTimers.reduce((min, t) => Math.min(min, t.fireAt), Infinity);
    this.onCommit(() => {
      for (const t of tasks) ctx.matching.notify(r.namespace, t.queue, t.kind);
      if (earliestTimer < Infinity) ctx.scheduler.wake(earliestTimer);
      ctx.watchers.notify(r.run_id, r.status !== 1);
    });
  }
}

/**
 * Holds a pipelined connection's writes until uncorked, so statements sent back to back leave in one
 * system call (socket writes were ~20% of the engine thread's time, one per statement).
 */
function corked(client: pg.PoolClient): { uncork(): void } | undefined {
  const stream = (client as unknown as { connection?: { stream?: { cork?(): void; uncork(): void } } }).connection?.stream;
  if (!stream?.cork) return undefined;
  stream.cork();
  return stream;
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs fn in a transaction, retrying on serialization failures and deadlocks between runs. `asyncCommit`
 * skips waiting for the WAL flush, for transactions whose loss in a PostgreSQL crash is harmless.
 */
export async function withTx<T>(ctx: EngineContext, fn: (tx: Tx) => Promise<T>, options: { asyncCommit?: boolean } = {}): Promise<T> {
  const begin = options.asyncCommit ? 'BEGIN; SET LOCAL synchronous_commit TO off' : 'BEGIN';
  for (let attempt = 1; ; attempt++) {
    const client = await ctx.pool.connect();
    const tx = new Tx(ctx, client);
    let ok = false;
    // The pool's connections pipeline: BEGIN goes out with the transaction's first statement.
    const socket = corked(client);
    const begun = client.query(begin);
    begun.catch(() => {});
    if (socket) process.nextTick(() => socket.uncork());
    try {
      const result = await fn(tx);
      await begun;
      await tx.flushAndCommit();
      ok = true;
      tx.commitDone();
      return result;
    } catch (err) {
      if (!ok) await client.query('ROLLBACK').catch(() => {});
      const code = (err as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < 8) continue;
      throw err;
    } finally {
      client.release();
    }
  }
}
