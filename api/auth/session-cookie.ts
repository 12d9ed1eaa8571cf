import type { Request, Response } from 'express';
import { parseCookie } from 'cookie';

export interface CookiePolicy {
  secureCookie: boolean;
}

/** The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only and for path /. */
export function sessionCookieName(policy: CookiePolicy): string {
  return policy.secureCookie ? '__Host-lt_session' : 'lt_session';
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header || header.length > 8192) return undefined;
  return parseCookie(header)[name];
}

export function setSessionCookie(res: Response, policy: CookiePolicy, value: string, expires: Date): void {
  res.cookie(sessionCookieName(policy), value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: policy.secureCookie,
    path: '/',
    expires,
  });
}

export function clearSessionCookie(res: Response, policy: CookiePolicy): void {
  res.clearCookie(sessionCookieName(policy), { httpOnly: true, sameSite: 'lax', secure: policy.secureCookie, path: '/' });
}
