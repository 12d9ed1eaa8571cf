import { randomUUID } from 'node:crypto';
import type { Tx } from './tx';
import { ExecutionStatus, EventType, HistoryEventType, TimeoutType, WorkflowTaskFailedCause, num, type Msg } from '../proto';
import { invalidArgument, workflowNotFound } from '../errors';
import type { NamespaceRecord } from '../store/namespaces';
import { rebuildState } from './rebuild-state';
import { terminateRun } from './close-run';
import { applySearchAttributes } from './search-attributes';
import { TaskKind } from './run';

const RESET_POINTS = new Set<number>([EventType.WorkflowTaskCompleted, EventType.WorkflowTaskFailed, EventType.WorkflowTaskTimedOut]);

/**
 * Resets a workflow to the end of a workflow task ("replay from this step"): a new run gets the history
 * up to that task's start, a WorkflowTaskFailed(RESET_WORKFLOW), the signals received after that point
 * (unless told not to) and a fresh workflow task; the running run, if any, is terminated.
 */
export async function resetRun(tx: Tx, ns: NamespaceRecord, execution: Msg, finishEventId: number, req: Msg): Promise<string> {
  const base = await tx.lockExecution(ns.name, execution.workflowId, execution.runId);
  if (!base) throw workflowNotFound(execution.workflowId, execution.runId);
  const { rows } = await tx.query<{ event_id: string; data: Buffer }>('SELECT event_id, data FROM history_events WHERE run_id = $1 ORDER BY event_id', [
    base.runId,
  ]);
  const events = rows.map((r) => HistoryEventType.decode(r.data) as Msg);
  const finish = events.find((e) => num(e.eventId) === finishEventId);
  if (!finish || !RESET_POINTS.has(finish.eventType)) {
    throw invalidArgument(`WorkflowTaskFinishEventId ${finishEventId} is not a WorkflowTaskCompleted, WorkflowTaskFailed or WorkflowTaskTimedOut event.`);
  }
  const attrs = finish.workflowTaskCompletedEventAttributes ?? finish.workflowTaskFailedEventAttributes ?? finish.workflowTaskTimedOutEventAttributes;
  const scheduledId = num(attrs.scheduledEventId);
  const startedId = num(attrs.startedEventId);
  const kept = events.filter((e) => num(e.eventId) <= startedId);

  const currentId = await tx.currentRunId(ns.name, base.workflowId);
  const current = currentId ? await tx.lockRun(currentId) : undefined;
  if (current?.isRunning) await terminateRun(tx, current, req.reason || 'reset', undefined, req.identity ?? '');

  const newRunId = randomUUID();
  const { state, timerDue, searchAttributeFields } = rebuildState(kept, base.state.firstRunId);
  const now = Date.now();
  const run = tx.createRun({
    run_id: newRunId,
    namespace: ns.name,
    workflow_id: base.workflowId,
    workflow_type: base.row.workflow_type,
    task_queue: base.row.task_queue,
    status: ExecutionStatus.Running,
    start_time: new Date(now),
    execution_time: new Date(now),
    close_time: null,
    search_attributes: {},
    history_length: startedId,
    start_request_id: req.requestId || null,
    state,
  });
  for (const r of rows) if (num(r.event_id) <= startedId) run.newEvents.push({ id: num(r.event_id), data: r.data });
  applySearchAttributes(run, searchAttributeFields, await tx.ctx.namespaces.attributeTypes(ns.name));
  run.append(EventType.WorkflowTaskFailed, {
    scheduledEventId: scheduledId,
    startedEventId: startedId,
    cause: WorkflowTaskFailedCause.ResetWorkflow,
    failure: { message: req.reason || 'reset' },
    identity: req.identity ?? '',
    baseRunId: base.runId,
    newRunId,
  });
  state.wt = null;
  const excludeSignals = (req.resetReapplyExcludeTypes ?? []).includes(1);
  if (req.resetReapplyType !== 2 && !excludeSignals) {
    for (const e of events) {
      if (num(e.eventId) > startedId && e.eventType === EventType.WorkflowExecutionSignaled) {
        run.append(EventType.WorkflowExecutionSignaled, e.workflowExecutionSignaledEventAttributes);
      }
    }
  }
  run.scheduleWorkflowTask();
  // What was pending at the reset point starts over: activities get a fresh attempt, timers keep their due time.
  for (const a of Object.values(state.activities)) {
    a.scheduledTime = now;
    a.attemptScheduledTime = now;
    run.addTask(TaskKind.Activity, a.taskQueue, { scheduledId: a.scheduledId, attempt: a.attempt });
    if (a.scheduleToCloseMs > 0) {
      run.addTimer(`a${a.scheduledId}:s2c`, now + a.scheduleToCloseMs, {
        kind: 'activity-timeout',
        scheduledId: a.scheduledId,
        attempt: 0,
        timeoutType: TimeoutType.ScheduleToClose,
      });
    }
  }
  for (const [timerId, t] of Object.entries(state.timers)) {
    run.addTimer(`t:${timerId}`, timerDue[timerId] ?? now, { kind: 'timer', timerId, startedId: t.startedId });
  }
  const runDeadline = Math.min(state.runTimeoutMs > 0 ? now + state.runTimeoutMs : Infinity, state.executionExpiration || Infinity);
  if (runDeadline < Infinity) run.addTimer('run-timeout', runDeadline, { kind: 'run-timeout' });
  await tx.query('UPDATE current_runs SET run_id = $3 WHERE namespace = $1 AND workflow_id = $2', [ns.name, base.workflowId, newRunId]);
  return newRunId;
}
