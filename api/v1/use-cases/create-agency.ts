import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import type { Agency } from '../../../db/schema';
import { findAgencyByCodeUnscoped, findVisibleAgencyByCode, insertAgency } from '../../../db/repositories/agencies';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { FaultList, isUniqueViolation, readAgencyCode, readText } from './input';

export interface CreateAgencyInput {
  code: unknown;
  name: unknown;
  parentCode?: unknown;
  hub?: unknown;
}

/**
 * Registers an agency. A person creates it under an agency they can see (`scopeAgencyId`: their own agency
 * or one below it); operator tools (CLI) act for the installation and may create top-level agencies.
 */
export async function createAgency(options: {
  db: Db;
  actor: Actor;
  input: CreateAgencyInput;
  scopeAgencyId?: string;
}): Promise<Agency> {
  const { db, actor, input, scopeAgencyId } = options;
  const faults = new FaultList();
  const code = readAgencyCode(faults, 'code', input.code);
  const name = readText(faults, 'name', input.name, { required: true, max: 300, label: 'Tên cơ quan' });
  const parentCode = readAgencyCode(faults, 'parentCode', input.parentCode, scopeAgencyId !== undefined);
  const hub = readText(faults, 'hub', input.hub, { required: false, max: 300, label: 'Trục liên thông' });
  faults.throwIfAny();

  return db.transaction().execute(async (trx) => {
    let parentId: string | null = null;
    if (parentCode !== undefined) {
      const parent = scopeAgencyId
        ? await findVisibleAgencyByCode(trx, scopeAgencyId, parentCode)
        : await findAgencyByCodeUnscoped(trx, parentCode);
      if (!parent) {
        throw AppError.validation([
          { field: 'parentCode', reason: 'not_found', message: `Không tìm thấy cơ quan chủ quản ${parentCode}` },
        ]);
      }
      parentId = parent.id;
    }
    let agency: Agency;
    try {
      agency = await insertAgency(trx, { code: code!, name: name!, parent_id: parentId, hub: hub ?? null });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('conflict', `Agency code ${code} is already registered`, [
          { field: 'code', reason: 'taken', message: `Mã định danh ${code} đã được đăng ký` },
        ]);
      }
      throw err;
    }
    await writeAudit(trx, actor, {
      agencyId: agency.id,
      action: 'agency.created',
      targetType: 'agency',
      targetId: agency.id,
      details: { code: agency.code, name: agency.name, parentCode: parentCode ?? null, hub: agency.hub },
    });
    return agency;
  });
}
