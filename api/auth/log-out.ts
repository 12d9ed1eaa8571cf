import type { Db } from '../../db/database';
import { deleteSession } from '../../db/repositories/sessions';
import { writeAudit } from '../../db/repositories/audit-log';
import type { AuthenticatedUser } from './request-user';
import { sha256Hex } from './secrets';

/** Ends the session behind a cookie and records that its person logged out. */
export async function logOut(options: { db: Db; user: AuthenticatedUser; cookieValue: string }): Promise<void> {
  const { db, user, cookieValue } = options;
  await db.transaction().execute(async (trx) => {
    await deleteSession(trx, sha256Hex(cookieValue));
    await writeAudit(trx, { userId: user.id, agencyId: user.agencyId, label: user.username }, {
      agencyId: user.agencyId,
      action: 'user.logged_out',
      targetType: 'user',
      targetId: user.id,
    });
  });
}
