import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppDeps } from '../deps';
import { AppError } from '../errors';
import type { Role } from '../../db/schema';
import { findLiveApiTokenByHash, markApiTokenUsed } from '../../db/repositories/api-tokens';
import { presentedTokenHash } from './api-token-secrets';
import { secretsEqual } from './secrets';
import { clearSessionCookie, readCookie, sessionCookieName } from './session-cookie';
import { resumeSession } from './sessions';
import './request-user';

export type { AuthenticatedUser, Credential } from './request-user';

/** Header a JSON client authenticated by the session cookie sends with every state-changing call. */
export const CSRF_HEADER = 'x-csrf-token';
/** Hidden field every state-changing HTML form carries. */
export const CSRF_FIELD = '_csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Recording every use would write on each call; a minute's precision is enough to spot unused tokens. */
const TOKEN_TOUCH_INTERVAL_MS = 60_000;

/**
 * Works out who the request acts for (bearer API token or session cookie), sets `req.user`, and refuses a
 * state-changing request made with the session cookie unless it echoes the session's CSRF token. Requests
 * without credentials pass through anonymous: routes decide with `requireUser` / `requireRole`.
 */
export function createIdentityMiddleware(deps: AppDeps): RequestHandler[] {
  const db = deps.db;
  const now = deps.clock ?? (() => new Date());
  const lifetime = { idleMinutes: deps.config.session.idleMinutes, absoluteHours: deps.config.session.absoluteHours };
  const cookieName = sessionCookieName(deps.config.session);

  const identify: RequestHandler = async (req, res, next) => {
    const authorization = req.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer ([^\s]+)$/.exec(authorization);
      const hash = match ? presentedTokenHash(match[1]) : undefined;
      const token = hash ? await findLiveApiTokenByHash(db, hash, now()) : undefined;
      // A presented but unusable token is an error, never a silent fall-back to anonymous.
      if (!token) return next(new AppError('unauthenticated', 'The API token is missing, malformed, revoked or expired'));
      if (!token.last_used_at || now().getTime() - token.last_used_at.getTime() >= TOKEN_TOUCH_INTERVAL_MS) {
        await markApiTokenUsed(db, token.token_id, now());
      }
      req.user = {
        id: token.user_id,
        agencyId: token.agency_id,
        agencyCode: token.agency_code,
        agencyName: token.agency_name,
        username: token.username,
        fullName: token.full_name,
        roles: token.token_roles.filter((role) => token.user_roles.includes(role)),
      };
      req.credential = { kind: 'api_token', tokenId: token.token_id };
      return next();
    }

    const cookieValue = readCookie(req, cookieName);
    if (cookieValue === undefined) return next();
    const session = cookieValue.length <= 128 ? await resumeSession(db, cookieValue, now(), lifetime) : undefined;
    if (!session) {
      clearSessionCookie(res, deps.config.session);
      return next();
    }
    req.user = {
      id: session.user_id,
      agencyId: session.agency_id,
      agencyCode: session.agency_code,
      agencyName: session.agency_name,
      username: session.username,
      fullName: session.full_name,
      roles: session.roles,
    };
    req.credential = { kind: 'session', cookieValue, csrfToken: session.csrf_token };
    next();
  };

  return [identify, verifyCsrf];
}

/** Synchronizer-token check: bearer-token calls are exempt, a cookie cannot be forged into a header or field. */
function verifyCsrf(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method) || req.credential?.kind !== 'session') return next();
  const presented = req.get(CSRF_HEADER) ?? (typeof req.body?.[CSRF_FIELD] === 'string' ? req.body[CSRF_FIELD] : undefined);
  if (typeof presented !== 'string' || !secretsEqual(presented, req.credential.csrfToken)) {
    return next(new AppError('csrf_token_invalid', `A state-changing request with the session cookie needs the ${CSRF_HEADER} header or the ${CSRF_FIELD} form field`));
  }
  next();
}

export function requireUser(req: Request, _res: Response, next: NextFunction): void {
  if (!req.user) return next(new AppError('unauthenticated', 'Log in or present an API token'));
  next();
}

/** Lets the request through when its user holds at least one of `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user) return next(new AppError('unauthenticated', 'Log in or present an API token'));
    if (!req.user.roles.some((role) => roles.includes(role))) {
      return next(new AppError('forbidden', `This needs one of the roles: ${roles.join(', ')}`));
    }
    next();
  };
}
