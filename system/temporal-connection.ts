import { readFile } from 'node:fs/promises';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { AppConfig } from './config';

/** TLS (and mTLS when a client certificate is given) towards an external cluster; the embedded engine has none. */
export async function temporalTls(config: AppConfig): Promise<TLSConfig | undefined> {
  const tls = config.temporal.tls;
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.caFile ? await readFile(tls.caFile) : undefined,
    clientCertPair: tls.certFile && tls.keyFile ? { crt: await readFile(tls.certFile), key: await readFile(tls.keyFile) } : undefined,
  };
}

export interface TemporalConnections {
  client: Client;
  /** The worker's own (native) connection. */
  workerConnection: NativeConnection;
  close(): Promise<void>;
}

/** Connects the client (used by the web app) and the worker's native connection to the same frontend. */
export async function connectTemporal(config: AppConfig, address: string): Promise<TemporalConnections> {
  const tls = await temporalTls(config);
  const connection = await Connection.connect({ address, tls });
  let workerConnection: NativeConnection;
  try {
    workerConnection = await NativeConnection.connect({ address, tls });
  } catch (err) {
    await connection.close();
    throw err;
  }
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return {
    client,
    workerConnection,
    async close() {
      await Promise.allSettled([connection.close(), workerConnection.close()]);
    },
  };
}
