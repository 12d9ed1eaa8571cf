import type { Request, RequestHandler } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  /** Times every request; mount first so it sees all of them. */
  measure: RequestHandler;
  /** GET /metrics in the Prometheus text format. */
  expose: RequestHandler;
}

/**
 * Process metrics and an HTTP duration histogram, in a registry of this app's own (several apps in one test
 * process must not collide in prom-client's global registry). Requests that matched no route are labelled
 * `unmatched`, so scanners probing random URLs cannot grow the label set without bound.
 */
export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests in seconds, by method, matched route and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const measure: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    const label = captureRouteLabel(req);
    res.on('finish', () => end({ method: req.method, route: label(), status_code: String(res.statusCode) }));
    next();
  };
  const expose: RequestHandler = async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      res.type(registry.contentType).send(body);
    } catch (err) {
      next(err);
    }
  };
  return { measure, expose };
}

/**
 * The matched route's full pattern (`/api/v1/agencies/:code`). It is read when the router sets `req.route`,
 * because by the time the response finishes (an error leaving a sub-router, say) `req.baseUrl` is reset.
 */
function captureRouteLabel(req: Request): () => string {
  let route: { path?: unknown } | undefined;
  let label = 'unmatched';
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value?.path !== undefined) label = `${req.baseUrl}${String(value.path)}`;
    },
  });
  return () => label;
}
