import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import { findApiToken, revokeApiToken as revokeApiTokenRow, type ApiTokenView } from '../../../db/repositories/api-tokens';
import { writeAudit } from '../../../db/repositories/audit-log';
import type { AuthenticatedUser } from '../../auth/request-user';

/**
 * Revokes a token at once. People revoke their own tokens; an admin may revoke any token of the agency.
 * Someone else's token reads as missing to a non-admin.
 */
export async function revokeApiToken(options: { db: Db; user: AuthenticatedUser; tokenId: string; now: Date }): Promise<ApiTokenView> {
  const { db, user, tokenId, now } = options;
  return db.transaction().execute(async (trx) => {
    const token = await findApiToken(trx, user.agencyId, tokenId);
    if (!token || (token.user_id !== user.id && !user.roles.includes('admin'))) throw AppError.notFound('API token');
    if (token.revoked_at) return token;
    const revoked = (await revokeApiTokenRow(trx, user.agencyId, tokenId, now)) ?? token;
    await writeAudit(trx, { userId: user.id, agencyId: user.agencyId, label: user.username }, {
      agencyId: user.agencyId,
      action: 'api_token.revoked',
      targetType: 'api_token',
      targetId: tokenId,
      details: { name: token.name, prefix: token.prefix },
    });
    return revoked;
  });
}
