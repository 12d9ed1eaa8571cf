import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import pg from 'pg';
import { startEngine } from '../../engine/index';
import { bundleTestWorkflows, replayEveryHistory, startEngineTest, type EngineTestContext } from './support';

let t: EngineTestContext;
let bundle: WorkflowBundleWithSourceMap;
/** What the engine reported through its log option (it runs on its own thread; its calls travel back here). */
const logged: { message: string; err: unknown }[] = [];

beforeAll(async () => {
  bundle = await bundleTestWorkflows();
  t = await startEngineTest('engine_basics', bundle, { log: (message, err) => logged.push({ message, err }) });
});

afterAll(async () => {
  await t?.stop();
});

describe('engine: workflows and activities end to end', () => {
  it('runs a workflow that calls an activity and returns its result', async () => {
    const handle = await t.client.workflow.start('greeting', { taskQueue: t.taskQueue, workflowId: 'greet-1', args: ['Hà Nội'] });
    expect(await handle.result()).toBe('Xin chào, Hà Nội');
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.type).toBe('greeting');
    expect(description.taskQueue).toBe(t.taskQueue);
  });

  it('runs five sequential activities', async () => {
    const handle = await t.client.workflow.start('fiveSteps', { taskQueue: t.taskQueue, workflowId: 'five-1' });
    expect(await handle.result()).toBe(15);
    const history = await handle.fetchHistory();
    const types = history.events!.map((e) => e.eventType);
    expect(types.filter((x) => x === 12 /* ActivityTaskCompleted */)).toHaveLength(5);
  });

  it('keeps serving when its database connections are cut (PostgreSQL restarting), with no crash', async () => {
    const running = await t.client.workflow.start('approval', { taskQueue: t.taskQueue, workflowId: 'cut-1' });
    // Cut while a burst of workflows is in flight, so connections break both idle and in the middle of a query.
    const burst = Array.from({ length: 10 }, (_, i) =>
      t.client.workflow.start('fiveSteps', { taskQueue: t.taskQueue, workflowId: `cut-burst-${i}` }),
    );
    // Starts cut off in the middle get UNAVAILABLE, which the client retries: every one must be accepted.
    const started = Promise.all(burst);
    const admin = new pg.Client(t.databaseUrl);
    await admin.connect();
    try {
      let cut = 0;
      for (let round = 0; round < 5; round++) {
        const { rowCount } = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        cut += rowCount ?? 0;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(cut).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    for (const handle of await started) expect(await handle.result()).toBe(15);
    // The connections the engine held are gone; its next calls must open new ones and carry on.
    const handle = await t.client.workflow.start('fiveSteps', { taskQueue: t.taskQueue, workflowId: 'after-cut-1' });
    expect(await handle.result()).toBe(15);
    await running.signal('approve', 'văn thư');
    expect(await running.result()).toBe('untitled approved by văn thư');
    const lost = logged.find((entry) => entry.message === 'database connection lost');
    expect(lost?.err).toBeInstanceOf(Error);
    expect((lost?.err as Error).message).toMatch(/terminat/);
  });

  it('refuses to start with a bad option, naming it', async () => {
    await expect(startEngine({ databaseUrl: t.databaseUrl, schema: 'engine; drop' })).rejects.toThrow('invalid engine schema name: engine; drop');
    await expect(startEngine({ databaseUrl: t.databaseUrl, searchAttributes: { Urgency: 'Colour' } })).rejects.toThrow(
      'search attribute Urgency: unknown type Colour',
    );
  });

  it('rejects a second start with a running workflow id, and honours USE_EXISTING', async () => {
    const handle = await t.client.workflow.start('approval', { taskQueue: t.taskQueue, workflowId: 'dup-1' });
    await expect(t.client.workflow.start('approval', { taskQueue: t.taskQueue, workflowId: 'dup-1' })).rejects.toBeInstanceOf(
      WorkflowExecutionAlreadyStartedError,
    );
    const again = await t.client.workflow.start('approval', {
      taskQueue: t.taskQueue,
      workflowId: 'dup-1',
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    expect(again.firstExecutionRunId).toBe(handle.firstExecutionRunId);
    await handle.signal('approve', 'chuyên viên');
    expect(await handle.result()).toBe('untitled approved by chuyên viên');
  });

  it('applies the id reuse policy once the first run is closed', async () => {
    const first = await t.client.workflow.start('greeting', { taskQueue: t.taskQueue, workflowId: 'reuse-1', args: ['a'] });
    await first.result();
    await expect(
      t.client.workflow.start('greeting', { taskQueue: t.taskQueue, workflowId: 'reuse-1', args: ['b'], workflowIdReusePolicy: 'REJECT_DUPLICATE' }),
    ).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    const second = await t.client.workflow.start('greeting', { taskQueue: t.taskQueue, workflowId: 'reuse-1', args: ['b'] });
    expect(second.firstExecutionRunId).not.toBe(first.firstExecutionRunId);
    expect(await second.result()).toBe('Xin chào, b');
  });

  it('reports a failing workflow as WorkflowFailedError with the application failure', async () => {
    const handle = await t.client.workflow.start('failing', { taskQueue: t.taskQueue, workflowId: 'fail-1' });
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause.message).toBe('document rejected');
    expect((await handle.describe()).status.name).toBe('FAILED');
  });

  it('records histories that replay cleanly with the SDK, every run of this file', async () => {
    const { count, failures } = await replayEveryHistory(t.client, bundle);
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(3);
  });
});
