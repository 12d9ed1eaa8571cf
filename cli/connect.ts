import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createDb, migrateToLatest, type Db } from '../db/database';
import type { AppConfig } from '../system/config';
import type { Logger } from '../system/logger';
import { startEmbeddedDatabase } from '../system/embedded-database';
import { isAlive } from '../db/processes';
import { readRuntimeFile, removeRuntimeFile, writeRuntimeFile } from '../system/runtime-file';

export interface CliDatabase {
  db: Db;
  /** Where the CLI connected, for its first line of output (never the password). */
  description: string;
  close(): Promise<void>;
}

/**
 * Reaches the application's database the way `npm start` would: DATABASE_URL when set; otherwise the embedded
 * PostgreSQL under DATA_DIR, joining the running system (its port is in DATA_DIR/runtime.json) or, when
 * nothing runs, starting the cluster for the duration of the command and recording itself as its owner so a
 * concurrent `npm start` waits instead of taking the cluster away.
 */
export async function connectCliDatabase(config: AppConfig, logger: Logger): Promise<CliDatabase> {
  if (config.databaseUrl !== undefined) {
    return migrated(createDb(config.databaseUrl, { maxConnections: 2 }), `DATABASE_URL (${hostOf(config.databaseUrl)})`, async () => {});
  }
  const running = await readRuntimeFile(config.dataDir);
  if (running && running.pid !== process.pid && isAlive(running.pid)) {
    const password = (await readFile(path.join(config.dataDir, 'pg-password'), 'utf8')).trim();
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${running.postgresPort}/${encodeURIComponent(running.database)}`;
    return migrated(createDb(url, { maxConnections: 2 }), `hệ thống đang chạy (pid ${running.pid}), ${config.dataDir}`, async () => {});
  }
  const pg = await startEmbeddedDatabase(config.dataDir, logger);
  await writeRuntimeFile(config.dataDir, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    postgresPort: pg.port,
    database: new URL(pg.url).pathname.slice(1),
  });
  let releasing: Promise<void> | undefined;
  const release = () =>
    (releasing ??= (async () => {
      for (const [signal, handler] of onSignal) process.off(signal, handler);
      await removeRuntimeFile(config.dataDir);
      await pg.stop();
    })());
  // Interrupted while it holds the cluster, the command still stops PostgreSQL and gives DATA_DIR back.
  const onSignal = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => void release().finally(() => process.exit(128 + os.constants.signals[signal]));
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return migrated(createDb(pg.url, { maxConnections: 2 }), `PostgreSQL nhúng trong ${config.dataDir}`, release);
}

async function migrated(db: Db, description: string, stop: () => Promise<void>): Promise<CliDatabase> {
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    await stop();
    throw err;
  }
  return {
    db,
    description,
    async close() {
      await db.destroy();
      await stop();
    },
  };
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'không đọc được';
  }
}
