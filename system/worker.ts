import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index';
import type { Logger } from './logger';
import { temporalLogger } from './temporal-runtime';

const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundles the workflow code once (~2 s); every Worker of the process reuses the bundle. */
export async function bundleWorkflows(logger: Logger): Promise<WorkflowBundleWithSourceMap> {
  const started = Date.now();
  // webpack's build report is noise at start; its warnings and errors are not.
  const bundlerLogger = temporalLogger(logger.child({ component: 'workflow-bundler' }, { level: 'warn' }));
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: bundlerLogger });
  logger.info({ ms: Date.now() - started }, 'workflow code bundled');
  return bundle;
}

export interface StartWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  workflowBundle: WorkflowBundleWithSourceMap;
  activityDeps: ActivityDeps;
}

export interface RunningWorker {
  /** Settles when the worker ends; rejects if it fails on its own (the process must then stop). */
  done: Promise<void>;
  /** Stops polling, lets running activities finish within the grace time, then resolves. */
  stop(): Promise<void>;
}

/** Creates the worker for our task queue with every workflow and activity, and starts it. */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: createActivities(options.activityDeps),
    // Bounded stop: activities get a few seconds to finish, then are cancelled and retried after restart.
    shutdownGraceTime: '5 seconds',
    shutdownForceTime: '10 seconds',
  });
  const running = worker.run();
  return {
    done: running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
