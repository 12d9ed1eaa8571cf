import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import { updateUser } from '../../../db/repositories/users';
import { deleteSessionsOfUser } from '../../../db/repositories/sessions';
import { clearLoginFailures } from '../../../db/repositories/login-failures';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { generatePassword, hashPassword, type PasswordHashing } from '../../auth/passwords';

/**
 * Gives a person a new generated password (returned once), ends their sessions so an old password's
 * holder is logged out, and lifts a lockout.
 */
export async function resetUserPassword(options: {
  db: Db;
  actor: Actor;
  agencyId: string;
  userId: string;
  passwordHashing?: PasswordHashing;
}): Promise<{ username: string; password: string }> {
  const { db, actor, agencyId, userId } = options;
  const password = generatePassword();
  const passwordHash = await hashPassword(password, options.passwordHashing);
  return db.transaction().execute(async (trx) => {
    const user = await updateUser(trx, agencyId, userId, { password_hash: passwordHash });
    if (!user) throw AppError.notFound('user');
    await deleteSessionsOfUser(trx, userId);
    await clearLoginFailures(trx, user.username);
    await writeAudit(trx, actor, {
      agencyId,
      action: 'user.password_reset',
      targetType: 'user',
      targetId: userId,
      details: { username: user.username },
    });
    return { username: user.username, password };
  });
}
