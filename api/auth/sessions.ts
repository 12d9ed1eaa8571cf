import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { deleteSession, extendSession, findLiveSession, insertSession, type LiveSession } from '../../db/repositories/sessions';
import { randomSecret, sha256Hex } from './secrets';

export interface SessionLifetime {
  idleMinutes: number;
  absoluteHours: number;
}

export interface StartedSession {
  /** Goes into the cookie only; the database keeps its hash. */
  cookieValue: string;
  csrfToken: string;
  absoluteExpiresAt: Date;
}

export async function startSession(
  db: Kysely<Database>,
  userId: string,
  now: Date,
  lifetime: SessionLifetime,
): Promise<StartedSession> {
  const cookieValue = randomSecret();
  const csrfToken = randomSecret();
  const absoluteExpiresAt = new Date(now.getTime() + lifetime.absoluteHours * 3_600_000);
  await insertSession(db, {
    id_hash: sha256Hex(cookieValue),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now,
    last_seen_at: now,
    idle_expires_at: idleExpiry(now, lifetime, absoluteExpiresAt),
    absolute_expires_at: absoluteExpiresAt,
  });
  return { cookieValue, csrfToken, absoluteExpiresAt };
}

/** Writing on every request would turn each read into a write; a minute of slack is harmless for idle expiry. */
const TOUCH_INTERVAL_MS = 60_000;

/** The live session behind a cookie value, its idle expiry pushed forward; undefined when expired or unknown. */
export async function resumeSession(
  db: Kysely<Database>,
  cookieValue: string,
  now: Date,
  lifetime: SessionLifetime,
): Promise<LiveSession | undefined> {
  const session = await findLiveSession(db, sha256Hex(cookieValue), now);
  if (session && now.getTime() - session.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
    await extendSession(db, session.id_hash, now, idleExpiry(now, lifetime, session.absolute_expires_at));
  }
  return session;
}

export async function endSession(db: Kysely<Database>, cookieValue: string): Promise<void> {
  await deleteSession(db, sha256Hex(cookieValue));
}

function idleExpiry(now: Date, lifetime: SessionLifetime, absoluteExpiresAt: Date): Date {
  const idle = now.getTime() + lifetime.idleMinutes * 60_000;
  return new Date(Math.min(idle, absoluteExpiresAt.getTime()));
}
