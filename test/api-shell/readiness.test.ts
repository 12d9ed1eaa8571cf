import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { startEngine, type EngineHandle } from '../../engine/index';
import { createTestDatabase } from '../support/database';
import { capturingLogger, json, serve, testConfig } from './support';

/** /readyz against the real database and engine, and each of them gone. */
let db: Db;
let engine: EngineHandle;
let connection: Connection;
let base: string;
let close: () => Promise<void>;
let logLines: () => string;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('readiness');
  db = createDb(databaseUrl, { maxConnections: 2 });
  await migrateToLatest(db);
  engine = await startEngine({ databaseUrl, listen: '127.0.0.1:0' });
  connection = await Connection.connect({ address: engine.address });
  const captured = capturingLogger();
  logLines = captured.lines;
  const temporal = { client: new Client({ connection }), namespace: 'default' };
  ({ url: base, close } = await serve(createApp({ config: testConfig(), db, logger: captured.logger, temporal })));
});

afterAll(async () => {
  await close?.();
  await connection?.close();
  await engine?.stop();
  await db?.destroy();
});

describe('/readyz', () => {
  it('is ready while the database and the engine answer, and names the engine once it is gone', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await json(ready)).toEqual({ status: 'ok', failed: [], checks: { database: 'ok', engine: 'ok' } });

    await engine.stop();
    const started = Date.now();
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await json(notReady)).toEqual({ status: 'unavailable', failed: ['engine'], checks: { database: 'ok', engine: 'failed' } });
    // A probe must answer within its deadline even when the engine does not.
    expect(Date.now() - started).toBeLessThan(5_000);
    // The reason is for operators: in the log, not in the unauthenticated answer.
    expect(logLines()).toContain('"check":"engine"');
  });

  it('names the database when it is unreachable', async () => {
    const unreachable = createDb('postgres://nobody:nothing@127.0.0.1:1/none', { maxConnections: 1 });
    const served = await serve(createApp({ config: testConfig(), db: unreachable, logger: capturingLogger().logger }));
    try {
      const res = await fetch(`${served.url}/readyz`);
      expect(res.status).toBe(503);
      // Only part names and ok/failed: no connection error, host or port reaches an unauthenticated caller.
      expect(await json(res)).toEqual({ status: 'unavailable', failed: ['database', 'engine'], checks: { database: 'failed', engine: 'failed' } });
    } finally {
      await served.close();
      await unreachable.destroy();
    }
  });
});
