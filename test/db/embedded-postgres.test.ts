import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../db/embedded-postgres';
import { isAlive, waitForExit } from '../../db/processes';

/**
 * The one start-up path of the embedded PostgreSQL (npm start, npm run engine, the CLI, the tests): it must
 * start again after a crash, whatever the crash left behind, without touching a process that is not the
 * cluster's own. One data dir for the whole file: initdb runs once.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'lien-thong-embedded-pg-'));
const clusterDir = path.join(dataDir, 'pg');
const pidFile = path.join(clusterDir, 'postmaster.pid');
const strangers: ChildProcess[] = [];

afterAll(async () => {
  for (const child of strangers) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function query<T>(handle: EmbeddedPostgresHandle, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: handle.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function postmasterPid(): Promise<number> {
  return Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
}

/** A process that is not PostgreSQL yet names the cluster folder on its command line. */
function startStranger(): ChildProcess {
  const child = spawn('sh', ['-c', 'sleep 60', 'sh', '-D', clusterDir], { stdio: 'ignore' });
  strangers.push(child);
  return child;
}

describe('startEmbeddedPostgres', () => {
  it('leaves no signal or exit-on-idle hook of embedded-postgres behind, so its caller stops in order', async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit', 'exit'];
    const listeners = () => events.map((event) => (process as NodeJS.EventEmitter).listenerCount(event));
    const before = listeners();
    const handle = await startEmbeddedPostgres({ dataDir });
    try {
      // While it runs, only its own `exit` safeguard is added (it asks PostgreSQL to stop if the process ends).
      expect(listeners()).toEqual([...before.slice(0, 4), before[4] + 1]);
      await query(handle, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before the crash')");
    } finally {
      await handle.stop();
    }
    expect(existsSync(pidFile)).toBe(false);
    expect(listeners()).toEqual(before);
  });

  it('removes a stale postmaster.pid whose process is gone, and starts', async () => {
    const gone = spawn('true');
    await new Promise((resolve) => gone.on('exit', resolve));
    await writeFile(pidFile, `${gone.pid}\n${clusterDir}\n`);
    const handle = await startEmbeddedPostgres({ dataDir });
    try {
      expect(await query(handle, 'SELECT note FROM kept')).toEqual([{ note: 'written before the crash' }]);
    } finally {
      await handle.stop();
    }
  });

  it('never signals an unrelated process named in postmaster.pid (a reused pid), and starts', async () => {
    const stranger = startStranger();
    await writeFile(pidFile, `${stranger.pid}\n${clusterDir}\n`);
    const handle = await startEmbeddedPostgres({ dataDir });
    try {
      expect(isAlive(stranger.pid!)).toBe(true);
      expect(await postmasterPid()).not.toBe(stranger.pid);
    } finally {
      await handle.stop();
    }
  });

  it('stops the PostgreSQL orphaned by a SIGKILLed run on this data dir, and starts again with the data intact', async () => {
    // A run in another process starts the cluster, writes, and is SIGKILLed: its postmaster lives on.
    const script = [
      `import { startEmbeddedPostgres } from ${JSON.stringify(path.join(ROOT, 'db/embedded-postgres.ts'))};`,
      `import pg from 'pg';`,
      `const handle = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });`,
      `const client = new pg.Client({ connectionString: handle.url });`,
      `await client.connect();`,
      `await client.query("INSERT INTO kept VALUES ('written by the killed run')");`,
      `await client.end();`,
      `process.stdout.write('ready\\n');`,
      `setInterval(() => {}, 1000);`,
    ].join('\n');
    const run = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    run.stdout!.on('data', (chunk) => (output += String(chunk)));
    run.stderr!.on('data', (chunk) => (output += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      run.stdout!.on('data', () => output.includes('ready') && resolve());
      run.on('exit', (code) => reject(new Error(`the run exited with ${code}:\n${output}`)));
    });
    run.kill('SIGKILL');
    await new Promise((resolve) => run.on('exit', resolve));
    const orphan = await postmasterPid();
    expect(isAlive(orphan)).toBe(true);

    const warnings: string[] = [];
    const handle = await startEmbeddedPostgres({ dataDir, onWarning: (message) => warnings.push(message) });
    try {
      expect(isAlive(orphan)).toBe(false);
      expect(warnings.join('\n')).toContain(`stopping PostgreSQL (pid ${orphan})`);
      expect(await query<{ note: string }>(handle, 'SELECT note FROM kept ORDER BY note')).toEqual([
        { note: 'written before the crash' },
        { note: 'written by the killed run' },
      ]);
    } finally {
      await handle.stop();
    }
    expect(await waitForExit(orphan, 0)).toBe(true);
  });
});
