/**
 * In-process wake-ups for long polls. The tasks themselves are rows in the tasks table (so matching
 * survives a restart); this only tells a waiting poller that a row was committed for its queue.
 */
interface QueueWaiters {
  version: number;
  waiting: (() => void)[];
}

export class TaskQueues {
  private readonly queues = new Map<string, QueueWaiters>();

  static key(namespace: string, queue: string, kind: number): string {
    return `${kind}\u0000${namespace}\u0000${queue}`;
  }

  private entry(key: string): QueueWaiters {
    let e = this.queues.get(key);
    if (!e) this.queues.set(key, (e = { version: 0, waiting: [] }));
    return e;
  }

  version(key: string): number {
    return this.entry(key).version;
  }

  /** A task was committed to this queue: wake one poller. */
  notify(namespace: string, queue: string, kind: number): void {
    const e = this.entry(TaskQueues.key(namespace, queue, kind));
    e.version++;
    e.waiting.shift()?.();
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

/**
 * Repeatedly tries to take a task until one comes, the deadline passes or the caller goes away.
 * The version check closes the gap between an empty read and starting to wait.
 */
export async function longPoll<T>(
  queues: TaskQueues,
  key: string,
  deadline: number,
  signal: AbortSignal,
  take: () => Promise<T | undefined>,
): Promise<T | undefined> {
  for (;;) {
    const version = queues.version(key);
    const task = await take();
    if (task !== undefined) return task;
    const left = deadline - Date.now();
    if (signal.aborted || left <= 0) return undefined;
    if (queues.version(key) !== version) continue;
    // Re-read now and then even without a wake-up: cheap insurance against a lost notification.
    await queues.wait(key, Math.min(left, 10_000), signal);
  }
}
