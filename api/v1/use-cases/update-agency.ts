import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import type { Agency, AgencyUpdate } from '../../../db/schema';
import { findVisibleAgencyByCode, updateAgency as updateAgencyRow } from '../../../db/repositories/agencies';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { FaultList, readBoolean, readText } from './input';

export interface UpdateAgencyInput {
  name?: unknown;
  hub?: unknown;
  active?: unknown;
}

/** Renames an agency the caller can see, sets its axis hub, or (de)activates one below the caller's own. */
export async function updateAgency(options: {
  db: Db;
  actor: Actor;
  scopeAgencyId: string;
  code: string;
  input: UpdateAgencyInput;
}): Promise<Agency> {
  const { db, actor, scopeAgencyId, code, input } = options;
  const faults = new FaultList();
  const name = readText(faults, 'name', input.name, { required: false, max: 300, label: 'Tên cơ quan' });
  const hub = input.hub === null ? null : readText(faults, 'hub', input.hub, { required: false, max: 300, label: 'Trục liên thông' });
  const active = readBoolean(faults, 'active', input.active, 'Trạng thái hoạt động');
  faults.throwIfAny();

  return db.transaction().execute(async (trx) => {
    const agency = await findVisibleAgencyByCode(trx, scopeAgencyId, code);
    if (!agency) throw AppError.notFound('agency');
    if (active === false && agency.id === scopeAgencyId) {
      throw AppError.validation([
        { field: 'active', reason: 'own_agency', message: 'Không thể ngừng hoạt động cơ quan của chính mình' },
      ]);
    }
    const patch: AgencyUpdate = {};
    if (name !== undefined) patch.name = name;
    if (hub !== undefined) patch.hub = hub;
    if (active !== undefined) patch.active = active;
    const updated = await updateAgencyRow(trx, agency.id, patch);
    await writeAudit(trx, actor, {
      agencyId: agency.id,
      action: 'agency.updated',
      targetType: 'agency',
      targetId: agency.id,
      details: { code: agency.code, changes: { name, hub, active } },
    });
    return updated;
  });
}
