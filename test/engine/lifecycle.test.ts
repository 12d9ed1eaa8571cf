import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WithStartWorkflowOperation, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { CancelledFailure, TerminatedFailure } from '@temporalio/common';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleTestWorkflows, replayEveryHistory, startEngineTest, type EngineTestContext } from './support';

let t: EngineTestContext;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleTestWorkflows();
  t = await startEngineTest('engine_lifecycle', bundle);
});

afterAll(async () => {
  await t?.stop();
});

const start = (type: string, workflowId: string, args: unknown[] = []) =>
  t.client.workflow.start(type, { taskQueue: t.taskQueue, workflowId, args }).then((h) => {
    return h;
  });

const waitForStatus = async (workflowId: string, status: string) => {
  for (let i = 0; i < 100; i++) {
    const d = await t.client.workflow.getHandle(workflowId).describe();
    if (d.status.name === status) return d;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${workflowId} never reached ${status}`);
};

describe('engine: updates', () => {
  it('runs the validator, applies an accepted update and returns its result', async () => {
    const handle = await start('approval', 'update-1');
    expect(await handle.executeUpdate('setTitle', { args: ['Công văn 12/UBND'] })).toBe('untitled');
    expect(await handle.query('status')).toBe('waiting: Công văn 12/UBND');
    const rejected = await handle.executeUpdate('setTitle', { args: ['  '] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(rejected).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((rejected as WorkflowUpdateFailedError).cause?.message).toBe('title must not be empty');
    // A rejected update leaves no event behind.
    const events = (await handle.fetchHistory()).events!;
    expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
    expect(events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes)).toHaveLength(1);
    await handle.signal('approve', 'văn thư');
    expect(await handle.result()).toBe('Công văn 12/UBND approved by văn thư');
  });

  it('starts an update, then waits for its result through the handle', async () => {
    const handle = await start('approval', 'update-2');
    const update = await handle.startUpdate('setTitle', { args: ['Tờ trình'], waitForStage: 'ACCEPTED' });
    expect(await update.result()).toBe('untitled');
    const again = handle.getUpdateHandle<string>(update.updateId);
    expect(await again.result()).toBe('untitled');
    await handle.signal('approve', 'x');
    await handle.result();
  });

  it('runs concurrent updates each exactly once', async () => {
    const handle = await start('approval', 'update-3');
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((title) => handle.executeUpdate('setTitle', { args: [title] })));
    expect(new Set(results).size).toBe(4);
    const events = (await handle.fetchHistory()).events!;
    expect(events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes)).toHaveLength(4);
    await handle.signal('approve', 'x');
    await handle.result();
  });

  it('update-with-start starts the workflow, then updates the running one', async () => {
    const withStart = () =>
      new WithStartWorkflowOperation('approval', { workflowId: 'uws-1', taskQueue: t.taskQueue, workflowIdConflictPolicy: 'USE_EXISTING' });
    const first = withStart();
    expect(await t.client.workflow.executeUpdateWithStart('setTitle', { args: ['Quyết định'], startWorkflowOperation: first })).toBe('untitled');
    const handle = await first.workflowHandle();
    const second = withStart();
    expect(await t.client.workflow.executeUpdateWithStart('setTitle', { args: ['Quyết định 2'], startWorkflowOperation: second })).toBe('Quyết định');
    expect((await (await second.workflowHandle()).describe()).runId).toBe((await handle.describe()).runId);
    await handle.signal('approve', 'x');
    expect(await handle.result()).toBe('Quyết định 2 approved by x');
  });
});

describe('engine: cancel and terminate', () => {
  it('cancels a workflow, which runs its cleanup activity before it ends as cancelled', async () => {
    const handle = await start('cancellable', 'cancel-1');
    await waitForStatus('cancel-1', 'RUNNING');
    await new Promise((r) => setTimeout(r, 200));
    await handle.cancel();
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(CancelledFailure);
    const events = (await handle.fetchHistory()).events!;
    expect(events.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
    expect(events.some((e) => e.activityTaskCompletedEventAttributes)).toBe(true);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
  });

  it('terminates a workflow with a reason', async () => {
    const handle = await start('sleeper', 'terminate-1', [60_000]);
    await handle.terminate('hồ sơ bị hủy');
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(TerminatedFailure);
    expect(err.message).toBe('hồ sơ bị hủy');
    expect((await handle.describe()).status.name).toBe('TERMINATED');
    await expect(handle.terminate('again')).rejects.toThrow(/already completed/);
  });
});

describe('engine: child workflows and continue-as-new', () => {
  it('returns a child result to its parent', async () => {
    const handle = await start('parent', 'parent-1', ['con']);
    expect(await handle.result()).toBe('parent got: Xin chào, con');
    const child = await t.client.workflow.getHandle('parent-1-child').describe();
    expect(child.parentExecution?.workflowId).toBe('parent-1');
  });

  it('reports a failing child to its parent', async () => {
    const handle = await start('failingChildParent', 'parent-2');
    expect(await handle.result()).toBe('child failed: document rejected');
  });

  it('terminates a child when its parent closes under TERMINATE, keeps it under ABANDON', async () => {
    const terminating = await start('abandoningParent', 'parent-3', ['TERMINATE']);
    await terminating.result();
    await waitForStatus('parent-3-child', 'TERMINATED');
    const abandoning = await start('abandoningParent', 'parent-4', ['ABANDON']);
    await abandoning.result();
    expect((await t.client.workflow.getHandle('parent-4-child').describe()).status.name).toBe('RUNNING');
    await t.client.workflow.getHandle('parent-4-child').terminate('test over');
  });

  it('cancels a child from its parent', async () => {
    const handle = await start('cancelChildParent', 'parent-5');
    expect(await handle.result()).toBe('child cancelled');
    expect((await t.client.workflow.getHandle('parent-5-child').describe()).status.name).toBe('CANCELLED');
  });

  it('continues as new, and the client follows the runs to the last result', async () => {
    const handle = await start('counter', 'counter-1', [0, 3]);
    expect(await handle.result()).toBe(3);
    const last = await t.client.workflow.getHandle('counter-1').describe();
    expect(last.runId).not.toBe(handle.firstExecutionRunId);
    expect(last.status.name).toBe('COMPLETED');
    expect((await t.client.workflow.getHandle('counter-1', handle.firstExecutionRunId).describe()).status.name).toBe('CONTINUED_AS_NEW');
  });

  it('records histories that replay cleanly with the SDK, every run of this file', async () => {
    const { count, failures } = await replayEveryHistory(t.client, bundle);
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(3);
  });
});
