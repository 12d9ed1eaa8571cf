import { existsSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import type { Logger } from './logger';
import { commandArgs, isAlive, waitForExit } from '../db/processes';
import { readRuntimeFile } from './runtime-file';

/** The application's database on the embedded cluster. */
export const EMBEDDED_DATABASE = 'lienthong';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the embedded PostgreSQL under DATA_DIR and makes sure the application's database exists. A cluster
 * that another live Liên Thông process uses (a CLI command, recorded in DATA_DIR/runtime.json) is waited for;
 * one left behind by a crashed run is cleared by startEmbeddedPostgres itself.
 */
export async function startEmbeddedDatabase(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  await waitForLiveOwner(dataDir, logger);
  const pgLogger = logger.child({ component: 'postgres' });
  const pg = await startEmbeddedPostgres({
    dataDir,
    onLog: (line) => pgLogger.debug(line.trim()),
    onWarning: (message) => logger.warn(message),
  });
  try {
    await pg.ensureDatabase(EMBEDDED_DATABASE);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return { url: pg.urlFor(EMBEDDED_DATABASE), port: pg.port, stop: () => pg.stop() };
}

/** A CLI command owns the cluster for a few seconds at most; a second system never lets go by itself. */
const OWNER_WAIT_MS = 30_000;

/** Its owner stops the cluster on the way out; a postmaster still running afterwards is an orphan to clear. */
async function waitForLiveOwner(dataDir: string, logger: Logger): Promise<void> {
  if (!existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))) return;
  const owner = await readRuntimeFile(dataDir);
  if (!owner || owner.pid === process.pid || !isLiveNodeProcess(owner.pid)) return;
  logger.warn({ pid: owner.pid }, 'waiting for the process that uses DATA_DIR to finish');
  if (!(await waitForExit(owner.pid, OWNER_WAIT_MS))) {
    throw new Error(`DATA_DIR ${dataDir} is in use by another running Liên Thông process (pid ${owner.pid}); stop it first`);
  }
}

function isLiveNodeProcess(pid: number): boolean {
  return isAlive(pid) && /\bnode\b|tsx/.test(commandArgs(pid).join(' '));
}
