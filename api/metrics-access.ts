import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { requireRole } from './auth/index';

/**
 * Who may read /metrics: a Prometheus scraper presenting METRICS_TOKEN as its bearer token, or an operator
 * (API token or session). The scraper's check runs before the identity middleware, which would refuse a
 * bearer token that is not one of ours; anything else falls through to the operator route behind it.
 */
export function allowMetricsToken(configuredToken: string | undefined): RequestHandler {
  const expected = configuredToken === undefined ? undefined : digest(configuredToken);
  return (req, _res, next) => {
    const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
    // Comparing fixed-length digests keeps the time independent of both the token's content and its length.
    if (expected && match && timingSafeEqual(digest(match[1]), expected)) return next();
    next('route');
  };
}

/** Mounted after the identity middleware: the operators' own credentials. */
export const requireMetricsReader: RequestHandler = requireRole('operator');

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
