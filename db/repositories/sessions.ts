import type { Kysely, Transaction } from 'kysely';
import type { Database, NewSession, Role } from '../schema';

export interface LiveSession {
  id_hash: string;
  csrf_token: string;
  last_seen_at: Date;
  idle_expires_at: Date;
  absolute_expires_at: Date;
  user_id: string;
  username: string;
  full_name: string;
  roles: Role[];
  agency_id: string;
  agency_code: string;
  agency_name: string;
}

export async function insertSession(db: Kysely<Database>, session: NewSession): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** A session that has not expired, of a person and agency that are still active. */
export async function findLiveSession(db: Kysely<Database>, idHash: string, now: Date): Promise<LiveSession | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select([
      's.id_hash',
      's.csrf_token',
      's.last_seen_at',
      's.idle_expires_at',
      's.absolute_expires_at',
      'u.id as user_id',
      'u.username',
      'u.full_name',
      'u.roles',
      'a.id as agency_id',
      'a.code as agency_code',
      'a.name as agency_name',
    ])
    .where('s.id_hash', '=', idHash)
    .where('s.idle_expires_at', '>', now)
    .where('s.absolute_expires_at', '>', now)
    .where('u.active', '=', true)
    .where('a.active', '=', true)
    .executeTakeFirst();
}

export async function extendSession(db: Kysely<Database>, idHash: string, now: Date, idleExpiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, idle_expires_at: idleExpiresAt })
    .where('id_hash', '=', idHash)
    .execute();
}

export async function deleteSession(db: Kysely<Database> | Transaction<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a person, e.g. after a password reset or deactivation. */
export async function deleteSessionsOfUser(trx: Transaction<Database>, userId: string): Promise<void> {
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Ends a person's other sessions (after they change their password), keeping the one they act from. */
export async function deleteOtherSessionsOfUser(trx: Transaction<Database>, userId: string, keepIdHash: string | null): Promise<void> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepIdHash !== null) query = query.where('id_hash', '<>', keepIdHash);
  await query.execute();
}

/** Removes sessions past their idle or absolute expiry; run periodically by the platform's maintenance. */
export async function deleteExpiredSessions(db: Kysely<Database>, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('idle_expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
