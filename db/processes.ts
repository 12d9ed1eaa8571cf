/** Operating-system process checks, used to manage the embedded PostgreSQL (the lowest layer that needs them). */
import { readFileSync } from 'node:fs';

/** True if a process with this id exists (owned by us or not). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The arguments of a live process (empty when unknown), to tell our own processes from a reused pid.
 * Synchronous (procfs answers from memory) so that an `exit` handler can check before it signals.
 */
export function commandArgs(pid: number): string[] {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw === '' ? [] : raw.replace(/\0$/, '').split('\0');
  } catch {
    return [];
  }
}

/** Waits until the process is gone; false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
