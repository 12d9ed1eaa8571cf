import { status as GrpcStatus } from '@grpc/grpc-js';
import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { createApp } from '../api/app';
import { createDb, migrateToLatest } from '../db/database';
import type { AppConfig } from './config';
import { setUpDemo } from './demo-setup';
import { startEmbeddedDatabase, EMBEDDED_DATABASE } from './embedded-database';
import { startEmbeddedEngine } from './embedded-engine';
import type { Logger } from './logger';
import { ensureMaintenanceRunning } from './maintenance-client';
import { removeRuntimeFile, writeRuntimeFile, type RuntimeInfo } from './runtime-file';
import { ShutdownStack } from './shutdown';
import { connectTemporal } from './temporal-connection';
import { installTemporalRuntime } from './temporal-runtime';
import { listen } from './web-server';
import { bundleWorkflows, startWorker } from './worker';

export interface StartSystemOptions {
  config: AppConfig;
  logger: Logger;
  /** Writes to the terminal (not the log): the URL and the demo passwords. */
  print: (text: string) => void;
  /** Aborting stops the start between two steps and undoes what was started. */
  signal?: AbortSignal;
}

export interface RunningSystem {
  url: string;
  /** Settles if a part fails on its own after the start (the worker); the process should then stop. */
  failure: Promise<Error>;
  /** Stops everything in reverse order of start, each step bounded in time; true when all stopped cleanly. */
  stop(): Promise<boolean>;
}

/**
 * Brings the whole system up in one process tree: PostgreSQL (embedded unless DATABASE_URL), migrations, the
 * demo seed and its test certificates (SEED_DEMO), the engine (embedded unless TEMPORAL_ADDRESS), the Temporal
 * client and worker, the maintenance workflow and the web server. A failure or an abort part-way stops whatever had started.
 */
export async function startSystem({ config, logger, print, signal }: StartSystemOptions): Promise<RunningSystem> {
  const stack = new ShutdownStack(logger);
  const step = () => signal?.throwIfAborted();
  // Bundling is CPU work of a few seconds that needs nothing else: overlap it with the database's start.
  const bundling = bundleWorkflows(logger);
  bundling.catch(() => {}); // awaited below; a start that fails before then must not leave it unhandled
  try {
    let databaseUrl = config.databaseUrl;
    let runtime: RuntimeInfo | undefined;
    if (databaseUrl === undefined) {
      const pg = await startEmbeddedDatabase(config.dataDir, logger);
      stack.push('embedded PostgreSQL', pg.stop, 20_000);
      databaseUrl = pg.url;
      runtime = { pid: process.pid, startedAt: new Date().toISOString(), postgresPort: pg.port, database: EMBEDDED_DATABASE };
      await writeRuntimeFile(config.dataDir, runtime);
      stack.push('runtime file', () => removeRuntimeFile(config.dataDir));
      logger.info({ port: pg.port, dataDir: config.dataDir }, 'embedded PostgreSQL running');
    }
    step();

    const db = createDb(databaseUrl, {
      onIdleConnectionError: (err) => logger.warn({ reason: err.message }, 'idle database connection lost'),
    });
    stack.push('database pool', () => db.destroy());
    await migrateToLatest(db);
    await setUpDemo({ config, db, logger, print });
    step();

    let temporalAddress = config.temporal.address;
    if (temporalAddress === undefined) {
      const engine = await startEmbeddedEngine(config, databaseUrl, logger);
      stack.push('embedded engine', engine.stop, 10_000);
      temporalAddress = engine.address;
    }
    step();

    installTemporalRuntime(logger);
    const temporal = await connectTemporal(config, temporalAddress);
    stack.push('Temporal connections', temporal.close);
    if (config.temporal.address === undefined) await ensureNamespace(temporal.client, config.temporal.namespace);
    const workflowBundle = await bundling;
    step();
    const worker = await startWorker({
      connection: temporal.workerConnection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowBundle,
      activityDeps: { db },
    });
    stack.push('worker', worker.stop, 15_000);
    const failure = worker.done.then(
      () => new Error('the worker stopped on its own'),
      (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
    );
    const maintenanceRunId = await ensureMaintenanceRunning(temporal.client, config.temporal.taskQueue);
    logger.info({ runId: maintenanceRunId }, 'maintenance workflow running');
    step();

    const app = createApp({ config, db, logger, temporal: { client: temporal.client, namespace: config.temporal.namespace } });
    const server = await listen(app, config.host, config.port);
    stack.push('web server', () => server.stop(5_000), 10_000);
    if (runtime) await writeRuntimeFile(config.dataDir, { ...runtime, engineAddress: temporalAddress, url: server.url });
    print(`Liên Thông đang chạy tại / is running at ${server.url}   (Ctrl-C để dừng / to stop)`);

    return { url: server.url, failure, stop: () => stack.stopAll() };
  } catch (err) {
    await stack.stopAll();
    throw err;
  }
}

/** The embedded engine has `default` from its first start; any other namespace is registered on first use. */
async function ensureNamespace(client: Client, namespace: string): Promise<void> {
  if (namespace === 'default') return;
  try {
    await client.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('30 days') });
  } catch (err) {
    if ((err as { code?: number }).code !== GrpcStatus.ALREADY_EXISTS) throw err;
  }
}
