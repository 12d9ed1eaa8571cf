import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import type { UserUpdate } from '../../../db/schema';
import { findUnit } from '../../../db/repositories/units';
import { findUser, updateUser as updateUserRow, type UserView } from '../../../db/repositories/users';
import { deleteSessionsOfUser } from '../../../db/repositories/sessions';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { FaultList, readBoolean, readRoles, readText, readUuid } from './input';

export interface UpdateUserInput {
  fullName?: unknown;
  roles?: unknown;
  unitId?: unknown;
  active?: unknown;
}

/**
 * Changes a person's name, roles, unit or active flag. Deactivating ends their sessions at once. An admin may
 * not take away their own admin role or deactivate themselves, so an agency cannot lose its last way in by
 * accident.
 */
export async function updateUser(options: {
  db: Db;
  actor: Actor;
  agencyId: string;
  userId: string;
  input: UpdateUserInput;
}): Promise<UserView> {
  const { db, actor, agencyId, userId, input } = options;
  const faults = new FaultList();
  const fullName = readText(faults, 'fullName', input.fullName, { required: false, max: 200, label: 'Họ và tên' });
  const roles = readRoles(faults, 'roles', input.roles, false);
  const unitId = readUuid(faults, 'unitId', input.unitId, 'Đơn vị');
  const active = readBoolean(faults, 'active', input.active, 'Trạng thái hoạt động');
  if (actor.userId === userId && roles !== undefined && !roles.includes('admin')) {
    faults.add('roles', 'own_admin_role', 'Không thể tự bỏ vai trò quản trị của chính mình');
  }
  if (actor.userId === userId && active === false) {
    faults.add('active', 'own_account', 'Không thể tự khóa tài khoản của chính mình');
  }
  faults.throwIfAny();

  return db.transaction().execute(async (trx) => {
    if (unitId && !(await findUnit(trx, agencyId, unitId))) {
      throw AppError.validation([{ field: 'unitId', reason: 'not_found', message: 'Không tìm thấy đơn vị trong cơ quan' }]);
    }
    const patch: UserUpdate = {};
    if (fullName !== undefined) patch.full_name = fullName;
    if (roles !== undefined) patch.roles = roles;
    if (unitId !== undefined) patch.unit_id = unitId;
    if (active !== undefined) patch.active = active;
    const updated = await updateUserRow(trx, agencyId, userId, patch);
    if (!updated) throw AppError.notFound('user');
    if (active === false) await deleteSessionsOfUser(trx, userId);
    await writeAudit(trx, actor, {
      agencyId,
      action: 'user.updated',
      targetType: 'user',
      targetId: userId,
      details: { username: updated.username, changes: { fullName, roles, unitId, active } },
    });
    return (await findUser(trx, agencyId, userId))!;
  });
}
