import express from 'express';
import { bodyParserErrors, bodyParsers } from './body-limits';
import type { AppDeps } from './deps';
import { createErrorMiddleware, notFoundHandler } from './error-middleware';
import { createHealthRouter } from './health';
import { createHttpMetrics } from './metrics';
import { allowMetricsToken, requireMetricsReader } from './metrics-access';
import { buildOpenApiDocument } from './openapi';
import { requestLogger } from './request-logger';
import { securityHeaders } from './security-headers';
import { createIdentityMiddleware } from './auth/index';
import { apiV1Paths, apiV1SecuritySchemes, createApiV1Router } from './v1/index';
import { createUiRouter } from '../ui/routes';

/**
 * The web application. Order matters: headers and the request id come first so that every answer (even an
 * error from a body parser) carries them; probes come before identity so they need no session; /metrics is
 * answered before identity only for the scraper's METRICS_TOKEN, otherwise after it for operators; the error
 * middleware comes last.
 */
export function createApp(deps: AppDeps): express.Application {
  const app = express();
  app.set('trust proxy', deps.config.trustProxy);
  app.disable('x-powered-by');

  const metrics = createHttpMetrics();
  app.use(metrics.measure);
  app.use(securityHeaders());
  app.use(requestLogger(deps.logger));
  app.use(bodyParsers(deps.config.bodyLimits));
  app.use(bodyParserErrors);

  app.use(createHealthRouter(deps));
  app.get('/metrics', allowMetricsToken(deps.config.metricsToken), metrics.expose);

  app.use(createIdentityMiddleware(deps));
  app.get('/metrics', requireMetricsReader, metrics.expose);

  // Public like any API description; it names routes, never data.
  const openApiDocument = buildOpenApiDocument(apiV1Paths, apiV1SecuritySchemes);
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use('/api/v1', createApiV1Router(deps));
  app.use(createUiRouter(deps));

  app.use(notFoundHandler);
  app.use(createErrorMiddleware(deps.logger));
  return app;
}
