import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import { findUserByUsernameUnscoped, updateUser } from '../../../db/repositories/users';
import { deleteOtherSessionsOfUser } from '../../../db/repositories/sessions';
import { listLoginFailuresSince, lockLoginAttempts, recordLoginFailure } from '../../../db/repositories/login-failures';
import { writeAudit } from '../../../db/repositories/audit-log';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword, type PasswordHashing } from '../../auth/passwords';
import { loginGate, loginWindowStart } from '../../auth/login-throttle';
import type { AuthenticatedUser } from '../../auth/request-user';
import { sha256Hex } from '../../auth/secrets';
import { FaultList } from './input';

/**
 * A person replaces their own password after proving the current one. Wrong current passwords count as failed
 * logins (same delays and lockout), so a borrowed session cannot be used to guess it. Every other session of
 * the person ends.
 */
export async function changeOwnPassword(options: {
  db: Db;
  user: AuthenticatedUser;
  currentPassword: unknown;
  newPassword: unknown;
  /** Cookie value of the session making the change, which stays logged in. */
  sessionCookieValue: string | null;
  now: Date;
  passwordHashing?: PasswordHashing;
}): Promise<void> {
  const { db, user, currentPassword, newPassword, now } = options;
  const faults = new FaultList();
  if (typeof currentPassword !== 'string' || currentPassword.length === 0) {
    faults.add('currentPassword', 'required', 'Vui lòng nhập mật khẩu hiện tại');
  }
  if (typeof newPassword !== 'string' || newPassword.length < PASSWORD_MIN_LENGTH) {
    faults.add('newPassword', 'too_short', `Mật khẩu mới cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự`);
  } else if (newPassword.length > PASSWORD_MAX_LENGTH) {
    faults.add('newPassword', 'too_long', `Mật khẩu mới dài quá ${PASSWORD_MAX_LENGTH} ký tự`);
  } else if (newPassword === currentPassword) {
    faults.add('newPassword', 'unchanged', 'Mật khẩu mới phải khác mật khẩu hiện tại');
  } else if (newPassword.toLowerCase().includes(user.username)) {
    faults.add('newPassword', 'contains_username', 'Mật khẩu mới không được chứa tên đăng nhập');
  }
  faults.throwIfAny();
  const newHash = await hashPassword(newPassword as string, options.passwordHashing);

  const outcome = await db.transaction().execute(async (trx) => {
    await lockLoginAttempts(trx, user.username);
    const failures = await listLoginFailuresSince(trx, user.username, loginWindowStart(now));
    const gate = loginGate(failures, now);
    if (gate.state === 'locked') throw new AppError('account_locked', `Too many wrong passwords; try again in ${gate.retryAfterSeconds} seconds`);
    if (gate.state === 'delayed') throw new AppError('too_many_requests', `Wait ${gate.retryAfterSeconds} seconds before trying again`);

    const stored = await findUserByUsernameUnscoped(trx, user.username);
    if (!stored || !(await verifyPassword(stored.password_hash, currentPassword as string))) {
      await recordLoginFailure(trx, user.username, now);
      return 'wrong';
    }
    await updateUser(trx, user.agencyId, user.id, { password_hash: newHash });
    await deleteOtherSessionsOfUser(trx, user.id, options.sessionCookieValue ? sha256Hex(options.sessionCookieValue) : null);
    await writeAudit(trx, { userId: user.id, agencyId: user.agencyId, label: user.username }, {
      agencyId: user.agencyId,
      action: 'user.password_changed',
      targetType: 'user',
      targetId: user.id,
    });
    return 'changed';
  });
  // Thrown after the commit, so the recorded failure is kept.
  if (outcome === 'wrong') {
    throw AppError.validation([{ field: 'currentPassword', reason: 'wrong_password', message: 'Mật khẩu hiện tại không đúng' }]);
  }
}
