import { randomUUID } from 'node:crypto';
import type { Tx } from './tx';
import type { Run } from './run';
import { applyCommands, validateCommands } from './commands';
import type { EagerActivity } from './activities';
import { EventType, HistoryEventType, WorkflowTaskFailedCause, TimeoutType, timestamp, type Msg } from '../proto';

export interface TaskToken {
  k: 'w' | 'a' | 'q';
  r?: string;
  s?: number;
  a?: number;
  q?: string;
}

export function encodeToken(token: TaskToken): Buffer {
  return Buffer.from(JSON.stringify(token));
}

/**
 * Hands a scheduled workflow task to a poller: writes WorkflowTaskStarted, arms the start-to-close timer,
 * delivers pending update requests as protocol messages and returns the full history (no sticky queues).
 */
export async function startWorkflowTask(tx: Tx, run: Run, scheduledId: number, identity: string): Promise<Msg | undefined> {
  const wt = run.state.wt;
  if (!run.isRunning || !wt || wt.scheduledId !== scheduledId || wt.startedId > 0) return undefined;
  const now = Date.now();
  const startedId = run.append(EventType.WorkflowTaskStarted, {
    scheduledEventId: scheduledId,
    identity,
    requestId: randomUUID(),
    historySizeBytes: 0,
  });
  wt.startedId = startedId;
  wt.startedTime = now;
  wt.identity = identity;
  run.addTimer('wt', now + run.state.workflowTaskTimeoutMs, { kind: 'wt-timeout', scheduledId, attempt: wt.attempt });
  const messages: Msg[] = [];
  for (const [updateId, update] of Object.entries(run.state.updates)) {
    if (update.stage !== 'admitted') continue;
    update.stage = 'sent';
    messages.push({
      id: `${updateId}/request`,
      protocolInstanceId: updateId,
      eventId: startedId - 1,
      body: { type_url: 'type.googleapis.com/temporal.api.update.v1.Request', value: Buffer.from(update.request, 'base64') },
    });
  }
  const events = await readHistory(tx, run);
  return {
    taskToken: encodeToken({ k: 'w', r: run.runId, s: scheduledId, a: wt.attempt }),
    workflowExecution: run.execution,
    workflowType: { name: run.state.workflowType },
    previousStartedEventId: run.state.lastWtStartedId,
    startedEventId: startedId,
    attempt: wt.attempt,
    history: { events },
    workflowExecutionTaskQueue: { name: run.state.taskQueue, kind: 1 },
    scheduledTime: timestamp(wt.scheduledTime),
    startedTime: timestamp(now),
    messages,
  };
}

/** Stored history plus what this transaction appended, decoded for a response. */
export async function readHistory(tx: Tx, run: Run): Promise<Msg[]> {
  const firstNew = run.newEvents[0]?.id ?? Infinity;
  const { rows } = await tx.query<{ data: Buffer }>(
    'SELECT data FROM history_events WHERE run_id = $1 AND event_id < $2 ORDER BY event_id',
    [run.runId, Number.isFinite(firstNew) ? firstNew : 2 ** 53],
    'read-history',
  );
  return [...rows.map((r) => r.data), ...run.newEvents.map((e) => e.data)].map((d) => HistoryEventType.decode(d));
}

/** The workflow task a token names, if it is still the one in flight. */
export function inFlightTask(run: Run | undefined, token: TaskToken) {
  const wt = run?.state.wt;
  if (!run?.isRunning || !wt || wt.scheduledId !== token.s || wt.attempt !== token.a || wt.startedId === 0) return undefined;
  return wt;
}

const CLOSE_COMMANDS = new Set([4, 5, 7, 10]);

/** Applies a workflow task's completion; returns the activities to hand to the worker eagerly. */
export async function completeWorkflowTask(tx: Tx, run: Run, request: Msg): Promise<EagerActivity[]> {
  const wt = run.state.wt!;
  const commands: Msg[] = request.commands ?? [];
  const closing = commands.some((c) => CLOSE_COMMANDS.has(c.commandType));
  const admittedUpdates = Object.values(run.state.updates).some((u) => u.stage === 'admitted');
  if (closing && (run.state.buffered.length > 0 || admittedUpdates)) {
    // New events the workflow has not seen yet: it may not close on a stale view (the real server does the same).
    failWorkflowTask(run, WorkflowTaskFailedCause.UnhandledCommand, { message: 'Workflow has unhandled new events.' }, request.identity, false);
    return [];
  }
  const invalid = validateCommands(run, commands, await tx.ctx.namespaces.attributeTypes(run.namespace));
  if (invalid) {
    failWorkflowTask(run, invalid.cause, { message: invalid.message }, request.identity, true);
    return [];
  }
  const completedId = run.append(EventType.WorkflowTaskCompleted, {
    scheduledEventId: wt.scheduledId,
    startedEventId: wt.startedId,
    identity: request.identity,
    binaryChecksum: request.binaryChecksum,
    workerVersion: request.workerVersionStamp,
    sdkMetadata: request.sdkMetadata,
    meteringMetadata: request.meteringMetadata,
  });
  run.state.lastWtStartedId = wt.startedId;
  run.state.wt = null;
  run.state.wtFailures = 0;
  run.deleteTimers('wt', 'wt-retry');
  const eager = await applyCommands(tx, run, commands, request.messages ?? [], completedId, request.identity ?? '');
  if (!run.isRunning) return [];
  // Updates delivered but neither accepted nor rejected go out again with the next task.
  let undelivered = false;
  for (const u of Object.values(run.state.updates)) {
    if (u.stage === 'sent') u.stage = 'admitted';
    if (u.stage === 'admitted') undelivered = true;
  }
  const flushed = run.flushBuffered();
  if (flushed || undelivered || request.forceCreateNewWorkflowTask) run.ensureWorkflowTask();
  return eager;
}

/**
 * Ends the in-flight workflow task without a completion. Repeated failures back off (a workflow whose
 * code keeps throwing must not spin), events that arrived meanwhile are written, updates are re-sent.
 */
export function failWorkflowTask(run: Run, cause: number, failure: Msg, identity: string, countsAsFailure: boolean, timedOut = false): void {
  const wt = run.state.wt!;
  if (timedOut) {
    run.append(EventType.WorkflowTaskTimedOut, {
      scheduledEventId: wt.scheduledId,
      startedEventId: wt.startedId,
      timeoutType: TimeoutType.StartToClose,
    });
  } else {
    run.append(EventType.WorkflowTaskFailed, {
      scheduledEventId: wt.scheduledId,
      startedEventId: wt.startedId,
      cause,
      failure,
      identity,
    });
  }
  run.state.wt = null;
  run.deleteTimers('wt');
  if (countsAsFailure) run.state.wtFailures++;
  for (const u of Object.values(run.state.updates)) if (u.stage === 'sent') u.stage = 'admitted';
  run.flushBuffered();
  const failures = run.state.wtFailures;
  if (failures >= 3) {
    run.addTimer('wt-retry', Date.now() + Math.min(1000 * 2 ** (failures - 3), 60_000), { kind: 'wt-retry' });
  } else {
    run.scheduleWorkflowTask();
  }
}

export function onWorkflowTaskTimeout(run: Run, data: { scheduledId: number; attempt: number }): void {
  const wt = run.state.wt;
  if (!run.isRunning || !wt || wt.scheduledId !== data.scheduledId || wt.attempt !== data.attempt || wt.startedId === 0) return;
  failWorkflowTask(run, 0, undefined, '', true, true);
}
