import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import { findUnit } from '../../../db/repositories/units';
import { findUser, insertUser, type UserView } from '../../../db/repositories/users';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { generatePassword, hashPassword, type PasswordHashing } from '../../auth/passwords';
import { normalizeUsername, USERNAME_PATTERN } from '../../auth/usernames';
import { FaultList, isUniqueViolation, readRoles, readText, readUuid } from './input';

export interface CreateUserInput {
  username: unknown;
  fullName: unknown;
  roles: unknown;
  unitId?: unknown;
}

/**
 * Creates a person in an agency with a generated password, returned once for the admin to hand over; only
 * its argon2id hash is stored.
 */
export async function createUser(options: {
  db: Db;
  actor: Actor;
  agencyId: string;
  input: CreateUserInput;
  passwordHashing?: PasswordHashing;
}): Promise<{ user: UserView; password: string }> {
  const { db, actor, agencyId, input } = options;
  const faults = new FaultList();
  const rawUsername = readText(faults, 'username', input.username, { required: true, max: 64, label: 'Tên đăng nhập' });
  const username = rawUsername === undefined ? undefined : normalizeUsername(rawUsername);
  if (username !== undefined && !USERNAME_PATTERN.test(username)) {
    faults.add('username', 'bad_format', 'Tên đăng nhập gồm 3–64 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang');
  }
  const fullName = readText(faults, 'fullName', input.fullName, { required: true, max: 200, label: 'Họ và tên' });
  const roles = readRoles(faults, 'roles', input.roles);
  const unitId = readUuid(faults, 'unitId', input.unitId, 'Đơn vị');
  faults.throwIfAny();

  const password = generatePassword();
  const passwordHash = await hashPassword(password, options.passwordHashing);
  return db.transaction().execute(async (trx) => {
    if (unitId && !(await findUnit(trx, agencyId, unitId))) {
      throw AppError.validation([{ field: 'unitId', reason: 'not_found', message: 'Không tìm thấy đơn vị trong cơ quan' }]);
    }
    let userId: string;
    try {
      userId = (
        await insertUser(trx, {
          agency_id: agencyId,
          unit_id: unitId ?? null,
          username: username!,
          full_name: fullName!,
          password_hash: passwordHash,
          roles: roles!,
        })
      ).id;
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('conflict', 'The username is taken', [
          { field: 'username', reason: 'taken', message: `Tên đăng nhập ${username} đã được dùng` },
        ]);
      }
      throw err;
    }
    await writeAudit(trx, actor, {
      agencyId,
      action: 'user.created',
      targetType: 'user',
      targetId: userId,
      details: { username, roles, unitId: unitId ?? null },
    });
    return { user: (await findUser(trx, agencyId, userId))!, password };
  });
}
