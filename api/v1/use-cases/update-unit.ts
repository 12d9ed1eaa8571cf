import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import type { Unit, UnitUpdate } from '../../../db/schema';
import { updateUnit as updateUnitRow } from '../../../db/repositories/units';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { FaultList, isUniqueViolation, readText } from './input';
import { unitTaken, type UnitInput } from './create-unit';

/** Renames a unit or changes its code; a unit of another agency reads as missing. */
export async function updateUnit(options: {
  db: Db;
  actor: Actor;
  agencyId: string;
  unitId: string;
  input: UnitInput;
}): Promise<Unit> {
  const { db, actor, agencyId, unitId, input } = options;
  const faults = new FaultList();
  const name = readText(faults, 'name', input.name, { required: false, max: 300, label: 'Tên đơn vị' });
  const code = input.code === null ? null : readText(faults, 'code', input.code, { required: false, max: 35, label: 'Mã đơn vị' });
  faults.throwIfAny();

  return db.transaction().execute(async (trx) => {
    const patch: UnitUpdate = {};
    if (name !== undefined) patch.name = name;
    if (code !== undefined) patch.code = code;
    let unit: Unit | undefined;
    try {
      unit = await updateUnitRow(trx, agencyId, unitId, patch);
    } catch (err) {
      if (isUniqueViolation(err)) throw unitTaken(err);
      throw err;
    }
    if (!unit) throw AppError.notFound('unit');
    await writeAudit(trx, actor, {
      agencyId,
      action: 'unit.updated',
      targetType: 'unit',
      targetId: unit.id,
      details: { changes: { name, code } },
    });
    return unit;
  });
}
