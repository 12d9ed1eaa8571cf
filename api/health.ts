import { Router } from 'express';
import { sql } from 'kysely';
import type { AppDeps } from './deps';

/** A readiness probe must answer quickly even when a dependency hangs. */
const CHECK_DEADLINE_MS = 2_000;

type CheckResult = 'ok' | 'failed';

/**
 * /healthz: the process is alive and serving HTTP (restart it if not).
 * /readyz: the database and the workflow engine both answer (send it no traffic if not); a 503 names the
 * part that failed. Neither needs a session, so probes and load balancers can call them.
 */
export function createHealthRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, engine] = await Promise.all([
      check(deps, 'database', () => checkDatabase(deps)),
      check(deps, 'engine', () => checkEngine(deps)),
    ]);
    const checks = { database, engine };
    const failed = Object.entries(checks)
      .filter(([, result]) => result === 'failed')
      .map(([name]) => name);
    res.status(failed.length === 0 ? 200 : 503).json({ status: failed.length === 0 ? 'ok' : 'unavailable', failed, checks });
  });
  return router;
}

async function checkDatabase(deps: AppDeps): Promise<void> {
  await sql`select 1`.execute(deps.db);
}

async function checkEngine(deps: AppDeps): Promise<void> {
  const temporal = deps.temporal;
  if (!temporal) throw new Error('no engine connection configured');
  const { connection, workflowService } = temporal.client;
  await connection.withDeadline(Date.now() + CHECK_DEADLINE_MS, () => workflowService.getSystemInfo({}));
}

/** The probe answer names only the failed part; the reason goes to the log, not to unauthenticated callers. */
async function check(deps: AppDeps, name: string, run: () => Promise<void>): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_DEADLINE_MS} ms`)), CHECK_DEADLINE_MS);
  });
  try {
    await Promise.race([run(), timeout]);
    return 'ok';
  } catch (err) {
    deps.logger.warn({ check: name, reason: err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : String(err) }, 'readiness check failed');
    return 'failed';
  } finally {
    clearTimeout(timer);
  }
}
