import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import { findUser } from '../../../db/repositories/users';
import { clearLoginFailures } from '../../../db/repositories/login-failures';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';

/** Forgets a person's failed logins, lifting a lockout before it runs out; returns how many were forgotten. */
export async function unlockUser(options: { db: Db; actor: Actor; agencyId: string; userId: string }): Promise<number> {
  const { db, actor, agencyId, userId } = options;
  return db.transaction().execute(async (trx) => {
    const user = await findUser(trx, agencyId, userId);
    if (!user) throw AppError.notFound('user');
    const cleared = await clearLoginFailures(trx, user.username);
    await writeAudit(trx, actor, {
      agencyId,
      action: 'user.unlocked',
      targetType: 'user',
      targetId: userId,
      details: { username: user.username, clearedFailures: cleared },
    });
    return cleared;
  });
}
