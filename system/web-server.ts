import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';

export interface WebServer {
  url: string;
  /** Stops accepting connections, lets requests in flight finish for up to `graceMs`, then cuts the rest. */
  stop(graceMs?: number): Promise<void>;
}

export async function listen(app: express.Application, host: string, port: number): Promise<WebServer> {
  const server: Server = app.listen(port, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([err]) => {
      throw err;
    }),
  ]);
  const address = server.address() as AddressInfo;
  return {
    url: `http://${displayHost(address.address)}:${address.port}`,
    stop: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** A wildcard address is not something to type into a browser: show the loopback one instead. */
function displayHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}
