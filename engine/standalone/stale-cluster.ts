import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function commandLine(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * A run killed with SIGKILL leaves its PostgreSQL running (or a postmaster.pid naming a dead or reused pid),
 * which would make the next start fail. Stop our own orphaned postmaster (fast shutdown) or drop the stale
 * lock file; a postmaster of another cluster is never touched.
 */
export async function clearStaleCluster(clusterDir: string, log: (message: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  if (isAlive(pid) && (await commandLine(pid)).includes(path.resolve(clusterDir))) {
    log(`stopping PostgreSQL (pid ${pid}) left running by an earlier run`);
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, 20_000))) throw new Error(`PostgreSQL pid ${pid} did not stop; stop it by hand`);
    return;
  }
  log('removing stale postmaster.pid left by an earlier crash');
  await rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
}
