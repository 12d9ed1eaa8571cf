import { Router } from 'express';
import type { AppDeps } from '../deps';
import { mountSessionRoutes } from './routes/session-routes';
import { mountAgencyRoutes } from './routes/agency-routes';
import { mountUserRoutes } from './routes/user-routes';
import { mountApiTokenRoutes } from './routes/api-token-routes';

export { apiV1Paths, apiV1SecuritySchemes } from './openapi-paths';

/**
 * /api/v1. The identity middleware has already run (mounted by the app before this router); every query
 * behind these routes is scoped to the caller's agency, and anything outside it reads as 404.
 */
export function createApiV1Router(deps: AppDeps): Router {
  const router = Router();
  mountSessionRoutes(router, deps);
  mountAgencyRoutes(router, deps);
  mountUserRoutes(router, deps);
  mountApiTokenRoutes(router, deps);
  return router;
}
