import { sql, type Kysely } from 'kysely';

/**
 * Agencies, units, people, sessions, login failures, API tokens and the audit log.
 * Frozen in time: never import application code here, a later change is a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE agencies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (char_length(code) BETWEEN 1 AND 35 AND code ~ '^[0-9A-Z.]+$'),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 300),
      parent_id uuid REFERENCES agencies(id),
      hub text CHECK (hub IS NULL OR char_length(hub) <= 300),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (parent_id IS NULL OR parent_id <> id)
    )`.execute(db);
  await sql`CREATE INDEX agencies_parent_id_idx ON agencies (parent_id)`.execute(db);

  // Last line of defence against a parent chain that loops; the use cases check first to name the row.
  await sql`
    CREATE FUNCTION agencies_refuse_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE ancestors(id) AS (
          SELECT NEW.parent_id
          UNION
          SELECT a.parent_id FROM agencies a JOIN ancestors ON a.id = ancestors.id WHERE a.parent_id IS NOT NULL
        )
        SELECT 1 FROM ancestors WHERE id = NEW.id
      ) THEN
        RAISE EXCEPTION 'agency parent cycle' USING ERRCODE = 'check_violation', CONSTRAINT = 'agencies_no_cycle';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER agencies_no_cycle BEFORE INSERT OR UPDATE OF parent_id ON agencies
    FOR EACH ROW EXECUTE FUNCTION agencies_refuse_cycle()`.execute(db);

  await sql`
    CREATE TABLE units (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 300),
      code text CHECK (code IS NULL OR char_length(code) BETWEEN 1 AND 35),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (id, agency_id),
      UNIQUE (agency_id, name),
      UNIQUE (agency_id, code)
    )`.execute(db);

  await sql`
    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      unit_id uuid,
      username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
      full_name text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
      password_hash text NOT NULL,
      roles text[] NOT NULL CHECK (
        cardinality(roles) >= 1 AND roles <@ ARRAY['clerk', 'leader', 'officer', 'admin', 'operator']::text[]
      ),
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- A person's unit must belong to the person's own agency.
      FOREIGN KEY (unit_id, agency_id) REFERENCES units (id, agency_id)
    )`.execute(db);
  await sql`CREATE INDEX users_agency_id_idx ON users (agency_id)`.execute(db);

  await sql`
    CREATE TABLE sessions (
      id_hash text PRIMARY KEY,
      user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      idle_expires_at timestamptz NOT NULL,
      absolute_expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX sessions_user_id_idx ON sessions (user_id)`.execute(db);
  await sql`CREATE INDEX sessions_idle_expires_at_idx ON sessions (idle_expires_at)`.execute(db);
  await sql`CREATE INDEX sessions_absolute_expires_at_idx ON sessions (absolute_expires_at)`.execute(db);

  await sql`
    CREATE TABLE login_failures (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username text NOT NULL,
      failed_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX login_failures_username_failed_at_idx ON login_failures (username, failed_at)`.execute(db);

  await sql`
    CREATE TABLE api_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      user_id uuid NOT NULL REFERENCES users(id),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
      prefix text NOT NULL,
      token_hash text NOT NULL UNIQUE,
      roles text[] NOT NULL CHECK (
        cardinality(roles) >= 1 AND roles <@ ARRAY['clerk', 'leader', 'officer', 'admin', 'operator']::text[]
      ),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`CREATE INDEX api_tokens_agency_id_idx ON api_tokens (agency_id)`.execute(db);

  await sql`
    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      agency_id uuid REFERENCES agencies(id),
      actor_user_id uuid REFERENCES users(id),
      actor_label text NOT NULL,
      action text NOT NULL,
      target_type text NOT NULL,
      target_id text,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX audit_log_agency_id_created_at_idx ON audit_log (agency_id, created_at)`.execute(db);

  await sql`
    CREATE TABLE seed_markers (
      name text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['seed_markers', 'audit_log', 'api_tokens', 'login_failures', 'sessions', 'users', 'units']) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP TABLE agencies`.execute(db);
  await sql`DROP FUNCTION agencies_refuse_cycle()`.execute(db);
}
