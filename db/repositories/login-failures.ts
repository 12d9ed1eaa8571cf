import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema';

/**
 * Serialises login attempts for one username across processes for the rest of the transaction, so parallel
 * guesses cannot slip past the delay and lockout checks.
 */
export async function lockLoginAttempts(trx: Transaction<Database>, username: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`login:${username}`}, 0))`.execute(trx);
}

/** Failure times of a username since `since`, oldest first. */
export async function listLoginFailuresSince(trx: Transaction<Database>, username: string, since: Date): Promise<Date[]> {
  const rows = await trx
    .selectFrom('login_failures')
    .select('failed_at')
    .where('username', '=', username)
    .where('failed_at', '>', since)
    .orderBy('failed_at')
    .execute();
  return rows.map((r) => r.failed_at);
}

export async function recordLoginFailure(trx: Transaction<Database>, username: string, at: Date): Promise<void> {
  await trx.insertInto('login_failures').values({ username, failed_at: at }).execute();
}

/** Forgets a username's failures (after a successful login or an unlock); returns how many there were. */
export async function clearLoginFailures(trx: Transaction<Database>, username: string): Promise<number> {
  const result = await trx.deleteFrom('login_failures').where('username', '=', username).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Drops failures too old to count towards any delay or lockout; without it, guesses at made-up usernames would
 * pile up for ever. For the platform's periodic maintenance, like deleteExpiredSessions.
 */
export async function deleteStaleLoginFailures(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db.deleteFrom('login_failures').where('failed_at', '<=', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
