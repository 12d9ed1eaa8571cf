export interface RunSubscription {
  /** Resolves at the first change since subscribe(), the timeout or the abort, whichever comes first. */
  wait(timeoutMs: number, signal: AbortSignal): Promise<void>;
  cancel(): void;
}

/**
 * Wakes long polls (history, update stages, queries waiting for an idle run) when a run's row is committed.
 * Subscribe before reading the row, so a commit between the read and the wait is not missed.
 */
export class RunWatchers {
  private readonly subscribers = new Map<string, Set<{ fired: boolean; closeOnly: boolean; wake?: () => void }>>();

  notify(runId: string, closed: boolean): void {
    const set = this.subscribers.get(runId);
    if (!set) return;
    for (const s of set) {
      if (s.closeOnly && !closed) continue;
      s.fired = true;
      s.wake?.();
    }
  }

  /** `closeOnly`: wake only when the run closes (a result() long poll need not re-read on every event). */
  subscribe(runId: string, closeOnly = false): RunSubscription {
    let set = this.subscribers.get(runId);
    if (!set) this.subscribers.set(runId, (set = new Set()));
    const entry: { fired: boolean; closeOnly: boolean; wake?: () => void } = { fired: false, closeOnly };
    set.add(entry);
    const cancel = () => {
      set.delete(entry);
      if (set.size === 0 && this.subscribers.get(runId) === set) this.subscribers.delete(runId);
    };
    return {
      cancel,
      wait: (timeoutMs, signal) =>
        new Promise<void>((resolve) => {
          if (entry.fired || signal.aborted) return resolve();
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            entry.wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, Math.max(0, timeoutMs));
          signal.addEventListener('abort', done);
          entry.wake = done;
        }),
    };
  }
}
