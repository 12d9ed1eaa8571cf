import type { Db } from '../../../db/database';
import { insertApiToken, type ApiTokenView } from '../../../db/repositories/api-tokens';
import { writeAudit } from '../../../db/repositories/audit-log';
import { newTokenSecret } from '../../auth/api-token-secrets';
import type { AuthenticatedUser } from '../../auth/request-user';
import { FaultList, readRoles, readText } from './input';

export interface CreateApiTokenInput {
  name: unknown;
  /** Subset of the creator's roles; default all of them. */
  roles?: unknown;
  /** Lifetime in days; default no expiry. */
  expiresInDays?: unknown;
}

const MAX_LIFETIME_DAYS = 3650;

/** Issues a token acting as its creator, within the creator's agency and roles; the secret is returned once. */
export async function createApiToken(options: {
  db: Db;
  user: AuthenticatedUser;
  input: CreateApiTokenInput;
  now: Date;
}): Promise<{ token: string; record: ApiTokenView }> {
  const { db, user, input, now } = options;
  const faults = new FaultList();
  const name = readText(faults, 'name', input.name, { required: true, max: 100, label: 'Tên mã truy cập' });
  const roles = readRoles(faults, 'roles', input.roles, false) ?? user.roles;
  const notHeld = roles.filter((role) => !user.roles.includes(role));
  if (notHeld.length > 0) faults.add('roles', 'not_held', `Không thể cấp vai trò mà bạn không có: ${notHeld.join(', ')}`);
  const days = input.expiresInDays;
  if (days !== undefined && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_LIFETIME_DAYS)) {
    faults.add('expiresInDays', 'out_of_range', `Thời hạn phải là số ngày nguyên từ 1 đến ${MAX_LIFETIME_DAYS}`);
  }
  faults.throwIfAny();

  const secret = newTokenSecret();
  return db.transaction().execute(async (trx) => {
    const record = await insertApiToken(trx, {
      agency_id: user.agencyId,
      user_id: user.id,
      name: name!,
      prefix: secret.prefix,
      token_hash: secret.hash,
      roles,
      expires_at: typeof days === 'number' ? new Date(now.getTime() + days * 86_400_000) : null,
    });
    await writeAudit(trx, { userId: user.id, agencyId: user.agencyId, label: user.username }, {
      agencyId: user.agencyId,
      action: 'api_token.created',
      targetType: 'api_token',
      targetId: record.id,
      details: { name: record.name, prefix: record.prefix, roles },
    });
    return { token: secret.token, record };
  });
}
