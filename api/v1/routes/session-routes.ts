import type { Router } from 'express';
import type { AppDeps } from '../../deps';
import { AppError } from '../../errors';
import { requireUser } from '../../auth/index';
import { logIn } from '../../auth/log-in';
import { logOut } from '../../auth/log-out';
import { endSession } from '../../auth/sessions';
import { clearSessionCookie, setSessionCookie } from '../../auth/session-cookie';
import { changeOwnPassword } from '../use-cases/change-own-password';
import { meJson } from '../representations';

/** Log in and out with JSON, who am I, change my password. */
export function mountSessionRoutes(router: Router, deps: AppDeps): void {
  const db = deps.db;
  const now = deps.clock ?? (() => new Date());
  const session = deps.config.session;

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
}
