import { newRunState, type RunState } from './state';
import { EventType, MemoType, PayloadType, UpdateOutcomeType, UpdateRequestType, durationToMs, fromBase64, num, timestampToMs, toBase64, type Msg } from '../proto';

export interface RebuiltState {
  state: RunState;
  /** Pending user timers with the time each should fire. */
  timerDue: Record<string, number>;
  searchAttributeFields: Record<string, Msg>;
}

/**
 * Derives a run's mutable state from a prefix of its history, as the real server does when it resets a
 * workflow: what is pending (activities, timers, children, accepted updates) at that point.
 */
export function rebuildState(events: Msg[], firstRunId: string): RebuiltState {
  const started = events[0].workflowExecutionStartedEventAttributes;
  const state: RunState = newRunState({
    nextEventId: num(events.at(-1).eventId) + 1,
    workflowType: started.workflowType.name,
    taskQueue: started.taskQueue.name,
    workflowTaskTimeoutMs: durationToMs(started.workflowTaskTimeout) || 10_000,
    runTimeoutMs: durationToMs(started.workflowRunTimeout),
    executionTimeoutMs: durationToMs(started.workflowExecutionTimeout),
    executionExpiration: timestampToMs(started.workflowExecutionExpirationTime),
    firstRunId,
    parent: started.parentWorkflowExecution
      ? {
          namespace: started.parentWorkflowNamespace,
          workflowId: started.parentWorkflowExecution.workflowId,
          runId: started.parentWorkflowExecution.runId,
          initiatedId: num(started.parentInitiatedEventId),
        }
      : undefined,
    memo: started.memo ? toBase64(MemoType, started.memo) : undefined,
  });
  const timerDue: Record<string, number> = {};
  const searchAttributeFields: Record<string, Msg> = { ...(started.searchAttributes?.indexedFields ?? {}) };
  const initiated: Record<number, Msg> = {};
  for (const e of events) {
    const id = num(e.eventId);
    const time = timestampToMs(e.eventTime);
    switch (e.eventType) {
      case EventType.WorkflowTaskScheduled:
        state.wt = { scheduledId: id, startedId: 0, attempt: e.workflowTaskScheduledEventAttributes.attempt || 1, scheduledTime: time, startedTime: 0 };
        break;
      case EventType.WorkflowTaskStarted:
        if (state.wt) Object.assign(state.wt, { startedId: id, startedTime: time });
        break;
      case EventType.WorkflowTaskCompleted:
        state.lastWtStartedId = num(e.workflowTaskCompletedEventAttributes.startedEventId);
        state.wt = null;
        break;
      case EventType.WorkflowTaskFailed:
      case EventType.WorkflowTaskTimedOut:
        state.wt = null;
        break;
      case EventType.ActivityTaskScheduled: {
        const a = e.activityTaskScheduledEventAttributes;
        const p = a.retryPolicy ?? {};
        state.activities[id] = {
          scheduledId: id,
          activityId: a.activityId,
          activityType: a.activityType.name,
          taskQueue: a.taskQueue.name,
          scheduleToCloseMs: durationToMs(a.scheduleToCloseTimeout),
          scheduleToStartMs: durationToMs(a.scheduleToStartTimeout),
          startToCloseMs: durationToMs(a.startToCloseTimeout),
          heartbeatMs: durationToMs(a.heartbeatTimeout),
          retry: {
            initialMs: durationToMs(p.initialInterval) || 1000,
            coefficient: p.backoffCoefficient || 2,
            maximumMs: durationToMs(p.maximumInterval) || 100_000,
            maximumAttempts: p.maximumAttempts || 0,
            nonRetryable: [...(p.nonRetryableErrorTypes ?? [])],
          },
          attempt: 1,
          scheduledTime: time,
          attemptScheduledTime: time,
          startedTime: 0,
        };
        break;
      }
      case EventType.ActivityTaskCancelRequested: {
        const a = state.activities[num(e.activityTaskCancelRequestedEventAttributes.scheduledEventId)];
        if (a) Object.assign(a, { cancelRequested: true, cancelRequestedId: id });
        break;
      }
      case EventType.ActivityTaskCompleted:
      case EventType.ActivityTaskFailed:
      case EventType.ActivityTaskTimedOut:
      case EventType.ActivityTaskCanceled: {
        const attrs =
          e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
        delete state.activities[num(attrs.scheduledEventId)];
        break;
      }
      case EventType.TimerStarted: {
        const t = e.timerStartedEventAttributes;
        state.timers[t.timerId] = { startedId: id };
        timerDue[t.timerId] = time + durationToMs(t.startToFireTimeout);
        break;
      }
      case EventType.TimerFired:
      case EventType.TimerCanceled: {
        const timerId = (e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes).timerId;
        delete state.timers[timerId];
        delete timerDue[timerId];
        break;
      }
      case EventType.StartChildWorkflowExecutionInitiated:
        initiated[id] = e.startChildWorkflowExecutionInitiatedEventAttributes;
        break;
      case EventType.ChildWorkflowExecutionStarted: {
        const c = e.childWorkflowExecutionStartedEventAttributes;
        const init = initiated[num(c.initiatedEventId)] ?? {};
        state.children[num(c.initiatedEventId)] = {
          namespace: c.namespace,
          workflowId: c.workflowExecution.workflowId,
          runId: c.workflowExecution.runId,
          workflowType: c.workflowType?.name ?? '',
          startedId: id,
          parentClosePolicy: init.parentClosePolicy || 1,
        };
        break;
      }
      case EventType.ChildWorkflowExecutionCompleted:
      case EventType.ChildWorkflowExecutionFailed:
      case EventType.ChildWorkflowExecutionCanceled:
      case EventType.ChildWorkflowExecutionTimedOut:
      case EventType.ChildWorkflowExecutionTerminated: {
        const attrs =
          e.childWorkflowExecutionCompletedEventAttributes ??
          e.childWorkflowExecutionFailedEventAttributes ??
          e.childWorkflowExecutionCanceledEventAttributes ??
          e.childWorkflowExecutionTimedOutEventAttributes ??
          e.childWorkflowExecutionTerminatedEventAttributes;
        delete state.children[num(attrs.initiatedEventId)];
        break;
      }
      case EventType.WorkflowExecutionCancelRequested:
        state.cancelRequested = true;
        break;
      case EventType.UpsertWorkflowSearchAttributes:
        Object.assign(searchAttributeFields, e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {});
        break;
      case EventType.WorkflowPropertiesModified: {
        const fields = { ...(fromBase64(MemoType, state.memo)?.fields ?? {}), ...(e.workflowPropertiesModifiedEventAttributes.upsertedMemo?.fields ?? {}) };
        state.memo = toBase64(MemoType, { fields });
        break;
      }
      case EventType.WorkflowExecutionUpdateAccepted: {
        const u = e.workflowExecutionUpdateAcceptedEventAttributes;
        state.updates[u.protocolInstanceId] = { stage: 'accepted', request: toBase64(UpdateRequestType, u.acceptedRequest ?? {}), acceptedId: id };
        break;
      }
      case EventType.WorkflowExecutionUpdateCompleted: {
        const u = e.workflowExecutionUpdateCompletedEventAttributes;
        const update = state.updates[u.meta.updateId];
        if (update) Object.assign(update, { stage: 'completed', outcome: toBase64(UpdateOutcomeType, u.outcome ?? {}) });
        break;
      }
    }
  }
  for (const [name, payload] of Object.entries(searchAttributeFields)) state.searchAttributes[name] = toBase64(PayloadType, payload);
  return { state, timerDue, searchAttributeFields };
}
