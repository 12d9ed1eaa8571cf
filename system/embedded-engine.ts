import { createServer } from 'node:net';
import type { AppConfig } from './config';
import type { Logger } from './logger';

export interface EmbeddedEngine {
  address: string;
  stop(): Promise<void>;
}

/**
 * Starts the embedded Temporal-compatible engine with its state in the application's PostgreSQL (schema
 * `engine`). Loaded on demand: a process pointed at a real cluster never loads the engine's code. When
 * ENGINE_LISTEN is not set and the default 127.0.0.1:7233 is taken (a Temporal dev server, a second
 * instance), a free port is used instead; an explicitly chosen address that is taken stops the start.
 */
export async function startEmbeddedEngine(config: AppConfig, databaseUrl: string, logger: Logger): Promise<EmbeddedEngine> {
  let listen = config.engine.listen;
  if (config.engine.listenIsDefault && !(await isFree(listen))) {
    logger.warn({ listen }, 'default engine address is taken; the engine listens on a free port instead');
    listen = `${hostOf(listen)}:0`;
  }
  const { startEngine } = await import('../engine/index');
  const engineLogger = logger.child({ component: 'engine' });
  const engine = await startEngine({
    databaseUrl,
    listen,
    schema: 'engine',
    log: (message, err) => engineLogger.warn({ reason: err instanceof Error ? err.message : err }, message),
  });
  logger.info({ address: engine.address }, 'embedded engine listening');
  return engine;
}

function hostOf(hostPort: string): string {
  return hostPort.slice(0, hostPort.lastIndexOf(':'));
}

async function isFree(hostPort: string): Promise<boolean> {
  const port = Number(hostPort.slice(hostPort.lastIndexOf(':') + 1));
  if (port === 0) return true;
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, hostOf(hostPort).replace(/^\[|\]$/g, ''), () => probe.close(() => resolve(true)));
  });
}
