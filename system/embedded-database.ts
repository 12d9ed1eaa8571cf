import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import type { Logger } from './logger';
import { commandLine, isAlive, waitForExit } from './processes';
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
 * left behind by a crashed run (its postmaster still running, or a stale postmaster.pid) is cleared first,
 * so a crash never blocks the next start; a cluster that another live instance uses is left alone.
 */
export async function startEmbeddedDatabase(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'pg');
  await releaseStaleCluster(dataDir, clusterDir, logger);
  const pgLogger = logger.child({ component: 'postgres' });
  const pg = await startEmbeddedPostgres({ dataDir, onLog: (line) => pgLogger.debug(line.trim()) });
  try {
    await pg.ensureDatabase(EMBEDDED_DATABASE);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return {
    url: pg.urlFor(EMBEDDED_DATABASE),
    port: pg.port,
    // If the postmaster is already gone (Ctrl-C reaches it directly, as it shares our terminal's process
    // group), pg.stop() would wait for an exit that already happened: stop when either settles.
    stop: () => Promise.race([pg.stop(), waitForPostmasterGone(clusterDir)]),
  };
}

interface Postmaster {
  pid: number;
  dataDir: string;
}

async function readPostmaster(clusterDir: string): Promise<Postmaster | undefined> {
  try {
    const [pid, dir] = (await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n');
    return { pid: Number(pid), dataDir: dir ?? '' };
  } catch {
    return undefined;
  }
}

/** A CLI command owns the cluster for a few seconds at most; a second system never lets go by itself. */
const OWNER_WAIT_MS = 30_000;

async function releaseStaleCluster(dataDir: string, clusterDir: string, logger: Logger): Promise<void> {
  let postmaster = await readPostmaster(clusterDir);
  if (!postmaster) return;
  const owner = await readRuntimeFile(dataDir);
  if (owner && owner.pid !== process.pid && (await isLiveNodeProcess(owner.pid))) {
    logger.warn({ pid: owner.pid }, 'waiting for the process that uses DATA_DIR to finish');
    if (!(await waitForExit(owner.pid, OWNER_WAIT_MS))) {
      throw new Error(`DATA_DIR ${dataDir} is in use by another running Liên Thông process (pid ${owner.pid}); stop it first`);
    }
    // Its owner stops the cluster on the way out; give it the time to.
    await waitForExit(postmaster.pid, 15_000);
    postmaster = await readPostmaster(clusterDir);
    if (!postmaster) return;
  }
  const alive = isAlive(postmaster.pid);
  const command = alive ? await commandLine(postmaster.pid) : '';
  if (alive && command === '') {
    // No /proc to tell a leftover PostgreSQL from an unrelated process that reused its pid: let a person decide.
    throw new Error(
      `PostgreSQL may still be running from an earlier run (pid ${postmaster.pid}); stop it, or delete ${path.join(clusterDir, 'postmaster.pid')} if that pid is another program`,
    );
  }
  const ours = alive && command.includes(` -D ${clusterDir} `);
  if (!ours) {
    // The pid is dead or now belongs to another program: PostgreSQL would refuse to start on a reused pid.
    logger.warn({ pid: postmaster.pid }, 'removing stale postmaster.pid left by an earlier crash');
    await rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
    return;
  }
  logger.warn({ pid: postmaster.pid }, 'stopping PostgreSQL left running by an earlier crash');
  process.kill(postmaster.pid, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  if (!(await waitForExit(postmaster.pid, 15_000))) {
    process.kill(postmaster.pid, 'SIGQUIT'); // immediate shutdown; recovery replays the WAL on start
    if (!(await waitForExit(postmaster.pid, 5_000))) {
      throw new Error(`PostgreSQL left by an earlier run (pid ${postmaster.pid}) does not stop; stop it by hand`);
    }
  }
}

async function isLiveNodeProcess(pid: number): Promise<boolean> {
  return isAlive(pid) && /\bnode\b|tsx/.test(await commandLine(pid));
}

async function waitForPostmasterGone(clusterDir: string): Promise<void> {
  for (;;) {
    const postmaster = await readPostmaster(clusterDir);
    if (!existsSync(path.join(clusterDir, 'postmaster.pid')) || (postmaster && !isAlive(postmaster.pid))) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
