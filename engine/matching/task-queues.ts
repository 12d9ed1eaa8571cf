/**
 * In-process wake-ups for long polls. The tasks themselves are rows in the tasks table (so matching
 * survives a restart); this only tells pollers how many rows were committed for their queue, so that a
 * poll reads the table when there is something to take and not on every call.
 */
interface QueueState {
  /** Tasks committed and not yet claimed by a read. */
  available: number;
  /** Not read since this process started: the table may hold tasks from before a restart. */
  unread: boolean;
  waiting: (() => void)[];
}

export class TaskQueues {
  private readonly queues = new Map<string, QueueState>();

  static key(namespace: string, queue: string, kind: number): string {
    return `${kind}\u0000${namespace}\u0000${queue}`;
  }

  private entry(key: string): QueueState {
    let e = this.queues.get(key);
    if (!e) this.queues.set(key, (e = { available: 0, unread: true, waiting: [] }));
    return e;
  }

  /** A task was committed to this queue: count it and wake one poller. */
  notify(namespace: string, queue: string, kind: number): void {
    const e = this.entry(TaskQueues.key(namespace, queue, kind));
    e.available++;
    e.waiting.shift()?.();
  }

  /** Claims the right to read the table once, if a task may be there. */
  claim(key: string): boolean {
    const e = this.entry(key);
    if (e.unread) {
      e.unread = false;
      return true;
    }
    if (e.available > 0) {
      e.available--;
      return true;
    }
    return false;
  }

  /** Waits until notify() for the queue, the timeout, or the abort signal. */
  wait(key: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const e = this.entry(key);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        const i = e.waiting.indexOf(done);
        if (i >= 0) e.waiting.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      signal.addEventListener('abort', done);
      e.waiting.push(done);
    });
  }
}

const RECHECK_MS = 10_000;

/**
 * Takes a task when one was announced, until one comes, the deadline passes or the caller goes away.
 * Between claim() and wait() nothing yields to the event loop, so an announcement cannot slip between them.
 */
export async function longPoll<T>(
  queues: TaskQueues,
  key: string,
  deadline: number,
  signal: AbortSignal,
  take: () => Promise<T | undefined>,
): Promise<T | undefined> {
  let recheck = false;
  for (;;) {
    if (recheck || queues.claim(key)) {
      recheck = false;
      const task = await take();
      if (task !== undefined) return task;
      continue;
    }
    const left = deadline - Date.now();
    if (signal.aborted || left <= 0) return undefined;
    // Read the table now and then even without an announcement: insurance against a lost one.
    const wait = Math.min(left, RECHECK_MS);
    const started = Date.now();
    await queues.wait(key, wait, signal);
    recheck = Date.now() - started >= wait && !signal.aborted && Date.now() < deadline;
  }
}
