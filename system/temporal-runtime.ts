import { Runtime, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import type { Logger } from './logger';

let installed = false;

/** The Temporal SDK's logger interface on top of pino. */
export function temporalLogger(logger: Logger): TemporalLogger {
  const forward = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error';
    logger[method](meta ?? {}, message);
  };
  return {
    log: forward,
    trace: (m, meta) => forward('TRACE', m, meta),
    debug: (m, meta) => forward('DEBUG', m, meta),
    info: (m, meta) => forward('INFO', m, meta),
    warn: (m, meta) => forward('WARN', m, meta),
    error: (m, meta) => forward('ERROR', m, meta),
  };
}

/**
 * Routes the Temporal SDK's logs (including workflow and activity `log` calls) into our pino logger, and
 * leaves signals to us: by default the SDK would shut workers down on SIGINT/SIGTERM by itself, racing the
 * ordered shutdown in start-system.ts. Must run before the first Worker or NativeConnection; once per process.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  Runtime.install({ shutdownSignals: [], logger: temporalLogger(logger.child({ component: 'temporal' })) });
  installed = true;
}
