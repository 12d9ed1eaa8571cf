/**
 * `npm start`: validates the configuration, then runs the whole system until Ctrl-C / SIGTERM.
 * Exit codes: 0 clean stop, 1 failure while starting or running, 2 invalid configuration.
 */
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type AppConfig } from './system/config';
import { createLogger } from './system/logger';

// A .env file in the working folder fills in variables that the environment does not set.
if (existsSync('.env')) process.loadEnvFile('.env');

let config: AppConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`Cấu hình không hợp lệ, hệ thống không khởi động.\n${err.message}\nSee .env.example for every variable.\n`);
  process.exit(2);
}

const logger = createLogger(config.logLevel);
const print = (text: string) => process.stdout.write(`${text}\n`);
// Loaded once the configuration is known good (and .env applied).
const { startSystem } = await import('./system/start-system');

const aborter = new AbortController();
const starting = startSystem({ config, logger, print, signal: aborter.signal });
let stopping: Promise<never> | undefined;

/** Stops once, whatever asks first (a signal, a failing part); a start in progress is aborted and undone. */
function shutDown(reason: string, exitCode: number): Promise<never> {
  stopping ??= (async () => {
    logger.info({ reason }, 'stopping');
    aborter.abort(new Error(`stopped by ${reason}`));
    // A start that fails or is aborted has already stopped what it had started.
    const system = await starting.catch(() => undefined);
    const clean = system ? await system.stop() : true;
    print(clean ? 'Đã dừng / Stopped.' : 'Đã dừng, có phần không dừng gọn / Stopped, not all parts cleanly.');
    process.exit(clean ? exitCode : 1);
  })();
  return stopping;
}

// Ctrl-C reaches the embedded PostgreSQL too (same process group), so while stopping, connections that break
// mid-use are expected and must not cut the ordered stop short. Outside a stop, an uncaught error still ends
// the process, but through the same ordered stop.
process.on('uncaughtException', (err) => {
  if (stopping) {
    logger.warn({ reason: err.message }, 'error while stopping (carrying on with the stop)');
    return;
  }
  logger.fatal({ err }, 'uncaught exception');
  void shutDown('uncaught exception', 1);
});

/**
 * One Ctrl-C can arrive several times: the terminal signals the whole process group, and the wrappers of
 * `npm start` (npm, tsx) relay it again. Only a signal well after the first one is a person insisting.
 */
const REPEAT_IS_DELIBERATE_MS = 2_000;
let firstSignalAt = 0;

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) {
      if (Date.now() - firstSignalAt < REPEAT_IS_DELIBERATE_MS) return;
      print('Buộc dừng / Forced stop.');
      process.exit(130);
    }
    firstSignalAt = Date.now();
    void shutDown(signal, 0);
  });
}

try {
  const system = await starting;
  void system.failure.then((err) => {
    if (stopping) return;
    logger.fatal({ err }, 'a part of the system failed');
    void shutDown('failure', 1);
  });
} catch (err) {
  if (!stopping) {
    logger.fatal({ err }, 'start failed');
    print(`Không khởi động được / Start failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
