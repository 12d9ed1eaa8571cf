import { pino, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/**
 * Paths whose values never reach a log line: credentials, session and CSRF tokens, API tokens. Request
 * bodies are never logged at all (document contents stay out of logs); these paths catch secrets that code
 * passes to the logger by mistake.
 */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  'newPassword',
  '*.newPassword',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'csrfToken',
  '*.csrfToken',
  '_csrf',
  '*._csrf',
  'secret',
  '*.secret',
  'databaseUrl',
  '*.databaseUrl',
];

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
