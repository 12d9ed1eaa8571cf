import type { Db } from '../../db/database';
import { findUserByUsernameUnscoped } from '../../db/repositories/users';
import {
  clearLoginFailures,
  listLoginFailuresSince,
  lockLoginAttempts,
  recordLoginFailure,
} from '../../db/repositories/login-failures';
import { SYSTEM_ACTOR, writeAudit } from '../../db/repositories/audit-log';
import { hashPassword, PASSWORD_MAX_LENGTH, verifyPassword } from './passwords';
import { randomSecret } from './secrets';
import { loginGate, loginWindowStart } from './login-throttle';
import { startSession, type SessionLifetime, type StartedSession } from './sessions';
import { normalizeUsername, USERNAME_MAX_LENGTH } from './usernames';
import type { AuthenticatedUser } from './request-user';

export type LogInResult =
  | { ok: true; user: AuthenticatedUser; session: StartedSession }
  | { ok: false; reason: 'invalid_credentials' }
  /** Too soon after the last failure: the password was not even checked. */
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

let dummyHash: Promise<string> | undefined;
/** Unknown usernames still pay for one argon2 verification, so response time does not reveal them. */
function hashForUnknownUsers(): Promise<string> {
  dummyHash ??= hashPassword(randomSecret());
  return dummyHash;
}

/**
 * Checks a username and password, throttling repeated failures (see login-throttle.ts), and on success opens a
 * server-side session. Attempts for one username run one at a time across processes.
 */
export async function logIn(options: {
  db: Db;
  username: string;
  password: string;
  now: Date;
  lifetime: SessionLifetime;
}): Promise<LogInResult> {
  const { db, password, now } = options;
  const username = normalizeUsername(options.username);
  if (username.length === 0 || username.length > USERNAME_MAX_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    return { ok: false, reason: 'invalid_credentials' };
  }
  const fallbackHash = await hashForUnknownUsers();

  return db.transaction().execute(async (trx): Promise<LogInResult> => {
    await lockLoginAttempts(trx, username);
    const failures = await listLoginFailuresSince(trx, username, loginWindowStart(now));
    const gate = loginGate(failures, now);
    if (gate.state === 'locked') return { ok: false, reason: 'locked', retryAfterSeconds: gate.retryAfterSeconds };
    if (gate.state === 'delayed') return { ok: false, reason: 'throttled', retryAfterSeconds: gate.retryAfterSeconds };

    const user = await findUserByUsernameUnscoped(trx, username);
    const passwordMatches = await verifyPassword(user?.password_hash ?? fallbackHash, password);
    if (!user || !passwordMatches || !user.active || !user.agency_active) {
      await recordLoginFailure(trx, username, now);
      const after = loginGate([...failures, now], now);
      if (after.state !== 'locked') return { ok: false, reason: 'invalid_credentials' };
      if (user) {
        await writeAudit(trx, SYSTEM_ACTOR, {
          agencyId: user.agency_id,
          action: 'user.locked_out',
          targetType: 'user',
          targetId: user.id,
          details: { username, lockedForSeconds: after.retryAfterSeconds },
        });
      }
      return { ok: false, reason: 'locked', retryAfterSeconds: after.retryAfterSeconds };
    }

    await clearLoginFailures(trx, username);
    const session = await startSession(trx, user.id, now, options.lifetime);
    await writeAudit(trx, { userId: user.id, agencyId: user.agency_id, label: user.username }, {
      agencyId: user.agency_id,
      action: 'user.logged_in',
      targetType: 'user',
      targetId: user.id,
    });
    return {
      ok: true,
      session,
      user: {
        id: user.id,
        agencyId: user.agency_id,
        agencyCode: user.agency_code,
        agencyName: user.agency_name,
        username: user.username,
        fullName: user.full_name,
        roles: user.roles,
      },
    };
  });
}
