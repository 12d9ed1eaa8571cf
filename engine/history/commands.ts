import { randomUUID } from 'node:crypto';
import type { Tx } from './tx';
import type { Run } from './run';
import { invalidScheduleActivity, requestCancelActivity, scheduleActivity, type EagerActivity } from './activities';
import { closeRun, requestCancelRun, signalRun } from './close-run';
import { createRun, startWorkflow, ConflictPolicy } from './start-run';
import { applySearchAttributes, unknownAttributes } from './search-attributes';
import { applyProtocolMessage } from './updates';
import { ServiceError } from '../errors';
import {
  CommandType,
  EventType,
  ExecutionStatus,
  MemoType,
  ParentClosePolicy,
  PayloadType,
  RetryState,
  WorkflowTaskFailedCause,
  durationToMs,
  fromBase64,
  toBase64,
  type Msg,
} from '../proto';

export interface InvalidCommand {
  cause: number;
  message: string;
}

/** Checks the commands before anything is written, so a bad batch fails the task as a whole. */
export function validateCommands(run: Run, commands: Msg[], attributeTypes: Map<string, number>): InvalidCommand | undefined {
  const activityIds = new Set<string>();
  const timerIds = new Set<string>(Object.keys(run.state.timers));
  for (const c of commands) {
    switch (c.commandType) {
      case CommandType.ScheduleActivityTask: {
        const message = invalidScheduleActivity(run, c.scheduleActivityTaskCommandAttributes, activityIds);
        if (message) return { cause: WorkflowTaskFailedCause.BadScheduleActivityAttributes, message };
        break;
      }
      case CommandType.StartTimer: {
        const id = c.startTimerCommandAttributes?.timerId;
        if (!id) return { cause: WorkflowTaskFailedCause.BadStartTimerAttributes, message: 'TimerId is not set on command.' };
        if (timerIds.has(id)) return { cause: WorkflowTaskFailedCause.StartTimerDuplicateId, message: `Timer with ID ${id} already exists.` };
        timerIds.add(id);
        break;
      }
      case CommandType.UpsertWorkflowSearchAttributes: {
        const unknown = unknownAttributes(c.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes?.indexedFields, attributeTypes);
        if (unknown.length) {
          return {
            cause: WorkflowTaskFailedCause.BadSearchAttributes,
            message: `Namespace ${run.namespace} has no mapping defined for search attribute ${unknown[0]}`,
          };
        }
        break;
      }
      case CommandType.ContinueAsNewWorkflowExecution: {
        const unknown = unknownAttributes(c.continueAsNewWorkflowExecutionCommandAttributes?.searchAttributes?.indexedFields, attributeTypes);
        if (unknown.length) {
          return { cause: WorkflowTaskFailedCause.BadSearchAttributes, message: `Namespace ${run.namespace} has no mapping defined for search attribute ${unknown[0]}` };
        }
        break;
      }
      case CommandType.RequestCancelActivityTask:
      case CommandType.CompleteWorkflowExecution:
      case CommandType.FailWorkflowExecution:
      case CommandType.CancelTimer:
      case CommandType.CancelWorkflowExecution:
      case CommandType.RequestCancelExternalWorkflowExecution:
      case CommandType.RecordMarker:
      case CommandType.StartChildWorkflowExecution:
      case CommandType.SignalExternalWorkflowExecution:
      case CommandType.ProtocolMessage:
      case CommandType.ModifyWorkflowProperties:
        break;
      default:
        return { cause: WorkflowTaskFailedCause.FeatureDisabled, message: `Command type ${c.commandType} is not supported by this server.` };
    }
  }
  return undefined;
}

/**
 * Turns a completed task's commands into events, in order. Effects on other workflows (start a child,
 * signal or cancel another workflow) run after the commands, in the same transaction, and their result
 * events come back to this run like any other outside event.
 */
export async function applyCommands(
  tx: Tx,
  run: Run,
  commands: Msg[],
  messages: Msg[],
  completedId: number,
  identity: string,
): Promise<EagerActivity[]> {
  const eager: EagerActivity[] = [];
  const byId = new Map<string, Msg>(messages.map((m) => [m.id, m]));
  const deferred: (() => Promise<void>)[] = [];
  for (const c of commands) {
    if (!run.isRunning) break;
    switch (c.commandType) {
      case CommandType.ScheduleActivityTask: {
        // Eager dispatch: the completing worker asked to run the activity itself (it has a free slot and
        // polls that queue), so it is started now and returned with the completion, saving a poll.
        const a = c.scheduleActivityTaskCommandAttributes;
        const sameQueue = !a.taskQueue?.name || a.taskQueue.name === run.state.taskQueue;
        const started = scheduleActivity(run, a, completedId, a.requestEagerExecution && sameQueue ? identity : undefined);
        if (a.requestEagerExecution && sameQueue) eager.push(started);
        break;
      }
      case CommandType.RequestCancelActivityTask:
        requestCancelActivity(run, Number(c.requestCancelActivityTaskCommandAttributes?.scheduledEventId ?? 0), completedId);
        break;
      case CommandType.StartTimer: {
        const a = c.startTimerCommandAttributes;
        const startedId = run.append(EventType.TimerStarted, {
          timerId: a.timerId,
          startToFireTimeout: a.startToFireTimeout,
          workflowTaskCompletedEventId: completedId,
        });
        run.state.timers[a.timerId] = { startedId };
        run.addTimer(`t:${a.timerId}`, Date.now() + durationToMs(a.startToFireTimeout), { kind: 'timer', timerId: a.timerId, startedId });
        break;
      }
      case CommandType.CancelTimer: {
        const timerId = c.cancelTimerCommandAttributes?.timerId;
        const timer = run.state.timers[timerId];
        if (!timer) break;
        delete run.state.timers[timerId];
        run.deleteTimers(`t:${timerId}`);
        run.append(EventType.TimerCanceled, { timerId, startedEventId: timer.startedId, workflowTaskCompletedEventId: completedId, identity });
        break;
      }
      case CommandType.CompleteWorkflowExecution:
        await closeRun(tx, run, ExecutionStatus.Completed, {
          result: c.completeWorkflowExecutionCommandAttributes?.result,
          workflowTaskCompletedEventId: completedId,
        });
        break;
      case CommandType.FailWorkflowExecution:
        await closeRun(tx, run, ExecutionStatus.Failed, {
          failure: c.failWorkflowExecutionCommandAttributes?.failure,
          retryState: RetryState.RetryPolicyNotSet,
          workflowTaskCompletedEventId: completedId,
        });
        break;
      case CommandType.CancelWorkflowExecution:
        await closeRun(tx, run, ExecutionStatus.Canceled, {
          workflowTaskCompletedEventId: completedId,
          details: c.cancelWorkflowExecutionCommandAttributes?.details,
        });
        break;
      case CommandType.ContinueAsNewWorkflowExecution:
        await continueAsNew(tx, run, c.continueAsNewWorkflowExecutionCommandAttributes, completedId, identity);
        break;
      case CommandType.RecordMarker: {
        const a = c.recordMarkerCommandAttributes ?? {};
        run.append(EventType.MarkerRecorded, {
          markerName: a.markerName,
          details: a.details,
          workflowTaskCompletedEventId: completedId,
          header: a.header,
          failure: a.failure,
        });
        break;
      }
      case CommandType.UpsertWorkflowSearchAttributes: {
        const sa = c.upsertWorkflowSearchAttributesCommandAttributes?.searchAttributes;
        run.append(EventType.UpsertWorkflowSearchAttributes, { workflowTaskCompletedEventId: completedId, searchAttributes: sa });
        applySearchAttributes(run, sa?.indexedFields, await tx.ctx.namespaces.attributeTypes(run.namespace));
        break;
      }
      case CommandType.ModifyWorkflowProperties: {
        const memo = c.modifyWorkflowPropertiesCommandAttributes?.upsertedMemo;
        run.append(EventType.WorkflowPropertiesModified, { workflowTaskCompletedEventId: completedId, upsertedMemo: memo });
        const fields = { ...(fromBase64(MemoType, run.state.memo)?.fields ?? {}), ...(memo?.fields ?? {}) };
        run.state.memo = toBase64(MemoType, { fields });
        break;
      }
      case CommandType.ProtocolMessage: {
        const message = byId.get(c.protocolMessageCommandAttributes?.messageId);
        if (message) {
          byId.delete(message.id);
          applyProtocolMessage(run, message, identity);
        }
        break;
      }
      case CommandType.StartChildWorkflowExecution:
        deferred.push(startChild(tx, run, c.startChildWorkflowExecutionCommandAttributes, completedId));
        break;
      case CommandType.SignalExternalWorkflowExecution:
        deferred.push(signalExternal(tx, run, c.signalExternalWorkflowExecutionCommandAttributes, completedId));
        break;
      case CommandType.RequestCancelExternalWorkflowExecution:
        deferred.push(cancelExternal(tx, run, c.requestCancelExternalWorkflowExecutionCommandAttributes, completedId));
        break;
    }
  }
  // Messages not tied to a command (rejections) are handled after the commands.
  for (const message of byId.values()) if (run.isRunning) applyProtocolMessage(run, message, identity);
  for (const effect of deferred) if (run.isRunning) await effect();
  return run.isRunning ? eager : [];
}

async function continueAsNew(tx: Tx, run: Run, a: Msg, completedId: number, identity: string): Promise<void> {
  const s = run.state;
  const newRunId = randomUUID();
  const workflowType = a.workflowType?.name || s.workflowType;
  const taskQueue = a.taskQueue?.name || s.taskQueue;
  const runTimeoutMs = durationToMs(a.workflowRunTimeout) || s.runTimeoutMs;
  const taskTimeoutMs = durationToMs(a.workflowTaskTimeout) || s.workflowTaskTimeoutMs;
  const memo = a.memo ?? fromBase64(MemoType, s.memo);
  const searchAttributes = a.searchAttributes ?? {
    indexedFields: Object.fromEntries(Object.entries(s.searchAttributes).map(([k, v]) => [k, fromBase64(PayloadType, v)])),
  };
  await closeRun(tx, run, ExecutionStatus.ContinuedAsNew, {
    newExecutionRunId: newRunId,
    workflowType: { name: workflowType },
    taskQueue: { name: taskQueue, kind: 1 },
    input: a.input,
    workflowRunTimeout: a.workflowRunTimeout,
    workflowTaskTimeout: a.workflowTaskTimeout,
    workflowTaskCompletedEventId: completedId,
    backoffStartInterval: a.backoffStartInterval,
    initiator: a.initiator || 1,
    failure: a.failure,
    lastCompletionResult: a.lastCompletionResult,
    header: a.header,
    memo: a.memo,
    searchAttributes: a.searchAttributes,
  });
  const ns = await tx.ctx.namespaces.require(run.namespace);
  await tx.query('UPDATE current_runs SET run_id = $3 WHERE namespace = $1 AND workflow_id = $2', [run.namespace, run.workflowId, newRunId]);
  createRun(
    tx,
    {
      namespace: run.namespace,
      namespaceId: ns.id,
      workflowId: run.workflowId,
      workflowType,
      taskQueue,
      input: a.input,
      header: a.header,
      memo,
      searchAttributes,
      attributeTypes: await tx.ctx.namespaces.attributeTypes(run.namespace),
      executionTimeoutMs: s.executionTimeoutMs,
      runTimeoutMs,
      taskTimeoutMs,
      identity,
      retryPolicy: a.retryPolicy,
      startDelayMs: durationToMs(a.backoffStartInterval),
      parent: s.parent && { ...s.parent, namespaceId: (await tx.ctx.namespaces.get(s.parent.namespace))?.id ?? '' },
      firstRunId: s.firstRunId,
      continuedRunId: run.runId,
      initiator: a.initiator || 1,
      continuedFailure: a.failure,
      lastCompletionResult: a.lastCompletionResult,
      executionExpiration: s.executionExpiration,
      cronSchedule: a.cronSchedule,
    },
    newRunId,
  );
}

function startChild(tx: Tx, parent: Run, a: Msg, completedId: number): () => Promise<void> {
  const namespace = a.namespace || parent.namespace;
  const initiatedId = parent.append(EventType.StartChildWorkflowExecutionInitiated, {
    namespace,
    workflowId: a.workflowId,
    workflowType: a.workflowType,
    taskQueue: a.taskQueue,
    input: a.input,
    workflowExecutionTimeout: a.workflowExecutionTimeout,
    workflowRunTimeout: a.workflowRunTimeout,
    workflowTaskTimeout: a.workflowTaskTimeout,
    parentClosePolicy: a.parentClosePolicy,
    control: a.control,
    workflowTaskCompletedEventId: completedId,
    workflowIdReusePolicy: a.workflowIdReusePolicy,
    retryPolicy: a.retryPolicy,
    cronSchedule: a.cronSchedule,
    header: a.header,
    memo: a.memo,
    searchAttributes: a.searchAttributes,
    priority: a.priority,
  });
  return async () => {
    const failed = (cause: number) =>
      parent.addExternal([
        [
          EventType.StartChildWorkflowExecutionFailed,
          { namespace, workflowId: a.workflowId, workflowType: a.workflowType, cause, control: a.control, initiatedEventId: initiatedId, workflowTaskCompletedEventId: completedId },
        ],
      ]);
    const ns = await tx.ctx.namespaces.get(namespace);
    if (!ns) return failed(2);
    const parentNs = await tx.ctx.namespaces.require(parent.namespace);
    try {
      const { run: child } = await startWorkflow(
        tx,
        {
          namespace,
          namespaceId: ns.id,
          workflowId: a.workflowId,
          workflowType: a.workflowType?.name,
          taskQueue: a.taskQueue?.name || parent.state.taskQueue,
          input: a.input,
          header: a.header,
          memo: a.memo,
          searchAttributes: a.searchAttributes,
          attributeTypes: await tx.ctx.namespaces.attributeTypes(namespace),
          executionTimeoutMs: durationToMs(a.workflowExecutionTimeout),
          runTimeoutMs: durationToMs(a.workflowRunTimeout),
          taskTimeoutMs: durationToMs(a.workflowTaskTimeout),
          identity: `parent ${parent.workflowId}`,
          retryPolicy: a.retryPolicy,
          cronSchedule: a.cronSchedule,
          parent: { namespace: parent.namespace, namespaceId: parentNs.id, workflowId: parent.workflowId, runId: parent.runId, initiatedId },
        },
        a.workflowIdReusePolicy || 1,
        ConflictPolicy.Fail,
      );
      parent.state.children[initiatedId] = {
        namespace,
        workflowId: child.workflowId,
        runId: child.runId,
        workflowType: a.workflowType?.name,
        startedId: 0,
        parentClosePolicy: a.parentClosePolicy || ParentClosePolicy.Terminate,
      };
      // The parent's task is complete here, so the event is written now and gets the next id.
      const startedId = parent.state.nextEventId;
      parent.addExternal([
        [
          EventType.ChildWorkflowExecutionStarted,
          { namespace, namespaceId: ns.id, initiatedEventId: initiatedId, workflowExecution: child.execution, workflowType: a.workflowType, header: a.header },
        ],
      ]);
      parent.state.children[initiatedId].startedId = startedId;
    } catch (err) {
      if (err instanceof ServiceError) return failed(1);
      throw err;
    }
  };
}

function signalExternal(tx: Tx, run: Run, a: Msg, completedId: number): () => Promise<void> {
  const namespace = a.namespace || run.namespace;
  const initiatedId = run.append(EventType.SignalExternalWorkflowExecutionInitiated, {
    workflowTaskCompletedEventId: completedId,
    namespace,
    workflowExecution: a.execution,
    signalName: a.signalName,
    input: a.input,
    control: a.control,
    childWorkflowOnly: a.childWorkflowOnly,
    header: a.header,
  });
  return async () => {
    const target = await tx.lockExecution(namespace, a.execution?.workflowId, a.execution?.runId);
    if (!target?.isRunning) {
      run.addExternal([
        [
          EventType.SignalExternalWorkflowExecutionFailed,
          { cause: 1, workflowTaskCompletedEventId: completedId, namespace, workflowExecution: a.execution, initiatedEventId: initiatedId, control: a.control },
        ],
      ]);
      return;
    }
    signalRun(target, { name: a.signalName, input: a.input, header: a.header, identity: '', external: run.execution });
    run.addExternal([
      [EventType.ExternalWorkflowExecutionSignaled, { initiatedEventId: initiatedId, namespace, workflowExecution: target.execution, control: a.control }],
    ]);
  };
}

function cancelExternal(tx: Tx, run: Run, a: Msg, completedId: number): () => Promise<void> {
  const namespace = a.namespace || run.namespace;
  const execution = { workflowId: a.workflowId, runId: a.runId };
  const initiatedId = run.append(EventType.RequestCancelExternalWorkflowExecutionInitiated, {
    workflowTaskCompletedEventId: completedId,
    namespace,
    workflowExecution: execution,
    control: a.control,
    childWorkflowOnly: a.childWorkflowOnly,
    reason: a.reason,
  });
  return async () => {
    const target = await tx.lockExecution(namespace, a.workflowId, a.runId);
    if (!target?.isRunning) {
      run.addExternal([
        [
          EventType.RequestCancelExternalWorkflowExecutionFailed,
          { cause: 1, workflowTaskCompletedEventId: completedId, namespace, workflowExecution: execution, initiatedEventId: initiatedId, control: a.control },
        ],
      ]);
      return;
    }
    requestCancelRun(target, a.reason || '', '', { initiatedId, execution: run.execution });
    run.addExternal([
      [EventType.ExternalWorkflowExecutionCancelRequested, { initiatedEventId: initiatedId, namespace, workflowExecution: target.execution }],
    ]);
  };
}
