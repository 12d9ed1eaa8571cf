import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import type { Unit } from '../../../db/schema';
import { insertUnit } from '../../../db/repositories/units';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { FaultList, isUniqueViolation, readText } from './input';

export interface UnitInput {
  name?: unknown;
  code?: unknown;
}

/** Adds a unit (department) to an agency the caller already proved access to. */
export async function createUnit(options: { db: Db; actor: Actor; agencyId: string; input: UnitInput }): Promise<Unit> {
  const { db, actor, agencyId, input } = options;
  const faults = new FaultList();
  const name = readText(faults, 'name', input.name, { required: true, max: 300, label: 'Tên đơn vị' });
  const code = readText(faults, 'code', input.code, { required: false, max: 35, label: 'Mã đơn vị' });
  faults.throwIfAny();

  return db.transaction().execute(async (trx) => {
    let unit: Unit;
    try {
      unit = await insertUnit(trx, { agency_id: agencyId, name: name!, code: code ?? null });
    } catch (err) {
      if (isUniqueViolation(err)) throw unitTaken(err);
      throw err;
    }
    await writeAudit(trx, actor, {
      agencyId,
      action: 'unit.created',
      targetType: 'unit',
      targetId: unit.id,
      details: { name: unit.name, code: unit.code },
    });
    return unit;
  });
}

/** The unique constraint that refused the row tells which field clashed. */
export function unitTaken(err: unknown): AppError {
  const byCode = isUniqueViolation(err, 'units_agency_id_code_key');
  return new AppError('conflict', `A unit with this ${byCode ? 'code' : 'name'} already exists in the agency`, [
    byCode
      ? { field: 'code', reason: 'taken', message: 'Cơ quan đã có đơn vị mang mã này' }
      : { field: 'name', reason: 'taken', message: 'Cơ quan đã có đơn vị mang tên này' },
  ]);
}
