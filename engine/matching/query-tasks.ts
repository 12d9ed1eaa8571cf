import { randomUUID } from 'node:crypto';
import { TaskQueues } from './task-queues';
import type { Msg } from '../proto';

export interface QueryAnswer {
  answer?: Msg;
  error?: string;
}

export interface QueryTask {
  id: string;
  namespace: string;
  queue: string;
  runId: string;
  query: Msg;
  resolve(answer: QueryAnswer): void;
}

/**
 * Legacy query tasks live only in memory: a query is not durable in Temporal either, and a caller whose
 * server restarted simply retries.
 */
export class QueryTasks {
  private readonly pending = new Map<string, QueryTask[]>();
  private readonly inFlight = new Map<string, QueryTask>();

  constructor(private readonly queues: TaskQueues) {}

  /** Queues a query for the workflow's task queue and resolves with the worker's answer. */
  ask(namespace: string, queue: string, runId: string, query: Msg, signal: AbortSignal): Promise<QueryAnswer | undefined> {
    return new Promise((resolve) => {
      const key = TaskQueues.key(namespace, queue, 1);
      const task: QueryTask = {
        id: randomUUID(),
        namespace,
        queue,
        runId,
        query,
        resolve: (a) => {
          cleanup();
          resolve(a);
        },
      };
      const cleanup = () => {
        signal.removeEventListener('abort', onAbort);
        this.inFlight.delete(task.id);
        const list = this.pending.get(key);
        const i = list?.indexOf(task) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
      };
      const onAbort = () => {
        cleanup();
        resolve(undefined);
      };
      signal.addEventListener('abort', onAbort);
      let list = this.pending.get(key);
      if (!list) this.pending.set(key, (list = []));
      list.push(task);
      this.queues.notify(namespace, queue, 1);
    });
  }

  take(key: string): QueryTask | undefined {
    const task = this.pending.get(key)?.shift();
    if (task) this.inFlight.set(task.id, task);
    return task;
  }

  /** Puts a task back (its poller went away) and announces it again. */
  giveBack(key: string, task: QueryTask) {
    this.inFlight.delete(task.id);
    let list = this.pending.get(key);
    if (!list) this.pending.set(key, (list = []));
    list.unshift(task);
    this.queues.notify(task.namespace, task.queue, 1);
  }

  complete(id: string, answer: QueryAnswer): boolean {
    const task = this.inFlight.get(id);
    if (!task) return false;
    task.resolve(answer);
    return true;
  }
}
