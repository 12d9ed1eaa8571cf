import type pg from 'pg';
import type { TaskQueues } from './matching/task-queues';
import type { RunWatchers } from './matching/run-watchers';
import type { QueryTasks } from './matching/query-tasks';
import type { Scheduler } from './timers/scheduler';
import type { Namespaces } from './store/namespaces';

/** What every part of the engine shares: the pool and the in-process wake-ups that sit beside the tables. */
export interface EngineContext {
  readonly pool: pg.Pool;
  readonly matching: TaskQueues;
  readonly watchers: RunWatchers;
  readonly queries: QueryTasks;
  readonly scheduler: Scheduler;
  readonly namespaces: Namespaces;
  log(message: string, err?: unknown): void;
}
