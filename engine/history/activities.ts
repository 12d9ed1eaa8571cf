import { randomUUID } from 'node:crypto';
import type { Run } from './run';
import { PREVIOUS_EVENT, TaskKind } from './run';
import type { ActivityState, RetrySettings } from './state';
import {
  EventType,
  FailureType,
  PayloadsType,
  RetryState,
  TimeoutType,
  duration,
  durationToMs,
  fromBase64,
  toBase64,
  type Msg,
} from '../proto';

const DEFAULT_RETRY: RetrySettings = { initialMs: 1000, coefficient: 2, maximumMs: 100_000, maximumAttempts: 0, nonRetryable: [] };

const timerKeys = (scheduledId: number) => ['s2s', 'stc', 'hb', 's2c', 'retry'].map((k) => `a${scheduledId}:${k}`);

/** Why a ScheduleActivityTask command cannot be accepted, in the real server's words; undefined if it can. */
export function invalidScheduleActivity(run: Run, attrs: Msg, seenIds: Set<string>): string | undefined {
  if (!attrs) return 'ScheduleActivityTaskCommandAttributes is not set on command.';
  if (!attrs.activityId) return 'ActivityId is not set on command.';
  if (!attrs.activityType?.name) return 'ActivityType is not set on command.';
  if (durationToMs(attrs.scheduleToCloseTimeout) <= 0 && durationToMs(attrs.startToCloseTimeout) <= 0) {
    return 'A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand.';
  }
  const pendingIds = Object.values(run.state.activities).map((a) => a.activityId);
  if (seenIds.has(attrs.activityId) || pendingIds.includes(attrs.activityId)) {
    return `Activity with ID ${attrs.activityId} already exists.`;
  }
  seenIds.add(attrs.activityId);
  return undefined;
}

export interface EagerActivity {
  activity: ActivityState;
  /** The ActivityTaskScheduled attributes as written (input, header, filled-in retry policy). */
  scheduled: Msg;
}

/**
 * Fills in timeouts and the retry policy the way the real server does, then schedules the first attempt;
 * `startFor` starts it at once for that worker identity (eager dispatch in the workflow task's response).
 */
export function scheduleActivity(run: Run, attrs: Msg, completedId: number, startFor?: string): EagerActivity {
  const runTimeout = run.state.runTimeoutMs;
  let scheduleToClose = durationToMs(attrs.scheduleToCloseTimeout);
  let startToClose = durationToMs(attrs.startToCloseTimeout);
  let scheduleToStart = durationToMs(attrs.scheduleToStartTimeout);
  let heartbeat = durationToMs(attrs.heartbeatTimeout);
  if (runTimeout > 0 && (scheduleToClose <= 0 || scheduleToClose > runTimeout)) scheduleToClose = runTimeout;
  if (startToClose <= 0) startToClose = scheduleToClose;
  if (scheduleToClose > 0 && startToClose > scheduleToClose) startToClose = scheduleToClose;
  if (scheduleToStart <= 0 || (scheduleToClose > 0 && scheduleToStart > scheduleToClose)) scheduleToStart = scheduleToClose;
  if (heartbeat > startToClose) heartbeat = startToClose;
  const p = attrs.retryPolicy ?? {};
  const initialMs = durationToMs(p.initialInterval) || DEFAULT_RETRY.initialMs;
  const retry: RetrySettings = {
    initialMs,
    coefficient: p.backoffCoefficient || DEFAULT_RETRY.coefficient,
    maximumMs: durationToMs(p.maximumInterval) || initialMs * 100,
    maximumAttempts: p.maximumAttempts || 0,
    nonRetryable: [...(p.nonRetryableErrorTypes ?? [])],
  };
  const taskQueue = attrs.taskQueue?.name || run.state.taskQueue;
  const scheduled: Msg = {
    activityId: attrs.activityId,
    activityType: attrs.activityType,
    taskQueue: { name: taskQueue, kind: 1 },
    header: attrs.header,
    input: attrs.input,
    scheduleToCloseTimeout: duration(scheduleToClose),
    scheduleToStartTimeout: duration(scheduleToStart),
    startToCloseTimeout: duration(startToClose),
    heartbeatTimeout: duration(heartbeat),
    workflowTaskCompletedEventId: completedId,
    retryPolicy: {
      initialInterval: duration(retry.initialMs),
      backoffCoefficient: retry.coefficient,
      maximumInterval: duration(retry.maximumMs),
      maximumAttempts: retry.maximumAttempts,
      nonRetryableErrorTypes: retry.nonRetryable,
    },
    useWorkflowBuildId: attrs.useWorkflowBuildId,
    priority: attrs.priority,
  };
  const scheduledId = run.append(EventType.ActivityTaskScheduled, scheduled);
  const now = Date.now();
  const activity: ActivityState = {
    scheduledId,
    activityId: attrs.activityId,
    activityType: attrs.activityType.name,
    taskQueue,
    scheduleToCloseMs: scheduleToClose,
    scheduleToStartMs: scheduleToStart,
    startToCloseMs: startToClose,
    heartbeatMs: heartbeat,
    retry,
    attempt: 1,
    scheduledTime: now,
    attemptScheduledTime: now,
    startedTime: 0,
  };
  run.state.activities[scheduledId] = activity;
  if (scheduleToClose > 0) {
    run.addTimer(`a${scheduledId}:s2c`, now + scheduleToClose, { kind: 'activity-timeout', scheduledId, attempt: 0, timeoutType: TimeoutType.ScheduleToClose });
  }
  if (startFor === undefined) {
    enqueueAttempt(run, activity);
  } else {
    startActivity(run, activity, startFor, randomUUID());
  }
  return { activity, scheduled };
}

/** Makes the current attempt available to pollers, with its schedule-to-start limit. */
function enqueueAttempt(run: Run, a: ActivityState) {
  a.attemptScheduledTime = Date.now();
  a.startedTime = 0;
  run.addTask(TaskKind.Activity, a.taskQueue, { scheduledId: a.scheduledId, attempt: a.attempt });
  if (a.scheduleToStartMs > 0) {
    run.addTimer(`a${a.scheduledId}:s2s`, a.attemptScheduledTime + a.scheduleToStartMs, {
      kind: 'activity-timeout',
      scheduledId: a.scheduledId,
      attempt: a.attempt,
      timeoutType: TimeoutType.ScheduleToStart,
    });
  }
}

/** Marks the attempt started by a poller. ActivityTaskStarted is written only when the attempt ends. */
export function startActivity(run: Run, a: ActivityState, identity: string, requestId: string): void {
  const now = Date.now();
  a.startedTime = now;
  a.identity = identity;
  a.requestId = requestId;
  a.lastHeartbeat = undefined;
  run.deleteTimers(`a${a.scheduledId}:s2s`);
  if (a.startToCloseMs > 0) {
    run.addTimer(`a${a.scheduledId}:stc`, now + a.startToCloseMs, {
      kind: 'activity-timeout',
      scheduledId: a.scheduledId,
      attempt: a.attempt,
      timeoutType: TimeoutType.StartToClose,
    });
  }
  if (a.heartbeatMs > 0) {
    run.addTimer(`a${a.scheduledId}:hb`, now + a.heartbeatMs, {
      kind: 'activity-timeout',
      scheduledId: a.scheduledId,
      attempt: a.attempt,
      timeoutType: TimeoutType.Heartbeat,
    });
  }
  run.touch();
}

function startedEvent(a: ActivityState): [number, Msg] {
  return [
    EventType.ActivityTaskStarted,
    {
      scheduledEventId: a.scheduledId,
      identity: a.identity ?? '',
      requestId: a.requestId ?? '',
      attempt: a.attempt,
      lastFailure: fromBase64(FailureType, a.lastFailure),
    },
  ];
}

function finish(run: Run, a: ActivityState) {
  delete run.state.activities[a.scheduledId];
  run.deleteTimers(...timerKeys(a.scheduledId));
}

export function completeActivity(run: Run, a: ActivityState, result: Msg, identity: string): void {
  finish(run, a);
  run.addExternal([
    startedEvent(a),
    [EventType.ActivityTaskCompleted, { result, scheduledEventId: a.scheduledId, startedEventId: PREVIOUS_EVENT, identity }],
  ]);
}

export function cancelActivity(run: Run, a: ActivityState, details: Msg, identity: string): void {
  finish(run, a);
  const started = a.startedTime > 0;
  const canceled: Msg = {
    details,
    latestCancelRequestedEventId: a.cancelRequestedId ?? 0,
    scheduledEventId: a.scheduledId,
    startedEventId: started ? PREVIOUS_EVENT : 0,
    identity,
  };
  run.addExternal(started ? [startedEvent(a), [EventType.ActivityTaskCanceled, canceled]] : [[EventType.ActivityTaskCanceled, canceled]]);
}

/**
 * Ends an attempt with a failure (worker-reported or timeout): schedules the next attempt after the
 * backoff when the policy allows, otherwise records the final failure.
 */
export function failActivityAttempt(run: Run, a: ActivityState, failure: Msg, identity: string, timeoutType?: number): void {
  const retry = nextRetry(a, failure, timeoutType);
  if ('delayMs' in retry) {
    a.lastFailure = toBase64(FailureType, failure);
    a.attempt++;
    a.startedTime = 0;
    run.deleteTimers(`a${a.scheduledId}:stc`, `a${a.scheduledId}:hb`, `a${a.scheduledId}:s2s`);
    run.addTimer(`a${a.scheduledId}:retry`, Date.now() + retry.delayMs, { kind: 'activity-retry', scheduledId: a.scheduledId, attempt: a.attempt });
    run.touch();
    return;
  }
  const wasStarted = a.startedTime > 0;
  if (identity) a.identity = identity;
  finish(run, a);
  const events: [number, Msg][] = wasStarted ? [startedEvent(a)] : [];
  const startedEventId = wasStarted ? PREVIOUS_EVENT : 0;
  if (timeoutType) {
    events.push([EventType.ActivityTaskTimedOut, { failure, scheduledEventId: a.scheduledId, startedEventId, retryState: retry.final }]);
  } else {
    events.push([
      EventType.ActivityTaskFailed,
      { failure, scheduledEventId: a.scheduledId, startedEventId, identity, retryState: retry.final },
    ]);
  }
  run.addExternal(events);
}

/** Delay before the next attempt, or the RetryState that says why there is none. */
function nextRetry(a: ActivityState, failure: Msg, timeoutType?: number): { delayMs: number } | { final: number } {
  if (a.cancelRequested) return { final: RetryState.CancelRequested };
  if (timeoutType === TimeoutType.ScheduleToStart || timeoutType === TimeoutType.ScheduleToClose) return { final: RetryState.Timeout };
  const info = failure?.applicationFailureInfo;
  if (info?.nonRetryable || (info?.type && a.retry.nonRetryable.includes(info.type))) return { final: RetryState.NonRetryableFailure };
  if (a.retry.maximumAttempts > 0 && a.attempt >= a.retry.maximumAttempts) return { final: RetryState.MaximumAttemptsReached };
  let delayMs = durationToMs(info?.nextRetryDelay);
  if (delayMs <= 0) delayMs = Math.min(a.retry.initialMs * Math.pow(a.retry.coefficient, a.attempt - 1), a.retry.maximumMs);
  if (a.scheduleToCloseMs > 0 && Date.now() + delayMs >= a.scheduledTime + a.scheduleToCloseMs) return { final: RetryState.Timeout };
  return { delayMs };
}

export function timeoutFailure(timeoutType: number, a: ActivityState): Msg {
  const names: Record<number, string> = { 1: 'StartToClose', 2: 'ScheduleToStart', 3: 'ScheduleToClose', 4: 'Heartbeat' };
  return {
    message: `activity ${names[timeoutType]} timeout`,
    source: 'Server',
    cause: timeoutType === TimeoutType.ScheduleToClose ? fromBase64(FailureType, a.lastFailure) : undefined,
    timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: fromBase64(PayloadsType, a.heartbeatDetails) },
  };
}

/** A durable activity timer fired: checks it still applies to the current attempt, then times the attempt out. */
export function onActivityTimeout(run: Run, data: { scheduledId: number; attempt: number; timeoutType: number }): void {
  const a = run.state.activities[data.scheduledId];
  if (!a) return;
  const t = data.timeoutType;
  if (t !== TimeoutType.ScheduleToClose && a.attempt !== data.attempt) return;
  if (t === TimeoutType.ScheduleToStart && a.startedTime > 0) return;
  if ((t === TimeoutType.StartToClose || t === TimeoutType.Heartbeat) && a.startedTime === 0) return;
  if (t === TimeoutType.Heartbeat) {
    const last = Math.max(a.lastHeartbeat ?? 0, a.startedTime);
    const due = last + a.heartbeatMs;
    if (due > Date.now() + 5) {
      run.addTimer(`a${a.scheduledId}:hb`, due, data);
      return;
    }
  }
  failActivityAttempt(run, a, timeoutFailure(t, a), '', t);
}

export function onActivityRetry(run: Run, data: { scheduledId: number; attempt: number }): void {
  const a = run.state.activities[data.scheduledId];
  if (!a || a.attempt !== data.attempt || a.startedTime > 0) return;
  enqueueAttempt(run, a);
}

/** RequestCancelActivityTask: an attempt not yet running is canceled at once, a running one is told on heartbeat. */
export function requestCancelActivity(run: Run, scheduledId: number, completedId: number): void {
  const requestedId = run.append(EventType.ActivityTaskCancelRequested, { scheduledEventId: scheduledId, workflowTaskCompletedEventId: completedId });
  const a = run.state.activities[scheduledId];
  if (!a) return;
  a.cancelRequested = true;
  a.cancelRequestedId = requestedId;
  if (a.startedTime === 0) {
    finish(run, a);
    run.append(EventType.ActivityTaskCanceled, {
      latestCancelRequestedEventId: requestedId,
      scheduledEventId: scheduledId,
      startedEventId: 0,
    });
  }
}

export function recordHeartbeat(run: Run, a: ActivityState, details: Msg): void {
  if (details) a.heartbeatDetails = toBase64(PayloadsType, details);
  a.lastHeartbeat = Date.now();
  run.touch();
}

