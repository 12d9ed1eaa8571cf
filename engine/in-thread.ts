/**
 * The engine itself, run on the calling thread: gRPC server, matching, timers and the database pool.
 * `startEngine` in ./index runs it on a worker thread of its own.
 */
import * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import { root } from './proto';
import type { EngineContext } from './context';
import { createSchema } from './store/schema';
import { Namespaces } from './store/namespaces';
import { TaskQueues } from './matching/task-queues';
import { RunWatchers } from './matching/run-watchers';
import { QueryTasks } from './matching/query-tasks';
import { Scheduler } from './timers/scheduler';
import { handleTimer } from './timers/handlers';
import { implement, serviceDefinition } from './server/grpc';
import { workerHandlers } from './server/worker-handlers';
import { clientHandlers } from './server/client-handlers';
import { namespaceHandlers, operatorHandlers } from './server/namespace-handlers';
import { visibilityHandlers } from './server/visibility-handlers';
import { healthService, SERVING } from './server/health';
import { INDEXED_VALUE_TYPES } from './history/search-attributes';

export interface EngineOptions {
  /** PostgreSQL connection string; the engine keeps all its state in its own schema there. */
  databaseUrl: string;
  /** host:port to listen on for gRPC; port 0 picks a free one. Default 127.0.0.1:0. */
  listen?: string;
  /** Schema holding the engine's tables. Default `engine`. */
  schema?: string;
  /**
   * Custom search attributes registered in namespace `default` at start (name -> Keyword, Text, Int,
   * Double, Bool, Datetime or KeywordList), like the dev server's --search-attribute flag.
   */
  searchAttributes?: Record<string, string>;
  /** Where the engine reports faults it recovers from; default: a line on stderr. Never given payloads. */
  log?: EngineLog;
}

export type EngineLog = (message: string, err?: unknown) => void;

export interface EngineHandle {
  /** host:port that clients and workers connect to. */
  readonly address: string;
  /** Stops accepting calls, ends long polls, closes the database pool. */
  stop(): Promise<void>;
}

export async function startEngineOnThisThread(options: EngineOptions): Promise<EngineHandle> {
  const schema = options.schema ?? 'engine';
  if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new Error(`invalid engine schema name: ${schema}`);
  const attributes = new Map<string, number>();
  for (const [name, typeName] of Object.entries(options.searchAttributes ?? {})) {
    const type = INDEXED_VALUE_TYPES[typeName];
    if (!type) throw new Error(`search attribute ${name}: unknown type ${typeName}`);
    attributes.set(name, type);
  }
  // Pipelined connections send a transaction's statements back to back instead of one round trip each.
  const log = options.log ?? logToStderr;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 20, options: `-c search_path=${schema}`, pipeline: true } as pg.PoolConfig);
  const stopping = new AbortController();
  // A connection that breaks (PostgreSQL restarting or stopping) must fail its query, never the process: the
  // pool listens on idle clients only, so every client gets its own listener; once stopping, it is expected.
  const connectionLost = (err: Error) => {
    if (!stopping.signal.aborted) log('database connection lost', err);
  };
  pool.on('error', connectionLost);
  pool.on('connect', (client) => client.on('error', connectionLost));
  const matching = new TaskQueues();
  const scheduler = new Scheduler(handleTimer);
  const ctx: EngineContext = {
    pool,
    matching,
    watchers: new RunWatchers(),
    queries: new QueryTasks(matching),
    scheduler,
    namespaces: new Namespaces(pool),
    log,
  };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 128 * 1024 * 1024 });
  try {
    await createSchema(pool, schema);
    await ctx.namespaces.ensure('default');
    if (attributes.size) await ctx.namespaces.addAttributes('default', attributes);
    scheduler.start(ctx);

    const workflowService = root.lookupService('temporal.api.workflowservice.v1.WorkflowService');
    const operatorService = root.lookupService('temporal.api.operatorservice.v1.OperatorService');
    server.addService(
      serviceDefinition(workflowService),
      implement(
        { ...namespaceHandlers(ctx), ...clientHandlers(ctx), ...workerHandlers(ctx), ...visibilityHandlers(ctx) },
        stopping.signal,
        log,
      ),
    );
    server.addService(serviceDefinition(operatorService), implement(operatorHandlers(ctx), stopping.signal, log));
    server.addService(serviceDefinition(healthService), implement({ Check: async () => ({ status: SERVING }) }, stopping.signal, log));
    const listen = options.listen ?? '127.0.0.1:0';
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const host = listen.slice(0, listen.lastIndexOf(':'));
    let stopped: Promise<void> | undefined;
    return {
      address: `${host}:${port}`,
      stop: () =>
        (stopped ??= (async () => {
          stopping.abort();
          await new Promise<void>((resolve) => {
            const force = setTimeout(() => {
              server.forceShutdown();
              resolve();
            }, 3000);
            server.tryShutdown(() => {
              clearTimeout(force);
              resolve();
            });
          });
          await scheduler.stop();
          await pool.end();
        })()),
    };
  } catch (err) {
    stopping.abort();
    server.forceShutdown();
    await scheduler.stop().catch(() => {});
    await pool.end().catch(() => {});
    throw err;
  }
}

function logToStderr(message: string, err?: unknown) {
  const detail = err instanceof Error ? `: ${err.message}` : err ? `: ${String(err)}` : '';
  process.stderr.write(`[engine] ${message}${detail}\n`);
}
