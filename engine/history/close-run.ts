import type { Tx } from './tx';
import type { Run } from './run';
import { EventType, ExecutionStatus, ParentClosePolicy, RetryState, type Msg } from '../proto';

const CLOSE_EVENT: Record<number, number> = {
  [ExecutionStatus.Completed]: EventType.WorkflowExecutionCompleted,
  [ExecutionStatus.Failed]: EventType.WorkflowExecutionFailed,
  [ExecutionStatus.Canceled]: EventType.WorkflowExecutionCanceled,
  [ExecutionStatus.Terminated]: EventType.WorkflowExecutionTerminated,
  [ExecutionStatus.ContinuedAsNew]: EventType.WorkflowExecutionContinuedAsNew,
  [ExecutionStatus.TimedOut]: EventType.WorkflowExecutionTimedOut,
};

/**
 * Closes a run with its final event, drops its pending tasks and timers, applies the parent close policy
 * to its children and reports the result to its parent (a continued run reports when its chain ends).
 */
export async function closeRun(tx: Tx, run: Run, status: number, attributes: Msg): Promise<void> {
  const closeId = run.append(CLOSE_EVENT[status], attributes);
  const s = run.state;
  run.row.status = status;
  run.row.close_time = new Date();
  s.closeEventId = closeId;
  s.wt = null;
  s.buffered = [];
  s.activities = {};
  s.timers = {};
  run.dropAllTimersAndTasks = true;
  run.newTasks.length = 0;
  run.newTimers.length = 0;
  const children = Object.entries(s.children);
  s.children = {};
  for (const [, child] of children) {
    if (child.parentClosePolicy === ParentClosePolicy.Abandon) continue;
    const target = await tx.lockExecution(child.namespace, child.workflowId);
    if (!target?.isRunning) continue;
    if (child.parentClosePolicy === ParentClosePolicy.RequestCancel) {
      requestCancelRun(target, 'by parent close policy', run.runId);
    } else {
      await terminateRun(tx, target, 'by parent close policy', undefined, run.runId);
    }
  }
  if (status !== ExecutionStatus.ContinuedAsNew) await notifyParent(tx, run, status, attributes);
}

export async function terminateRun(tx: Tx, run: Run, reason: string, details: Msg, identity: string): Promise<void> {
  await closeRun(tx, run, ExecutionStatus.Terminated, { reason, details, identity });
}

/** Records a cancel request for the workflow to handle; repeated requests are no-ops. */
export function requestCancelRun(run: Run, cause: string, identity: string, external?: { initiatedId: number; execution: Msg }): void {
  if (run.state.cancelRequested) return;
  run.state.cancelRequested = true;
  run.addExternal([
    [
      EventType.WorkflowExecutionCancelRequested,
      {
        cause,
        identity,
        externalInitiatedEventId: external?.initiatedId,
        externalWorkflowExecution: external?.execution,
      },
    ],
  ]);
}

export function signalRun(run: Run, signal: { name: string; input?: Msg; header?: Msg; identity: string; requestId?: string; external?: Msg }) {
  run.addExternal([
    [
      EventType.WorkflowExecutionSignaled,
      {
        signalName: signal.name,
        input: signal.input,
        identity: signal.identity,
        header: signal.header,
        requestId: signal.requestId,
        externalWorkflowExecution: signal.external,
      },
    ],
  ]);
}

async function notifyParent(tx: Tx, child: Run, status: number, attributes: Msg): Promise<void> {
  const ref = child.state.parent;
  if (!ref) return;
  const parent = await tx.lockRun(ref.runId);
  if (!parent?.isRunning) return;
  const record = parent.state.children[ref.initiatedId];
  if (!record) return;
  delete parent.state.children[ref.initiatedId];
  const common = {
    namespace: child.namespace,
    workflowExecution: child.execution,
    workflowType: { name: record.workflowType },
    initiatedEventId: ref.initiatedId,
    startedEventId: record.startedId,
  };
  switch (status) {
    case ExecutionStatus.Completed:
      parent.addExternal([[EventType.ChildWorkflowExecutionCompleted, { ...common, result: attributes.result }]]);
      break;
    case ExecutionStatus.Failed:
      parent.addExternal([
        [EventType.ChildWorkflowExecutionFailed, { ...common, failure: attributes.failure, retryState: attributes.retryState }],
      ]);
      break;
    case ExecutionStatus.Canceled:
      parent.addExternal([[EventType.ChildWorkflowExecutionCanceled, { ...common, details: attributes.details }]]);
      break;
    case ExecutionStatus.TimedOut:
      parent.addExternal([[EventType.ChildWorkflowExecutionTimedOut, { ...common, retryState: RetryState.Timeout }]]);
      break;
    default:
      parent.addExternal([[EventType.ChildWorkflowExecutionTerminated, common]]);
  }
}
