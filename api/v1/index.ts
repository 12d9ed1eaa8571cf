import { Router, type Request } from 'express';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Db } from '../../db/database';
import type { Actor } from '../../db/repositories/audit-log';
import { findVisibleAgencyByCode, listVisibleAgencies } from '../../db/repositories/agencies';
import { findUnit, listUnits } from '../../db/repositories/units';
import { findUser, listUsers } from '../../db/repositories/users';
import { listApiTokens } from '../../db/repositories/api-tokens';
import { requireRole, requireUser } from '../auth/index';
import type { AuthenticatedUser } from '../auth/request-user';
import { logIn } from '../auth/log-in';
import { logOut } from '../auth/log-out';
import { endSession } from '../auth/sessions';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie';
import { createAgency } from './use-cases/create-agency';
import { updateAgency } from './use-cases/update-agency';
import { createUnit } from './use-cases/create-unit';
import { updateUnit } from './use-cases/update-unit';
import { createUser } from './use-cases/create-user';
import { updateUser } from './use-cases/update-user';
import { resetUserPassword } from './use-cases/reset-user-password';
import { unlockUser } from './use-cases/unlock-user';
import { createApiToken } from './use-cases/create-api-token';
import { revokeApiToken } from './use-cases/revoke-api-token';
import { changeOwnPassword } from './use-cases/change-own-password';
import { isUuid } from './use-cases/input';
import { agencyJson, apiTokenJson, meJson, unitJson, userJson } from './representations';

export { apiV1Paths } from './openapi-paths';

/**
 * /api/v1 identity routes. The identity middleware has already run (mounted by the app before this router);
 * every query below is scoped to the caller's agency, and anything outside it reads as 404.
 */
export function createApiV1Router(deps: AppDeps): Router {
  const db = deps.db;
  const now = deps.clock ?? (() => new Date());
  const session = deps.config.session;
  const router = Router();
  const admin = requireRole('admin');

  router.post('/session', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.username !== 'string' || typeof body.password !== 'string') {
      throw AppError.validation([
        ...(typeof body.username === 'string' ? [] : [{ field: 'username', reason: 'required', message: 'Vui lòng nhập tên đăng nhập' }]),
        ...(typeof body.password === 'string' ? [] : [{ field: 'password', reason: 'required', message: 'Vui lòng nhập mật khẩu' }]),
      ]);
    }
    const result = await logIn({ db, username: body.username, password: body.password, now: now(), lifetime: session });
    if (!result.ok) {
      if (result.reason === 'invalid_credentials') throw new AppError('invalid_credentials', 'Wrong username or password');
      res.set('Retry-After', String(result.retryAfterSeconds));
      if (result.reason === 'locked') {
        throw new AppError('account_locked', `Too many failed logins; try again in ${result.retryAfterSeconds} seconds`);
      }
      throw new AppError('too_many_requests', `Wait ${result.retryAfterSeconds} seconds before the next login attempt`);
    }
    if (req.credential?.kind === 'session') await endSession(db, req.credential.cookieValue);
    setSessionCookie(res, session, result.session.cookieValue, result.session.absoluteExpiresAt);
    res.status(201).json({ user: meJson(result.user), csrfToken: result.session.csrfToken });
  });

  router.delete('/session', requireUser, async (req, res) => {
    if (req.credential?.kind !== 'session') throw new AppError('bad_request', 'Only a cookie session can be ended here; revoke API tokens instead');
    await logOut({ db, user: req.user!, cookieValue: req.credential.cookieValue });
    clearSessionCookie(res, session);
    res.status(204).end();
  });

  router.get('/me', requireUser, (req, res) => {
    const user = req.user!;
    res.json({ ...meJson(user), csrfToken: req.credential?.kind === 'session' ? req.credential.csrfToken : undefined });
  });

  router.put('/me/password', requireUser, async (req, res) => {
    await changeOwnPassword({
      db,
      user: req.user!,
      currentPassword: req.body?.currentPassword,
      newPassword: req.body?.newPassword,
      sessionCookieValue: req.credential?.kind === 'session' ? req.credential.cookieValue : null,
      now: now(),
    });
    res.status(204).end();
  });

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
      actor: actorOf(req.user!),
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
      actor: actorOf(req.user!),
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
    const unit = await createUnit({ db, actor: actorOf(req.user!), agencyId: agency.id, input: { name: req.body?.name, code: req.body?.code } });
    res.status(201).json(unitJson(unit));
  });

  router.get('/agencies/:code/units/:unitId', requireUser, async (req, res) => {
    const agency = await visibleAgency(db, req);
    const unitId = String(req.params.unitId);
    const unit = isUuid(unitId) ? await findUnit(db, agency.id, unitId) : undefined;
    if (!unit) throw AppError.notFound('unit');
    res.json(unitJson(unit));
  });

  router.patch('/agencies/:code/units/:unitId', admin, async (req, res) => {
    const agency = await visibleAgency(db, req);
    const unitId = uuidParam(req, 'unitId', 'unit');
    const unit = await updateUnit({ db, actor: actorOf(req.user!), agencyId: agency.id, unitId, input: { name: req.body?.name, code: req.body?.code } });
    res.json(unitJson(unit));
  });

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
      actor: actorOf(req.user!),
      agencyId: req.user!.agencyId,
      input: { username: body.username, fullName: body.fullName, roles: body.roles, unitId: body.unitId },
    });
    res.status(201).location(`/api/v1/users/${created.user.id}`).json({ user: userJson(created.user), password: created.password });
  });

  router.patch('/users/:userId', admin, async (req, res) => {
    const body = req.body ?? {};
    const user = await updateUser({
      db,
      actor: actorOf(req.user!),
      agencyId: req.user!.agencyId,
      userId: uuidParam(req, 'userId', 'user'),
      input: { fullName: body.fullName, roles: body.roles, unitId: body.unitId, active: body.active },
    });
    res.json(userJson(user));
  });

  router.post('/users/:userId/password-reset', admin, async (req, res) => {
    const result = await resetUserPassword({ db, actor: actorOf(req.user!), agencyId: req.user!.agencyId, userId: uuidParam(req, 'userId', 'user') });
    res.json(result);
  });

  router.post('/users/:userId/unlock', admin, async (req, res) => {
    const cleared = await unlockUser({ db, actor: actorOf(req.user!), agencyId: req.user!.agencyId, userId: uuidParam(req, 'userId', 'user') });
    res.json({ clearedFailures: cleared });
  });

  router.get('/api-tokens', requireUser, async (req, res) => {
    const user = req.user!;
    const tokens = await listApiTokens(db, user.agencyId, user.roles.includes('admin') ? undefined : user.id);
    res.json({ items: tokens.map(apiTokenJson) });
  });

  router.post('/api-tokens', requireUser, async (req, res) => {
    const body = req.body ?? {};
    const created = await createApiToken({
      db,
      user: req.user!,
      now: now(),
      input: { name: body.name, roles: body.roles, expiresInDays: body.expiresInDays },
    });
    res.status(201).json({ ...apiTokenJson(created.record), token: created.token });
  });

  router.delete('/api-tokens/:tokenId', requireUser, async (req, res) => {
    await revokeApiToken({ db, user: req.user!, tokenId: uuidParam(req, 'tokenId', 'API token'), now: now() });
    res.status(204).end();
  });

  return router;
}

function actorOf(user: AuthenticatedUser): Actor {
  return { userId: user.id, agencyId: user.agencyId, label: user.username };
}

async function visibleAgency(db: Db, req: Request) {
  const agency = await findVisibleAgencyByCode(db, req.user!.agencyId, String(req.params.code));
  if (!agency) throw AppError.notFound('agency');
  return agency;
}

/** A malformed id cannot name a record the caller may see: it reads as missing like any other. */
function uuidParam(req: Request, name: string, what: string): string {
  const value = String(req.params[name]);
  if (!isUuid(value)) throw AppError.notFound(what);
  return value.toLowerCase();
}
