import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, waitForExit } from '../../db/processes';

/**
 * The whole system as a user runs it: `main.ts` as a child process on a fresh DATA_DIR (demo seed and test
 * certificates on, as by default with the embedded PostgreSQL), stopped with SIGTERM,
 * started again, killed with SIGKILL (leaving its PostgreSQL behind), started again. Slow by nature (three
 * full starts), so this is the only test file that does it.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'lien-thong-system-'));
const started: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

async function startRun(): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TMPDIR: process.env.TMPDIR,
      DATA_DIR: dataDir,
      PORT: '0',
      ENGINE_LISTEN: '127.0.0.1:0',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, like a terminal's foreground job, so Ctrl-C can be sent to the whole group.
    detached: true,
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += String(chunk)));
  child.stderr!.on('data', (chunk) => (output += String(chunk)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 90 s:\n${output}`)), 90_000);
    const look = () => {
      const match = /is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', look);
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing its URL:\n${output}`));
    });
  });
  return { child, url, output: () => output, exit };
}

/** SIGTERM to the process, as a service manager sends; or SIGINT to its whole group, as Ctrl-C in a terminal does. */
async function stopRun(run: Run, how: 'SIGTERM' | 'Ctrl-C'): Promise<number | null> {
  if (how === 'SIGTERM') run.child.kill('SIGTERM');
  else process.kill(-run.child.pid!, 'SIGINT');
  return Promise.race([run.exit, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no exit within 45 s')), 45_000))]);
}

function postmasterPid(): number | undefined {
  const file = path.join(dataDir, 'pg', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

/** Maintenance run ids logged at start: the same id across restarts means the engine kept its state. */
function maintenanceRunId(output: string): string | undefined {
  return output
    .split('\n')
    .filter((line) => line.includes('"maintenance workflow running"'))
    .map((line) => JSON.parse(line).runId as string)
    .at(-1);
}

/** Fingerprint of every certificate of the demo's test CA (DATA_DIR/pki), by file. */
function demoCertificates(): Record<string, string> {
  const pki = path.join(dataDir, 'pki');
  return Object.fromEntries(
    ['root', 'agencies', 'signers'].flatMap((folder) =>
      readdirSync(path.join(pki, folder))
        .filter((name) => name.endsWith('.cert.pem'))
        .map((name) => [`${folder}/${name}`, new X509Certificate(readFileSync(path.join(pki, folder, name))).fingerprint256]),
    ),
  );
}

async function logIn(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  const pid = postmasterPid();
  if (pid && isAlive(pid)) {
    process.kill(pid, 'SIGINT');
    await waitForExit(pid, 15_000);
  }
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('starts, stops cleanly on SIGTERM, starts again with all data, survives a crash, stops cleanly on Ctrl-C', async () => {
    // First start: a fresh installation with demo accounts whose passwords are printed once.
    const first = await startRun();
    const password = /^\s+quantri\s+(\S+)/m.exec(first.output())?.[1];
    expect(password, first.output()).toBeDefined();
    const ready = await fetch(`${first.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', failed: [], checks: { database: 'ok', engine: 'ok' } });
    expect(JSON.parse(readFileSync(path.join(dataDir, 'runtime.json'), 'utf8'))).toMatchObject({ pid: first.child.pid, url: first.url });

    const login = await logIn(first.url, 'quantri', password!);
    expect(login.status).toBe(201);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const created = await fetch(`${first.url}/api/v1/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'Kiểm thử khởi động lại' }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    // The passwords never reach the structured log, only the one-time banner.
    const logLines = first.output().split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.some((line) => line.includes(password!))).toBe(false);
    const firstMaintenance = maintenanceRunId(first.output());
    expect(firstMaintenance).toBeDefined();

    // The demo's test certificate authority: a root, the demo agency's certificate and its leader's, keys 0600.
    const certificates = demoCertificates();
    expect(Object.keys(certificates).map((file) => file.split('/')[0]).sort()).toEqual(['agencies', 'root', 'signers']);
    for (const folder of ['agencies', 'signers']) {
      for (const p12 of readdirSync(path.join(dataDir, 'pki', folder)).filter((name) => name.endsWith('.p12'))) {
        expect(statSync(path.join(dataDir, 'pki', folder, p12)).mode & 0o777).toBe(0o600);
      }
    }

    // SIGTERM: everything stops in order, exit code 0, no PostgreSQL left, runtime.json gone.
    const firstPostgres = postmasterPid()!;
    expect(await stopRun(first, 'SIGTERM')).toBe(0);
    expect(first.output()).toContain('Đã dừng / Stopped.');
    expect(isAlive(firstPostgres)).toBe(false);
    expect(existsSync(path.join(dataDir, 'runtime.json'))).toBe(false);

    // Second start: no new demo accounts, and what the first run stored is all there.
    const second = await startRun();
    expect(second.output()).not.toContain('quantri ');
    expect((await logIn(second.url, 'quantri', password!)).status).toBe(201);
    const me = await fetch(`${second.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const session = await fetch(`${second.url}/api/v1/me`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(maintenanceRunId(second.output())).toBe(firstMaintenance);
    expect(demoCertificates()).toEqual(certificates);

    // A crash (SIGKILL) leaves PostgreSQL running without its owner; the next start must not be blocked by it.
    second.child.kill('SIGKILL');
    await second.exit;
    const orphan = postmasterPid()!;
    expect(isAlive(orphan)).toBe(true);

    const third = await startRun();
    expect(isAlive(orphan)).toBe(false);
    expect((await logIn(third.url, 'quantri', password!)).status).toBe(201);
    expect((await fetch(`${third.url}/readyz`)).status).toBe(200);
    // Ctrl-C reaches PostgreSQL as well as the app; the stop is still clean and complete.
    const thirdPostgres = postmasterPid()!;
    expect(await stopRun(third, 'Ctrl-C')).toBe(0);
    expect(isAlive(thirdPostgres)).toBe(false);
  }, 240_000);
});
