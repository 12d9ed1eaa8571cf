import type { Router } from 'express';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { findUser, listUsers } from '../../../db/repositories/users';
import { requireRole, requireUser } from '../../auth/index';
import { createUser } from '../use-cases/create-user';
import { updateUser } from '../use-cases/update-user';
import { resetUserPassword } from '../use-cases/reset-user-password';
import { unlockUser } from '../use-cases/unlock-user';
import { userJson } from '../representations';
import { actorOf, uuidParam } from './route-helpers';

/** People of the caller's own agency; an admin manages them. */
export function mountUserRoutes(router: Router, deps: AppDeps): void {
  const db = deps.db;
  const admin = requireRole('admin');

  router.get('/users', requireUser, async (req, res) => {
    res.json({ items: (await listUsers(db, req.user!.agencyId)).map(userJson) });
  });

  router.get('/users/:userId', requireUser, async (req, res) => {
    const user = await findUser(db, req.user!.agencyId, uuidParam(req, 'userId', 'user'));
    if (!user) throw AppError.notFound('user');
    res.json(userJson(user));
  });

  router.post('/users', admin, async (req, res) => {
    const body = req.body ?? {};
    const created = await createUser({
      db,
      actor: actorOf(req),
      agencyId: req.user!.agencyId,
      input: { username: body.username, fullName: body.fullName, roles: body.roles, unitId: body.unitId },
    });
    res.status(201).location(`/api/v1/users/${created.user.id}`).json({ user: userJson(created.user), password: created.password });
  });

  router.patch('/users/:userId', admin, async (req, res) => {
    const body = req.body ?? {};
    const user = await updateUser({
      db,
      actor: actorOf(req),
      agencyId: req.user!.agencyId,
      userId: uuidParam(req, 'userId', 'user'),
      input: { fullName: body.fullName, roles: body.roles, unitId: body.unitId, active: body.active },
    });
    res.json(userJson(user));
  });

  router.post('/users/:userId/password-reset', admin, async (req, res) => {
    const result = await resetUserPassword({ db, actor: actorOf(req), agencyId: req.user!.agencyId, userId: uuidParam(req, 'userId', 'user') });
    res.json(result);
  });

  router.post('/users/:userId/unlock', admin, async (req, res) => {
    const cleared = await unlockUser({ db, actor: actorOf(req), agencyId: req.user!.agencyId, userId: uuidParam(req, 'userId', 'user') });
    res.json({ clearedFailures: cleared });
  });
}
