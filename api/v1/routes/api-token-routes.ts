import type { Router } from 'express';
import type { AppDeps } from '../../deps';
import { listApiTokens } from '../../../db/repositories/api-tokens';
import { requireUser } from '../../auth/index';
import { createApiToken } from '../use-cases/create-api-token';
import { revokeApiToken } from '../use-cases/revoke-api-token';
import { apiTokenJson } from '../representations';
import { uuidParam } from './route-helpers';

/** API tokens for machine clients: a person's own, or all of the agency's for an admin. */
export function mountApiTokenRoutes(router: Router, deps: AppDeps): void {
  const db = deps.db;
  const now = deps.clock ?? (() => new Date());

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
}
