import type { Request, RequestHandler } from 'express';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface HttpMetrics {
  /** Times every request; mount first so it sees all of them. */
  measure: RequestHandler;
  /** GET /metrics in the Prometheus text format. */
  expose: RequestHandler;
  registry: Registry;
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
    res.on('finish', () => end({ method: req.method, route: routeLabel(req), status_code: String(res.statusCode) }));
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
  return { measure, expose, registry };
}

function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (!route || route.path === undefined) return 'unmatched';
  return `${req.baseUrl}${String(route.path)}`;
}
