import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleTestWorkflows, replayEveryHistory, startEngineTest, type EngineTestContext } from './support';

let t: EngineTestContext;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleTestWorkflows();
  t = await startEngineTest('engine_search', bundle, { searchAttributes: { DocumentStatus: 'Keyword', Priority: 'Int' } });
});

afterAll(async () => {
  await t?.stop();
});

const start = (type: string, workflowId: string, args: unknown[] = [], extra: Record<string, unknown> = {}) =>
  t.client.workflow.start(type, { taskQueue: t.taskQueue, workflowId, args, ...extra }).then((h) => {
    return h;
  });

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of t.client.workflow.list({ query })) ids.push(w.workflowId);
  return ids.sort();
}

describe('engine: search attributes, list and count', () => {
  it('lists and counts by upserted and start-time search attributes', async () => {
    const tagged = await start('tagged', 'tagged-1', ['draft']);
    await tagged.result();
    const waiting = await start('sleeper', 'sa-start-1', [60_000], { searchAttributes: { DocumentStatus: ['pending'], Priority: [5] } });
    expect(await listIds(`DocumentStatus = 'draft-done'`)).toEqual(['tagged-1']);
    expect(await listIds(`Priority > 3 AND ExecutionStatus = 'Running'`)).toEqual(['sa-start-1']);
    expect(await listIds(`WorkflowType = 'tagged' OR WorkflowId STARTS_WITH 'sa-'`)).toEqual(['sa-start-1', 'tagged-1']);
    expect((await t.client.workflow.count(`DocumentStatus = 'pending'`)).count).toBe(1);
    const description = await waiting.describe();
    expect(description.searchAttributes.DocumentStatus).toEqual(['pending']);
    await waiting.terminate('done');
    expect(await listIds(`ExecutionStatus = 'Terminated'`)).toEqual(['sa-start-1']);
  });

  it('rejects a list query it cannot run with INVALID_ARGUMENT', async () => {
    const err = await listIds(`Nope = 1`).catch((e) => e);
    expect(err.cause?.code ?? err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.cause?.details).toMatch(/Nope/);
  });

  it('refuses unregistered search attributes at start, and fails the workflow task that upserts one until it is registered', async () => {
    const startErr = await start('sleeper', 'sa-bad-1', [1], { searchAttributes: { NotRegistered: ['x'] } }).catch((e) => e);
    expect(startErr.cause?.code ?? startErr.code).toBe(status.INVALID_ARGUMENT);

    const handle = await start('untagged', 'sa-bad-2');
    for (let i = 0; ; i++) {
      const events = (await handle.fetchHistory()).events!;
      const failed = events.find((e) => e.workflowTaskFailedEventAttributes);
      if (failed) {
        expect(failed.workflowTaskFailedEventAttributes!.cause).toBe(23 /* BAD_SEARCH_ATTRIBUTES */);
        break;
      }
      if (i > 200) throw new Error('workflow task never failed');
      await new Promise((r) => setTimeout(r, 25));
    }
    await t.connection.operatorService.addSearchAttributes({ namespace: 'default', searchAttributes: { NotRegistered: 2 } });
    const listed = await t.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(listed.customAttributes).sort()).toEqual(['DocumentStatus', 'NotRegistered', 'Priority']);
    expect(await handle.result()).toBe('upserted');
    expect(await listIds(`NotRegistered = 'x'`)).toEqual(['sa-bad-2']);
  });
});

describe('engine: reset', () => {
  /** ResetWorkflowExecution as an operator tool sends it; resolves with the new run id. */
  const reset = async (workflowId: string, runId: string, eventId: number, reapply = true): Promise<{ runId: string }> => {
    const response = await t.client.workflowService.resetWorkflowExecution({
      namespace: 'default',
      workflowExecution: { workflowId, runId },
      reason: 'chạy lại từ bước này',
      workflowTaskFinishEventId: eventId as never,
      requestId: randomUUID(),
      resetReapplyType: reapply ? 1 : 2,
    });
    return { runId: (response as { runId: string }).runId };
  };

  const firstTaskCompleted = async (workflowId: string, runId: string) => {
    const events = (await t.client.workflow.getHandle(workflowId, runId).fetchHistory()).events!;
    return Number(events.find((e) => e.workflowTaskCompletedEventAttributes)!.eventId);
  };

  it('resets a completed workflow to its first task: a new run replays the steps and reapplies the signal', async () => {
    const handle = await start('resettable', 'reset-1');
    await handle.signal('approve', 'A');
    expect(await handle.result()).toBe('Xin chào, one|Xin chào, A');
    const { runId } = await reset('reset-1', handle.firstExecutionRunId, await firstTaskCompleted('reset-1', handle.firstExecutionRunId));
    const newRun = t.client.workflow.getHandle('reset-1', runId);
    expect(await newRun.result()).toBe('Xin chào, one|Xin chào, A');
    const events = (await newRun.fetchHistory()).events!;
    expect(events.find((e) => e.workflowTaskFailedEventAttributes)!.workflowTaskFailedEventAttributes!.cause).toBe(20 /* RESET_WORKFLOW */);
  });

  it('resets a running workflow: the old run is terminated, the new one waits again without the signal', async () => {
    const handle = await start('resettable', 'reset-2');
    await handle.signal('approve', 'B');
    await handle.result();
    const again = await start('resettable', 'reset-3');
    for (;;) {
      const events = (await again.fetchHistory()).events!;
      if (events.some((e) => e.activityTaskCompletedEventAttributes)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const { runId } = await reset('reset-3', again.firstExecutionRunId, await firstTaskCompleted('reset-3', again.firstExecutionRunId), false);
    expect((await t.client.workflow.getHandle('reset-3', again.firstExecutionRunId).describe()).status.name).toBe('TERMINATED');
    const current = t.client.workflow.getHandle('reset-3');
    expect((await current.describe()).runId).toBe(runId);
    await current.signal('approve', 'C');
    expect(await current.result()).toBe('Xin chào, one|Xin chào, C');
  });

  it('refuses a reset point that is not the end of a workflow task', async () => {
    const handle = await start('greeting', 'reset-4', ['x']);
    await handle.result();
    const err = await reset('reset-4', handle.firstExecutionRunId, 1).catch((e) => e);
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toMatch(/WorkflowTaskFinishEventId/);
  });

  it('records histories that replay cleanly with the SDK, every run of this file', async () => {
    const { count, failures } = await replayEveryHistory(t.client, bundle);
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(3);
  });
});
