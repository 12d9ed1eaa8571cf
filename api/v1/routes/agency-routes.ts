import type { Request, Router } from 'express';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import { findVisibleAgencyByCode, listVisibleAgencies } from '../../../db/repositories/agencies';
import { findUnit, listUnits } from '../../../db/repositories/units';
import { requireRole, requireUser } from '../../auth/index';
import { createAgency } from '../use-cases/create-agency';
import { updateAgency } from '../use-cases/update-agency';
import { createUnit } from '../use-cases/create-unit';
import { updateUnit } from '../use-cases/update-unit';
import { agencyJson, unitJson } from '../representations';
import { actorOf, uuidParam } from './route-helpers';

/** Agencies the caller can see (their own and those below it) and their units. */
export function mountAgencyRoutes(router: Router, deps: AppDeps): void {
  const db = deps.db;
  const admin = requireRole('admin');

  router.get('/agencies', requireUser, async (req, res) => {
    const agencies = await listVisibleAgencies(db, req.user!.agencyId);
    res.json({ items: agencies.map((a) => agencyJson(a)) });
  });

  router.get('/agencies/:code', requireUser, async (req, res) => {
    res.json(agencyJson(await visibleAgency(db, req)));
  });

  router.post('/agencies', admin, async (req, res) => {
    const body = req.body ?? {};
    const agency = await createAgency({
      db,
      actor: actorOf(req),
      scopeAgencyId: req.user!.agencyId,
      input: { code: body.code, name: body.name, parentCode: body.parentCode, hub: body.hub },
    });
    const created = await findVisibleAgencyByCode(db, req.user!.agencyId, agency.code);
    res.status(201).location(`/api/v1/agencies/${agency.code}`).json(agencyJson(created!));
  });

  router.patch('/agencies/:code', admin, async (req, res) => {
    const body = req.body ?? {};
    await updateAgency({
      db,
      actor: actorOf(req),
      scopeAgencyId: req.user!.agencyId,
      code: String(req.params.code),
      input: { name: body.name, hub: body.hub, active: body.active },
    });
    res.json(agencyJson(await visibleAgency(db, req)));
  });

  router.get('/agencies/:code/units', requireUser, async (req, res) => {
    const agency = await visibleAgency(db, req);
    res.json({ items: (await listUnits(db, agency.id)).map(unitJson) });
  });

  router.post('/agencies/:code/units', admin, async (req, res) => {
    const agency = await visibleAgency(db, req);
    const unit = await createUnit({ db, actor: actorOf(req), agencyId: agency.id, input: { name: req.body?.name, code: req.body?.code } });
    res.status(201).json(unitJson(unit));
  });

  router.get('/agencies/:code/units/:unitId', requireUser, async (req, res) => {
    const agency = await visibleAgency(db, req);
    const unit = await findUnit(db, agency.id, uuidParam(req, 'unitId', 'unit'));
    if (!unit) throw AppError.notFound('unit');
    res.json(unitJson(unit));
  });

  router.patch('/agencies/:code/units/:unitId', admin, async (req, res) => {
    const agency = await visibleAgency(db, req);
    const unitId = uuidParam(req, 'unitId', 'unit');
    const unit = await updateUnit({ db, actor: actorOf(req), agencyId: agency.id, unitId, input: { name: req.body?.name, code: req.body?.code } });
    res.json(unitJson(unit));
  });
}

async function visibleAgency(db: Db, req: Request) {
  const agency = await findVisibleAgencyByCode(db, req.user!.agencyId, String(req.params.code));
  if (!agency) throw AppError.notFound('agency');
  return agency;
}
