import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTestDatabase } from '../support/database';
import { createEngineTestActivities } from './activities';
import { bundleTestWorkflows, quietRuntime, replayEveryHistory } from './support';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** `npm run engine` as a child process on the test's database, resolved once it listens. */
async function startEngineProcess(databaseUrl: string, listen: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], {
    cwd: root,
    // A plain environment: what `npm run engine` gets, without the test runner's variables.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, ENGINE_LISTEN: listen },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('engine listening')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`engine exited early with ${code}`)));
  });
  return child;
}

let bundle: WorkflowBundleWithSourceMap;
let databaseUrl: string;
let listen: string;
let engine: ChildProcess | undefined;
let journalDir: string;

beforeAll(async () => {
  quietRuntime();
  bundle = await bundleTestWorkflows();
  databaseUrl = await createTestDatabase('engine_durability');
  listen = `127.0.0.1:${await freePort()}`;
  journalDir = await mkdtemp(path.join(tmpdir(), 'engine-journal-'));
});

afterAll(async () => {
  if (engine && engine.exitCode === null) {
    engine.kill('SIGTERM');
    await new Promise((r) => engine!.once('exit', r));
  }
  await rm(journalDir, { recursive: true, force: true });
});

/** A worker in this process polling `taskQueue` on the engine; stop() shuts it down and closes its connection. */
async function startWorker(taskQueue: string, journal: string): Promise<{ stop(): Promise<void> }> {
  const nativeConnection = await NativeConnection.connect({ address: listen });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createEngineTestActivities({ journal }),
  });
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running.catch(() => {});
      await nativeConnection.close();
    },
  };
}

describe('engine: durability across SIGKILL', () => {
  it('finishes a workflow whose timer and activity were pending when the server was killed, each activity once', async () => {
    const journal = path.join(journalDir, 'steps.log');
    engine = await startEngineProcess(databaseUrl, listen);
    const connection = await Connection.connect({ address: listen });
    const client = new Client({ connection });
    const worker = await startWorker('durability', journal);
    try {
      const handle = await client.workflow.start('durable', { taskQueue: 'durability', workflowId: 'durable-1' });
      // Wait until the second activity runs and the timer is pending, then kill the server outright.
      for (;;) {
        const d = await handle.describe();
        const events = (await handle.fetchHistory()).events!;
        const timerPending = events.some((e) => e.timerStartedEventAttributes) && !events.some((e) => e.timerFiredEventAttributes);
        if (timerPending && d.raw.pendingActivities?.[0]?.state === 2 /* STARTED */) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      engine.kill('SIGKILL');
      await new Promise((r) => engine!.once('exit', r));
      // Down for longer than the timer has left: it falls due during the outage.
      await new Promise((r) => setTimeout(r, 1800));
      engine = await startEngineProcess(databaseUrl, listen);

      expect(await handle.result()).toBe('first+second+third');
      const lines = (await readFile(journal, 'utf8')).trim().split('\n');
      expect(lines.sort()).toEqual(['first', 'second', 'third']);
      const events = (await handle.fetchHistory()).events!;
      expect(events.filter((e) => e.timerFiredEventAttributes)).toHaveLength(1);
      expect(events.filter((e) => e.activityTaskCompletedEventAttributes)).toHaveLength(3);

      expect((await replayEveryHistory(client, bundle)).failures).toEqual([]);
    } finally {
      await worker.stop();
      await connection.close();
    }
  });

  it('retries an activity whose worker was killed, on another worker, after its start-to-close timeout', async () => {
    const journal = path.join(journalDir, 'handover.log');
    const workerProcess = spawn(process.execPath, ['--import', 'tsx', 'test/engine/worker-process.ts'], {
      cwd: root,
      env: { ...process.env, ENGINE_ADDRESS: listen, TASK_QUEUE: 'handover', JOURNAL: journal },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      workerProcess.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('worker running') && resolve());
      workerProcess.on('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    });
    const connection = await Connection.connect({ address: listen });
    const client = new Client({ connection });
    const handle = await client.workflow.start('handover', { taskQueue: 'handover', workflowId: 'handover-1' });
    for (;;) {
      const d = await handle.describe();
      if (d.raw.pendingActivities?.[0]?.state === 2 /* STARTED */) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    workerProcess.kill('SIGKILL');
    await new Promise((r) => workerProcess.once('exit', r));

    const worker = await startWorker('handover', journal);
    try {
      expect(await handle.result()).toBe('handover');
      expect((await readFile(journal, 'utf8')).trim().split('\n')).toEqual(['handover']);
      const started = (await handle.fetchHistory()).events!.find((e) => e.activityTaskStartedEventAttributes)!;
      expect(started.activityTaskStartedEventAttributes!.attempt).toBe(2);
      expect(started.activityTaskStartedEventAttributes!.lastFailure?.timeoutFailureInfo).toBeTruthy();
      expect((await replayEveryHistory(client, bundle)).failures).toEqual([]);
    } finally {
      await worker.stop();
      await connection.close();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => engine!.once('exit', (code) => resolve(code)));
    engine!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
