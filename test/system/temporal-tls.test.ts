import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type EngineHandle } from '../../engine/index';
import { loadConfig, type AppConfig } from '../../system/config';
import { createLogger } from '../../system/logger';
import { connectTemporal, temporalTls } from '../../system/temporal-connection';
import { installTemporalRuntime } from '../../system/temporal-runtime';
import { createTestDatabase } from '../support/database';
import { createTlsFiles, type TlsFiles } from './tls-fixture';

/**
 * TEMPORAL_TLS_* against a cluster that demands mTLS: the embedded engine behind a TLS-terminating proxy that
 * requires a client certificate from our CA and presents a server certificate for `temporal.internal` only.
 */
const SERVER_NAME = 'temporal.internal';
let engine: EngineHandle;
let proxy: TlsServer;
let tls: TlsFiles;
let address: string;
/** TLS sessions the proxy accepted: the refusals below must not add any. */
let acceptedSessions = 0;
const tlsDir = mkdtempSync(path.join(tmpdir(), 'temporal-tls-'));

beforeAll(async () => {
  engine = await startEngine({ databaseUrl: await createTestDatabase('temporal_tls'), listen: '127.0.0.1:0' });
  tls = createTlsFiles(tlsDir, SERVER_NAME);
  const [engineHost, enginePort] = [engine.address.slice(0, engine.address.lastIndexOf(':')), Number(engine.address.split(':').pop())];
  proxy = createTlsServer(
    { key: tls.serverKeyPem, cert: tls.serverCertPem, ca: tls.caPem, requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket) => {
      const upstream = tcpConnect(enginePort, engineHost);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    },
  );
  proxy.on('tlsClientError', () => {});
  proxy.on('secureConnection', () => acceptedSessions++);
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  address = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  installTemporalRuntime(createLogger('error'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  await engine?.stop();
  rmSync(tlsDir, { recursive: true, force: true });
});

function configWith(env: Record<string, string>): AppConfig {
  return loadConfig({ TEMPORAL_ADDRESS: address, ...env });
}

const fullTls = () => ({
  TEMPORAL_TLS_CA: tls.caFile,
  TEMPORAL_TLS_CERT: tls.clientCertFile,
  TEMPORAL_TLS_KEY: tls.clientKeyFile,
  TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
});

describe('connecting to a Temporal cluster over mTLS', () => {
  it('connects the client and the worker connection with the CA, client certificate and server name', async () => {
    const temporal = await connectTemporal(configWith(fullTls()), address);
    try {
      expect(acceptedSessions).toBeGreaterThan(0);
      const info = await temporal.client.workflowService.getSystemInfo({});
      expect(info.capabilities).toBeTruthy();
      const fromWorkerSide = await temporal.workerConnection.workflowService.getSystemInfo({});
      expect(fromWorkerSide.capabilities).toBeTruthy();
    } finally {
      await temporal.close();
    }
  });

  it('is refused without the client certificate, and without the server name the certificate is for', async () => {
    const { TEMPORAL_TLS_CERT: _cert, TEMPORAL_TLS_KEY: _key, ...withoutClientCert } = fullTls();
    const { TEMPORAL_TLS_SERVER_NAME: _name, ...withoutServerName } = fullTls();
    for (const env of [withoutClientCert, withoutServerName]) {
      const tlsConfig = await temporalTls(configWith(env));
      const before = acceptedSessions;
      await expect(Connection.connect({ address, tls: tlsConfig, connectTimeout: '1500 ms' })).rejects.toThrow(/Failed to connect/);
      // Refused in the TLS handshake itself, not by anything after it.
      expect(acceptedSessions).toBe(before);
    }
  });
});
