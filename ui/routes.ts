import { fileURLToPath } from 'node:url';
import express, { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../api/deps';
import { AppError } from '../api/errors';
import { CSRF_FIELD } from '../api/auth/index';
import { logIn } from '../api/auth/log-in';
import { logOut } from '../api/auth/log-out';
import { randomSecret, secretsEqual } from '../api/auth/secrets';
import { clearSessionCookie, readCookie, setSessionCookie } from '../api/auth/session-cookie';
import { endSession } from '../api/auth/sessions';
import type { Role } from '../db/schema';
import { render } from './render';
import { changeOwnPassword } from '../api/v1/use-cases/change-own-password';

const PASSWORD_REFUSALS: Partial<Record<string, string>> = {
  account_locked: 'Bạn đã nhập sai mật khẩu nhiều lần; tài khoản tạm thời bị khóa. Vui lòng thử lại sau.',
  too_many_requests: 'Bạn vừa nhập sai mật khẩu. Vui lòng chờ vài giây rồi thử lại.',
};

const ROLE_LABELS: Record<Role, string> = {
  clerk: 'Văn thư',
  leader: 'Lãnh đạo',
  officer: 'Chuyên viên',
  admin: 'Quản trị quy trình',
  operator: 'Vận hành hệ thống',
};

/** Before login there is no session to bind a CSRF token to, so the login form uses a double-submit cookie. */
const LOGIN_CSRF_COOKIE = 'lt_login_csrf';

/** Login, logout and the home page. The identity middleware has already run. */
export function createUiRouter(deps: AppDeps): Router {
  const now = deps.clock ?? (() => new Date());
  const cookiePolicy = deps.config.session;
  const router = Router();
  router.use('/static', express.static(fileURLToPath(new URL('./static/', import.meta.url)), { index: false, maxAge: '1h' }));

  const loginPage = (req: Request, res: Response, status: number, error?: string, username = '') => {
    let token = readCookie(req, LOGIN_CSRF_COOKIE);
    if (!token || token.length > 64) {
      token = randomSecret();
      res.cookie(LOGIN_CSRF_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: cookiePolicy.secureCookie, path: '/' });
    }
    res.status(status).type('html').send(render('login', { csrfToken: token, error, username }));
  };

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    loginPage(req, res, 200);
  });

  router.post('/login', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const cookieToken = readCookie(req, LOGIN_CSRF_COOKIE);
    const formToken = body[CSRF_FIELD];
    if (!cookieToken || typeof formToken !== 'string' || !secretsEqual(formToken, cookieToken)) {
      throw new AppError('csrf_token_invalid', 'The login form lacks its CSRF token');
    }
    const username = typeof body.username === 'string' ? body.username.slice(0, 64) : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!username.trim() || !password) {
      return loginPage(req, res, 400, 'Vui lòng nhập tên đăng nhập và mật khẩu', username);
    }
    const result = await logIn({ db: deps.db, username, password, now: now(), lifetime: cookiePolicy });
    if (!result.ok) {
      if (result.reason === 'invalid_credentials') {
        return loginPage(req, res, 401, 'Tên đăng nhập hoặc mật khẩu không đúng', username);
      }
      res.set('Retry-After', String(result.retryAfterSeconds));
      if (result.reason === 'locked') {
        const minutes = Math.ceil(result.retryAfterSeconds / 60);
        return loginPage(req, res, 423, `Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau ${minutes} phút.`, username);
      }
      return loginPage(req, res, 429, `Bạn vừa đăng nhập sai. Vui lòng chờ ${result.retryAfterSeconds} giây rồi thử lại.`, username);
    }
    if (req.credential?.kind === 'session') await endSession(deps.db, req.credential.cookieValue);
    res.clearCookie(LOGIN_CSRF_COOKIE, { httpOnly: true, sameSite: 'lax', secure: cookiePolicy.secureCookie, path: '/' });
    setSessionCookie(res, cookiePolicy, result.session.cookieValue, result.session.absoluteExpiresAt);
    res.redirect(303, '/');
  });

  // The identity middleware has already refused this post unless it carried the session's CSRF token.
  router.post('/logout', async (req, res) => {
    if (req.user && req.credential?.kind === 'session') await logOut({ db: deps.db, user: req.user, cookieValue: req.credential.cookieValue });
    clearSessionCookie(res, cookiePolicy);
    res.redirect(303, '/login');
  });

  router.get('/password', (req, res) => {
    if (!req.user || req.credential?.kind !== 'session') return res.redirect(303, '/login');
    res.type('html').send(render('password', { user: req.user, csrfToken: req.credential.csrfToken }));
  });

  // CSRF already checked by the identity middleware (session-bound token in the form).
  router.post('/password', async (req, res) => {
    if (!req.user || req.credential?.kind !== 'session') return res.redirect(303, '/login');
    const page = (status: number, context: Record<string, unknown>) =>
      res.status(status).type('html').send(render('password', { user: req.user, csrfToken: (req.credential as { csrfToken: string }).csrfToken, ...context }));
    try {
      await changeOwnPassword({
        db: deps.db,
        user: req.user,
        currentPassword: req.body?.currentPassword,
        newPassword: req.body?.newPassword,
        sessionCookieValue: req.credential.cookieValue,
        now: now(),
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const messages = err.faults.length > 0 ? err.faults.map((f) => f.message ?? f.reason) : [PASSWORD_REFUSALS[err.code] ?? err.message];
      return page(err.status, { errors: messages });
    }
    page(200, { done: true });
  });

  router.get('/', (req, res) => {
    if (!req.user || req.credential?.kind !== 'session') return res.redirect(303, '/login');
    res.type('html').send(
      render('home', {
        user: req.user,
        roles: req.user.roles.map((role) => ROLE_LABELS[role]),
        csrfToken: req.credential.csrfToken,
      }),
    );
  });

  return router;
}
