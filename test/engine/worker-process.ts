/** A worker in its own process, for the durability test to kill with SIGKILL in the middle of an activity. */
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngineTestActivities } from './activities';

Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never });
const connection = await NativeConnection.connect({ address: process.env.ENGINE_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.TASK_QUEUE!,
  workflowsPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'workflows/index.ts'),
  activities: createEngineTestActivities({ journal: process.env.JOURNAL }),
});
process.stdout.write('worker running\n');
await worker.run();
