/** Shared set-up of the engine tests: an engine on a fresh database, the real SDK client and worker. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startEngine, type EngineHandle, type EngineOptions } from '../../engine/index';
import { createTestDatabase } from '../support/database';
import { createEngineTestActivities } from './activities';
import type { temporal } from '@temporalio/proto';

const here = path.dirname(fileURLToPath(import.meta.url));

let runtimeInstalled = false;
/** The SDK's native runtime logs to the console by default; tests only want warnings and errors. */
export function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new (class {
    log() {}
    trace() {}
    debug() {}
    info() {}
    warn(message: string) {
      process.stderr.write(`[sdk] ${message}\n`);
    }
    error(message: string) {
      process.stderr.write(`[sdk] ${message}\n`);
    }
  })() as never });
}

export function bundleTestWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: path.join(here, 'workflows/index.ts'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never });
}

export interface EngineTestContext {
  engine: EngineHandle;
  databaseUrl: string;
  connection: Connection;
  client: Client;
  worker: Worker;
  taskQueue: string;
  stop(): Promise<void>;
}

/** Engine + client + one running worker on `taskQueue`, for one test file. */
export async function startEngineTest(
  prefix: string,
  bundle: WorkflowBundleWithSourceMap,
  options: Partial<EngineOptions> & { journal?: string } = {},
): Promise<EngineTestContext> {
  quietRuntime();
  const databaseUrl = await createTestDatabase(prefix);
  const engine = await startEngine({ databaseUrl, ...options });
  const connection = await Connection.connect({ address: engine.address });
  const client = new Client({ connection });
  const taskQueue = `${prefix}-queue`;
  const nativeConnection = await NativeConnection.connect({ address: engine.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createEngineTestActivities({ journal: options.journal }),
  });
  const running = worker.run();
  return {
    engine,
    databaseUrl,
    connection,
    client,
    worker,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running.catch(() => {});
      await nativeConnection.close();
      await connection.close();
      await engine.stop();
    },
  };
}

/**
 * Replays the history of every run the engine holds (listed through ListWorkflowExecutions) with the real
 * SDK; returns how many were replayed and the failures (empty when all replay cleanly).
 */
export async function replayEveryHistory(client: Client, bundle: WorkflowBundleWithSourceMap): Promise<{ count: number; failures: string[] }> {
  const histories: { workflowId: string; history: temporal.api.history.v1.IHistory }[] = [];
  for await (const execution of client.workflow.list()) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    // The replayed code sees this id as workflowInfo().workflowId, so it must be the real one.
    histories.push({ workflowId: execution.workflowId, history });
  }
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  return { count: histories.length, failures };
}
