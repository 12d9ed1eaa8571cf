import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type express from 'express';
import { loadConfig, type AppConfig } from '../../system/config';
import { createLogger, type Logger } from '../../system/logger';

/** Serves an Express app on a free port of 127.0.0.1 and returns its base URL. */
export async function serve(app: express.Application): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A logger whose lines the test can read, so it can check what reaches the logs. */
export function capturingLogger(): { logger: Logger; lines: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines: () => chunks.join('') };
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ DATA_DIR: '/nonexistent', ...env });
}

/** The JSON body of an answer, loosely typed for assertions. */
// The shape is what the test asserts; `any` keeps those assertions readable.
export async function json(res: Response): Promise<any> {
  return res.json();
}
