import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { startEngine, type EngineHandle } from '../../engine/index';
import { root } from '../../engine/proto';
import { serviceDefinition } from '../../engine/server/grpc';
import { createTestDatabase } from '../support/database';

type Call = (request: Record<string, unknown>) => Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let engine: EngineHandle;
let raw: grpc.Client;
let wf: Record<string, Call>;

/** A plain grpc-js client of the WorkflowService: requests go out exactly as written, no SDK defaults. */
function rawWorkflowService(address: string): { client: grpc.Client; calls: Record<string, Call> } {
  const definition = serviceDefinition(root.lookupService('temporal.api.workflowservice.v1.WorkflowService'));
  const Ctor = grpc.makeGenericClientConstructor(definition, 'WorkflowService');
  const client = new Ctor(address, grpc.credentials.createInsecure()) as grpc.Client & Record<string, Function>;
  const calls: Record<string, Call> = {};
  for (const name of Object.keys(definition)) {
    calls[name] = (request) =>
      new Promise((resolve, reject) =>
        client[name](request, { deadline: Date.now() + 10_000 }, (err: grpc.ServiceError | null, res: unknown) => (err ? reject(err) : resolve(res))),
      );
  }
  return { client, calls };
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number; details: string }> {
  try {
    await promise;
  } catch (err) {
    return err as grpc.ServiceError;
  }
  throw new Error('expected the call to fail');
}

const startRequest = (overrides: Record<string, unknown> = {}) => ({
  namespace: 'default',
  workflowId: `wf-${randomUUID()}`,
  workflowType: { name: 'anything' },
  taskQueue: { name: 'raw-queue' },
  requestId: randomUUID(),
  identity: 'raw-test',
  ...overrides,
});

beforeAll(async () => {
  engine = await startEngine({ databaseUrl: await createTestDatabase('engine_malformed') });
  ({ client: raw, calls: wf } = rawWorkflowService(engine.address));
});

afterAll(async () => {
  raw?.close();
  await engine?.stop();
});

describe('engine: malformed requests get the status a real server gives', () => {
  it.each([
    [{ workflowId: '' }, 'WorkflowId is not set on request.'],
    [{ workflowType: undefined }, 'WorkflowType is not set on request.'],
    [{ taskQueue: { name: '' } }, 'TaskQueue is not set on request.'],
    [{ requestId: '' }, 'RequestId is not set on request.'],
    [{ workflowRunTimeout: { seconds: -5 } }, 'Invalid WorkflowRunTimeout.'],
    [{ workflowId: 'x'.repeat(1001) }, 'WorkflowId length exceeds limit.'],
    [{ namespace: '' }, 'Namespace is not set on request.'],
    [{ searchAttributes: { indexedFields: { Unknown: { data: Buffer.from('"x"') } } } }, 'Namespace default has no mapping defined for search attribute Unknown'],
  ])('StartWorkflowExecution %j -> INVALID_ARGUMENT', async (overrides, message) => {
    const err = await rejection(wf.StartWorkflowExecution(startRequest(overrides)));
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toBe(message);
  });

  it('answers NOT_FOUND for an unknown namespace or workflow, ALREADY_EXISTS for a duplicate', async () => {
    expect((await rejection(wf.StartWorkflowExecution(startRequest({ namespace: 'nowhere' })))).code).toBe(grpc.status.NOT_FOUND);
    const started = startRequest();
    await wf.StartWorkflowExecution(started);
    const dup = await rejection(wf.StartWorkflowExecution({ ...started, requestId: randomUUID() }));
    expect(dup.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(dup.details).toMatch(/already running/);
    // The same request id again is a retry of the same start, not a duplicate.
    expect((await wf.StartWorkflowExecution(started)).started).toBe(true);
    const missing = await rejection(wf.SignalWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: 'nope' }, signalName: 's' }));
    expect(missing.code).toBe(grpc.status.NOT_FOUND);
    expect((await rejection(wf.DescribeWorkflowExecution({ namespace: 'default', execution: { workflowId: 'nope' } }))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('names the missing field of signal, query, history and update requests', async () => {
    const { workflowId } = startRequest();
    await wf.StartWorkflowExecution(startRequest({ workflowId }));
    const execution = { workflowId };
    const cases: [Promise<unknown>, string][] = [
      [wf.SignalWorkflowExecution({ namespace: 'default', workflowExecution: execution }), 'SignalName is not set on request.'],
      [wf.SignalWorkflowExecution({ namespace: 'default', signalName: 's' }), 'WorkflowExecution is not set on request.'],
      [wf.QueryWorkflow({ namespace: 'default', execution }), 'Query is not set on request.'],
      [wf.QueryWorkflow({ namespace: 'default', execution, query: {} }), 'QueryType is not set on request.'],
      [wf.GetWorkflowExecutionHistory({ namespace: 'default' }), 'Execution is not set on request.'],
      [wf.GetWorkflowExecutionHistory({ namespace: 'default', execution: {} }), 'WorkflowId is not set on request.'],
      [wf.UpdateWorkflowExecution({ namespace: 'default', workflowExecution: execution, request: { input: { name: 'u' } } }), 'Update ID is not set on request.'],
      [wf.ResetWorkflowExecution({ namespace: 'default', workflowExecution: execution, requestId: 'r' }), 'WorkflowTaskFinishEventId is not set on request.'],
      [wf.PollWorkflowTaskQueue({ namespace: 'default', taskQueue: {} }), 'TaskQueue is not set on request.'],
      [wf.RespondWorkflowTaskCompleted({ namespace: 'default' }), 'Task token not set on request.'],
      [wf.RespondActivityTaskCompleted({ namespace: 'default', taskToken: Buffer.from('not a token') }), 'Error deserializing task token.'],
    ];
    for (const [call, message] of cases) {
      const err = await rejection(call);
      expect([err.code, err.details]).toEqual([grpc.status.INVALID_ARGUMENT, message]);
    }
  });

  it('answers FAILED_PRECONDITION to a query before the first workflow task ran', async () => {
    const request = startRequest({ workflowStartDelay: { seconds: 3600 } });
    await wf.StartWorkflowExecution(request);
    const err = await rejection(wf.QueryWorkflow({ namespace: 'default', execution: { workflowId: request.workflowId }, query: { queryType: 'q' } }));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
  });

  it('registers, describes and lists namespaces; a second registration is ALREADY_EXISTS', async () => {
    await wf.RegisterNamespace({ namespace: 'so-noi-vu', workflowExecutionRetentionPeriod: { seconds: 86400 } });
    expect((await rejection(wf.RegisterNamespace({ namespace: 'so-noi-vu' }))).code).toBe(grpc.status.ALREADY_EXISTS);
    expect((await rejection(wf.RegisterNamespace({ namespace: 'bad name!' }))).code).toBe(grpc.status.INVALID_ARGUMENT);
    const described = await wf.DescribeNamespace({ namespace: 'so-noi-vu' });
    expect(described.namespaceInfo.name).toBe('so-noi-vu');
    const listed = await wf.ListNamespaces({});
    expect(listed.namespaces.map((n: { namespaceInfo: { name: string } }) => n.namespaceInfo.name)).toEqual(['default', 'so-noi-vu']);
    expect((await rejection(wf.DescribeNamespace({ namespace: 'missing' }))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('fails a workflow task whose command is invalid, then accepts a good completion exactly once', async () => {
    const request = startRequest({ taskQueue: { name: 'raw-worker' } });
    await wf.StartWorkflowExecution(request);
    const poll = () => wf.PollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: 'raw-worker' }, identity: 'raw' });
    const first = await poll();
    expect(first.workflowExecution.workflowId).toBe(request.workflowId);
    await wf.RespondWorkflowTaskCompleted({
      taskToken: first.taskToken,
      commands: [{ commandType: 1, scheduleActivityTaskCommandAttributes: { activityType: { name: 'a' } } }],
    });
    const second = await poll();
    expect(second.attempt).toBe(2);
    const failed = second.history.events.find((e: { eventType: number }) => e.eventType === 9);
    expect(failed.workflowTaskFailedEventAttributes.cause).toBe(2 /* BAD_SCHEDULE_ACTIVITY_ATTRIBUTES */);
    expect(failed.workflowTaskFailedEventAttributes.failure.message).toBe('ActivityId is not set on command.');
    // The old token is stale now.
    expect((await rejection(wf.RespondWorkflowTaskCompleted({ taskToken: first.taskToken, commands: [] }))).code).toBe(grpc.status.NOT_FOUND);
    await wf.RespondWorkflowTaskCompleted({ taskToken: second.taskToken, commands: [{ commandType: 4, completeWorkflowExecutionCommandAttributes: {} }] });
    expect((await rejection(wf.RespondWorkflowTaskCompleted({ taskToken: second.taskToken, commands: [] }))).code).toBe(grpc.status.NOT_FOUND);
    const described = await wf.DescribeWorkflowExecution({ namespace: 'default', execution: { workflowId: request.workflowId } });
    expect(described.workflowExecutionInfo.status).toBe(2 /* COMPLETED */);
    const history = await wf.GetWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: request.workflowId } });
    expect(history.history.events.map((e: { eventType: number }) => e.eventType)).toEqual([1, 5, 6, 9, 5, 6, 7, 2]);
  });

  it('times out a workflow task whose worker went silent and hands it out again', async () => {
    const request = startRequest({ taskQueue: { name: 'raw-silent' }, workflowTaskTimeout: { seconds: 1 } });
    await wf.StartWorkflowExecution(request);
    const poll = () => wf.PollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: 'raw-silent' }, identity: 'raw' });
    const first = await poll();
    expect(first.attempt).toBe(1);
    const started = Date.now();
    const second = await poll();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(second.attempt).toBe(2);
    const types = second.history.events.map((e: { eventType: number }) => e.eventType);
    expect(types).toEqual([1, 5, 6, 8 /* WorkflowTaskTimedOut */, 5, 6]);
    expect((await rejection(wf.RespondWorkflowTaskCompleted({ taskToken: first.taskToken, commands: [] }))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('buffers a signal that arrives during a workflow task, and refuses to let that task close the workflow', async () => {
    const request = startRequest({ taskQueue: { name: 'raw-buffer' } });
    await wf.StartWorkflowExecution(request);
    const poll = () => wf.PollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: 'raw-buffer' }, identity: 'raw' });
    const first = await poll();
    await wf.SignalWorkflowExecution({ namespace: 'default', workflowExecution: { workflowId: request.workflowId }, signalName: 'late', identity: 'x' });
    // The signal waits in the buffer: the running task's history does not change under it.
    const during = await wf.GetWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: request.workflowId } });
    expect(during.history.events.map((e: { eventType: number }) => e.eventType)).toEqual([1, 5, 6]);
    await wf.RespondWorkflowTaskCompleted({ taskToken: first.taskToken, commands: [{ commandType: 4, completeWorkflowExecutionCommandAttributes: {} }] });
    const second = await poll();
    const types = second.history.events.map((e: { eventType: number }) => e.eventType);
    expect(types).toEqual([1, 5, 6, 9 /* WorkflowTaskFailed: unhandled command */, 26 /* signaled */, 5, 6]);
    await wf.RespondWorkflowTaskCompleted({ taskToken: second.taskToken, commands: [{ commandType: 4, completeWorkflowExecutionCommandAttributes: {} }] });
    const described = await wf.DescribeWorkflowExecution({ namespace: 'default', execution: { workflowId: request.workflowId } });
    expect(described.workflowExecutionInfo.status).toBe(2);
  });

  it('survives undecodable bytes and keeps serving', async () => {
    const err = await rejection(
      new Promise((resolve, reject) =>
        raw.makeUnaryRequest(
          '/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution',
          (b: Buffer) => b,
          (b: Buffer) => b,
          Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]),
          (e, r) => (e ? reject(e) : resolve(r)),
        ),
      ),
    );
    expect(err.code).not.toBe(grpc.status.OK);
    expect((await wf.GetSystemInfo({})).capabilities.sdkMetadata).toBe(true);
  });
});
