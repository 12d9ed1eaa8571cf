import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely';

/** Roles a person may hold in an agency (glossary: clerk, leader, officer; admin manages process templates). */
export const ROLES = ['clerk', 'leader', 'officer', 'admin', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** timestamptz: read as Date, written as Date (or an ISO string), defaulted by the database on insert. */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type OptionalTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface AgencyTable {
  id: Generated<string>;
  /** Agency code (mã định danh), ../shared/domain/identifiers.md §1; unique. */
  code: string;
  name: string;
  parent_id: string | null;
  /** The axis hub this agency exchanges documents through (code or URL until the hub exists). */
  hub: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: OptionalTimestamp;
}

export interface UnitTable {
  id: Generated<string>;
  agency_id: string;
  name: string;
  code: string | null;
  created_at: CreatedAt;
  updated_at: OptionalTimestamp;
}

export interface UserTable {
  id: Generated<string>;
  agency_id: string;
  unit_id: string | null;
  /** Lower-case login name, unique across the system because login asks for nothing else. */
  username: string;
  full_name: string;
  password_hash: string;
  roles: ColumnType<Role[], Role[], Role[]>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: OptionalTimestamp;
}

export interface SessionTable {
  /** SHA-256 (hex) of the opaque cookie value; the value itself is never stored. */
  id_hash: string;
  user_id: string;
  /** Synchronizer token that every state-changing request of this session must echo. */
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
}

export interface LoginFailureTable {
  id: Generated<string>;
  /** Normalised username as typed, whether or not such a user exists. */
  username: string;
  failed_at: Timestamp;
}

export interface ApiTokenTable {
  id: Generated<string>;
  agency_id: string;
  user_id: string;
  name: string;
  /** First characters of the token, shown in lists so a person can tell tokens apart. */
  prefix: string;
  /** SHA-256 (hex) of the whole token. */
  token_hash: string;
  roles: ColumnType<Role[], Role[], Role[]>;
  created_at: CreatedAt;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  agency_id: string | null;
  actor_user_id: string | null;
  /** Who acted when no user did, e.g. `cli` or `system`; otherwise the username. */
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  details: JSONColumnType<Record<string, unknown>, Record<string, unknown> | undefined, Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface SeedMarkerTable {
  name: string;
  applied_at: CreatedAt;
}

export interface Database {
  agencies: AgencyTable;
  units: UnitTable;
  users: UserTable;
  sessions: SessionTable;
  login_failures: LoginFailureTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  seed_markers: SeedMarkerTable;
}

export type Agency = Selectable<AgencyTable>;
export type NewAgency = Insertable<AgencyTable>;
export type AgencyUpdate = Updateable<AgencyTable>;
export type Unit = Selectable<UnitTable>;
export type NewUnit = Insertable<UnitTable>;
export type UnitUpdate = Updateable<UnitTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Session = Selectable<SessionTable>;
export type NewSession = Insertable<SessionTable>;
export type ApiToken = Selectable<ApiTokenTable>;
export type NewApiToken = Insertable<ApiTokenTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
