import type pg from 'pg';

/**
 * The engine's tables, created idempotently at every start. Mutable workflow state lives in
 * executions.state (one row lock serialises every change to a run); history events are kept as
 * encoded protobuf bytes so a poll response is built without re-deriving anything.
 */
export async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  const q = (name: string) => `"${schema.replaceAll('"', '""')}"`;
  const s = q(schema);
  const client = await pool.connect();
  try {
    // Two engines starting on one fresh database must not race on CREATE TABLE.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`engine-schema:${schema}`]);
    await client.query(`
      CREATE SCHEMA IF NOT EXISTS ${s};
      CREATE TABLE IF NOT EXISTS ${s}.namespaces (
        name text PRIMARY KEY,
        id text NOT NULL UNIQUE,
        description text NOT NULL DEFAULT '',
        owner_email text NOT NULL DEFAULT '',
        retention_seconds integer NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE IF NOT EXISTS ${s}.search_attributes (
        namespace text NOT NULL,
        name text NOT NULL,
        type smallint NOT NULL,
        PRIMARY KEY (namespace, name)
      );
      CREATE TABLE IF NOT EXISTS ${s}.executions (
        run_id text PRIMARY KEY,
        namespace text NOT NULL,
        workflow_id text NOT NULL,
        workflow_type text NOT NULL,
        task_queue text NOT NULL,
        status smallint NOT NULL,
        start_time timestamptz NOT NULL,
        execution_time timestamptz NOT NULL,
        close_time timestamptz,
        search_attributes jsonb NOT NULL DEFAULT '{}',
        history_length integer NOT NULL DEFAULT 0,
        start_request_id text,
        state jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS executions_by_workflow ON ${s}.executions (namespace, workflow_id);
      CREATE INDEX IF NOT EXISTS executions_by_start ON ${s}.executions (namespace, start_time DESC);
      CREATE TABLE IF NOT EXISTS ${s}.current_runs (
        namespace text NOT NULL,
        workflow_id text NOT NULL,
        run_id text NOT NULL,
        PRIMARY KEY (namespace, workflow_id)
      );
      CREATE TABLE IF NOT EXISTS ${s}.history_events (
        run_id text NOT NULL,
        event_id bigint NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (run_id, event_id)
      );
      CREATE TABLE IF NOT EXISTS ${s}.tasks (
        id bigserial PRIMARY KEY,
        namespace text NOT NULL,
        task_queue text NOT NULL,
        kind smallint NOT NULL,
        run_id text NOT NULL,
        data jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS tasks_by_queue ON ${s}.tasks (namespace, task_queue, kind, id);
      CREATE INDEX IF NOT EXISTS tasks_by_run ON ${s}.tasks (run_id);
      CREATE TABLE IF NOT EXISTS ${s}.timers (
        id bigserial PRIMARY KEY,
        fire_at timestamptz NOT NULL,
        run_id text NOT NULL,
        key text NOT NULL,
        data jsonb NOT NULL
      );
      CREATE INDEX IF NOT EXISTS timers_by_due ON ${s}.timers (fire_at);
      CREATE INDEX IF NOT EXISTS timers_by_run ON ${s}.timers (run_id, key);
    `);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`engine-schema:${schema}`]).catch(() => {});
    client.release();
  }
}
