/** Shared set-up of the engine tests: an engine on a fresh database, the real SDK client and worker. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
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
  histories: HistoryRecorder;
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
  const histories = new HistoryRecorder(client);
  return {
    engine,
    databaseUrl,
    connection,
    client,
    worker,
    taskQueue,
    histories,
    async stop() {
      worker.shutdown();
      await running.catch(() => {});
      await nativeConnection.close();
      await connection.close();
      await engine.stop();
    },
  };
}

/** Collects the histories a test file produced, to replay them all with the real SDK at the end. */
export class HistoryRecorder {
  private readonly handles: { workflowId: string; runId?: string }[] = [];

  constructor(private readonly client: Client) {}

  /** A started handle stands for its first run; pass { workflowId, runId } for a later run. */
  add(handle: WorkflowHandle | { workflowId: string; runId?: string }) {
    const runId = 'firstExecutionRunId' in handle ? (handle.firstExecutionRunId as string) : 'runId' in handle ? handle.runId : undefined;
    this.handles.push({ workflowId: handle.workflowId, runId });
  }

  async fetchAll(): Promise<{ workflowId: string; history: temporal.api.history.v1.IHistory }[]> {
    const out = [];
    for (const h of this.handles) {
      const history = await this.client.workflow.getHandle(h.workflowId, h.runId).fetchHistory();
      out.push({ workflowId: h.workflowId, history });
    }
    return out;
  }

  /** Replays every recorded history; returns the failures (empty when all replay cleanly). */
  async replayAll(bundle: WorkflowBundleWithSourceMap): Promise<string[]> {
    const histories = await this.fetchAll();
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    return failures;
  }

  get count() {
    return this.handles.length;
  }
}
