import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryNotRegisteredError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/common';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleTestWorkflows, replayEveryHistory, startEngineTest, type EngineTestContext } from './support';

let t: EngineTestContext;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleTestWorkflows();
  t = await startEngineTest('engine_signals', bundle);
});

afterAll(async () => {
  await t?.stop();
});

const start = (type: string, workflowId: string, args: unknown[] = []) => {
  return t.client.workflow.start(type, { taskQueue: t.taskQueue, workflowId, args });
};

describe('engine: signals and queries', () => {
  it('answers queries before and after a signal, and on a closed workflow', async () => {
    const handle = await start('approval', 'approval-1');
    expect(await handle.query('status')).toBe('waiting: untitled');
    await handle.signal('approve', 'trưởng phòng');
    expect(await handle.result()).toBe('untitled approved by trưởng phòng');
    expect(await handle.query('status')).toBe('approved by trưởng phòng');
  });

  it('reports an unknown query type as QueryNotRegisteredError', async () => {
    const handle = await start('approval', 'approval-2');
    await expect(handle.query('nope')).rejects.toBeInstanceOf(QueryNotRegisteredError);
    await handle.signal('approve', 'x');
    await handle.result();
  });

  it('delivers every one of many concurrent signals exactly once', async () => {
    const handle = await start('collector', 'collector-1', [20]);
    await Promise.all(Array.from({ length: 20 }, (_, i) => handle.signal('note', `n${i}`)));
    const notes = await handle.result();
    expect([...notes].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `n${i}`).sort());
  });

  it('signal-with-start starts a workflow, then signals the running one', async () => {
    const first = await t.client.workflow.signalWithStart('collector', {
      taskQueue: t.taskQueue,
      workflowId: 'sws-1',
      args: [2],
      signal: 'note',
      signalArgs: ['một'],
    });
    const second = await t.client.workflow.signalWithStart('collector', {
      taskQueue: t.taskQueue,
      workflowId: 'sws-1',
      args: [2],
      signal: 'note',
      signalArgs: ['hai'],
    });
    expect(second.signaledRunId).toBe(first.signaledRunId);
    expect(await first.result()).toEqual(['một', 'hai']);
  });

  it('lets one workflow signal another', async () => {
    const target = await start('approval', 'signal-target-1');
    const sender = await start('signaller', 'signal-sender-1', ['signal-target-1']);
    expect(await sender.result()).toBe('signalled');
    expect(await target.result()).toBe('untitled approved by workflow khác');
    const events = (await sender.fetchHistory()).events!;
    expect(events.some((e) => e.externalWorkflowExecutionSignaledEventAttributes)).toBe(true);
  });

  it('rejects a signal to an unknown workflow with WorkflowNotFoundError', async () => {
    await expect(t.client.workflow.getHandle('no-such-workflow').signal('approve', 'x')).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });
});

describe('engine: timers, retries and timeouts', () => {
  it('fires a timer after its duration', async () => {
    const started = Date.now();
    const handle = await start('sleeper', 'sleeper-1', [400]);
    expect(await handle.result()).toBe('woke');
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('retries a failing activity with backoff until it succeeds', async () => {
    const handle = await start('flaky', 'flaky-1', [2, false]);
    expect(await handle.result()).toBe('succeeded on attempt 3');
    const history = await handle.fetchHistory();
    // Retries leave no events: one scheduled, one started (attempt 3), one completed.
    const started = history.events!.find((e) => e.activityTaskStartedEventAttributes)!;
    expect(started.activityTaskStartedEventAttributes!.attempt).toBe(3);
    expect(started.activityTaskStartedEventAttributes!.lastFailure?.message).toBe('attempt 2 failed');
  });

  it('does not retry a non-retryable error type', async () => {
    const handle = await start('flaky', 'flaky-2', [3, true]);
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(ActivityFailure);
    expect(err.cause.cause).toBeInstanceOf(ApplicationFailure);
    expect(err.cause.cause.type).toBe('Fatal');
    expect(err.cause.cause.message).toBe('attempt 1 failed');
  });

  it('times out an attempt that outlives start-to-close and retries it', async () => {
    const handle = await start('slowActivity', 'slow-1', [400]);
    expect(await handle.result()).toBe('attempt 2');
  });

  it('fails the activity with a TimeoutFailure once every allowed attempt timed out', async () => {
    const handle = await start('slowActivity', 'slow-2', [150, true]);
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(ActivityFailure);
    expect(err.cause.cause).toBeInstanceOf(TimeoutFailure);
    const history = await handle.fetchHistory();
    const timedOut = history.events!.find((e) => e.activityTaskTimedOutEventAttributes)!;
    expect(timedOut.activityTaskTimedOutEventAttributes!.retryState).toBe(4 /* MAXIMUM_ATTEMPTS_REACHED */);
  });

  it('times out an activity no worker picks up (schedule-to-start)', async () => {
    const err = await (await start('unpolledActivity', 'unpolled-1')).result().catch((e) => e);
    expect(err.cause).toBeInstanceOf(ActivityFailure);
    expect(err.cause.cause).toBeInstanceOf(TimeoutFailure);
    expect(err.cause.cause.timeoutType).toBe('SCHEDULE_TO_START');
  });

  it('times out an activity that stops heartbeating', async () => {
    const err = await (await start('silentActivity', 'silent-1')).result().catch((e) => e);
    expect(err.cause).toBeInstanceOf(ActivityFailure);
    expect(err.cause.cause).toBeInstanceOf(TimeoutFailure);
    expect(err.cause.cause.timeoutType).toBe('HEARTBEAT');
  });

  it('tells a heartbeating activity it was cancelled', async () => {
    const handle = await start('heartbeating', 'heartbeat-1');
    expect(await handle.result()).toBe('activity cancelled');
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.activityTaskCancelRequestedEventAttributes)).toBe(true);
    expect(history.events!.some((e) => e.activityTaskCanceledEventAttributes)).toBe(true);
  });

  it('accepts the result of an activity completed asynchronously by id', async () => {
    const handle = await start('asyncCompletion', 'async-1');
    for (;;) {
      const d = await handle.describe();
      if (d.raw.pendingActivities?.[0]?.state === 2 /* STARTED */) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await t.client.activity.heartbeat({ workflowId: 'async-1', activityId: '1' }, 'đang xử lý');
    await t.client.activity.complete({ workflowId: 'async-1', activityId: '1' }, 'xong');
    expect(await handle.result()).toBe('xong');
    await expect(t.client.activity.complete({ workflowId: 'async-1', activityId: '1' }, 'again')).rejects.toThrow();
  });

  it('times out a workflow run after its run timeout', async () => {
    const handle = await t.client.workflow.start('sleeper', {
      taskQueue: t.taskQueue,
      workflowId: 'run-timeout-1',
      args: [60_000],
      workflowRunTimeout: '500ms',
    });
    const err = await handle.result().catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toBeInstanceOf(TimeoutFailure);
    expect((await handle.describe()).status.name).toBe('TIMED_OUT');
  });

  it('records histories that replay cleanly with the SDK, every run of this file', async () => {
    const { count, failures } = await replayEveryHistory(t.client, bundle);
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(3);
  });
});
