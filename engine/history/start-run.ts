import { randomUUID } from 'node:crypto';
import type { Tx } from './tx';
import type { Run } from './run';
import { newRunState, type ParentRef, type RunState } from './state';
import { applySearchAttributes } from './search-attributes';
import { terminateRun } from './close-run';
import { alreadyExists } from '../errors';
import { EventType, ExecutionStatus, MemoType, duration, timestamp, toBase64, type Msg } from '../proto';

export const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
const MAX_WORKFLOW_TASK_TIMEOUT_MS = 120_000;

export interface NewRun {
  namespace: string;
  namespaceId: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: Msg;
  header?: Msg;
  memo?: Msg;
  searchAttributes?: Msg;
  attributeTypes: Map<string, number>;
  executionTimeoutMs: number;
  runTimeoutMs: number;
  taskTimeoutMs: number;
  identity: string;
  requestId?: string;
  retryPolicy?: Msg;
  startDelayMs?: number;
  parent?: ParentRef & { namespaceId: string };
  firstRunId?: string;
  continuedRunId?: string;
  initiator?: number;
  continuedFailure?: Msg;
  lastCompletionResult?: Msg;
  executionExpiration?: number;
  cronSchedule?: string;
  userMetadata?: Msg;
  /** Signal-with-start: the signal is written right after the started event. */
  signal?: { name: string; input?: Msg; header?: Msg; identity: string; requestId?: string };
}

/** Writes a new run (started event, first workflow task or its delay, run timeout). The caller owns id checks. */
export function createRun(tx: Tx, p: NewRun, runId: string = randomUUID()): Run {
  const now = Date.now();
  const executionExpiration = p.executionExpiration ?? (p.executionTimeoutMs > 0 ? now + p.executionTimeoutMs : 0);
  const runTimeoutMs = p.runTimeoutMs > 0 ? p.runTimeoutMs : p.executionTimeoutMs;
  let taskTimeoutMs = p.taskTimeoutMs > 0 ? p.taskTimeoutMs : DEFAULT_WORKFLOW_TASK_TIMEOUT_MS;
  taskTimeoutMs = Math.min(taskTimeoutMs, MAX_WORKFLOW_TASK_TIMEOUT_MS, runTimeoutMs > 0 ? runTimeoutMs : Infinity);
  const delay = p.startDelayMs ?? 0;
  const state: RunState = newRunState({
    nextEventId: 1,
    workflowType: p.workflowType,
    taskQueue: p.taskQueue,
    workflowTaskTimeoutMs: taskTimeoutMs,
    runTimeoutMs,
    executionTimeoutMs: p.executionTimeoutMs,
    executionExpiration,
    firstRunId: p.firstRunId ?? runId,
    parent: p.parent && {
      namespace: p.parent.namespace,
      workflowId: p.parent.workflowId,
      runId: p.parent.runId,
      initiatedId: p.parent.initiatedId,
    },
    memo: p.memo ? toBase64(MemoType, p.memo) : undefined,
  });
  const run = tx.createRun({
    run_id: runId,
    namespace: p.namespace,
    workflow_id: p.workflowId,
    workflow_type: p.workflowType,
    task_queue: p.taskQueue,
    status: ExecutionStatus.Running,
    start_time: new Date(now),
    execution_time: new Date(now + delay),
    close_time: null,
    search_attributes: {},
    history_length: 0,
    start_request_id: p.requestId ?? null,
    state,
  });
  applySearchAttributes(run, p.searchAttributes?.indexedFields, p.attributeTypes);
  run.append(EventType.WorkflowExecutionStarted, {
    workflowType: { name: p.workflowType },
    parentWorkflowNamespace: p.parent?.namespace,
    parentWorkflowNamespaceId: p.parent?.namespaceId,
    parentWorkflowExecution: p.parent ? { workflowId: p.parent.workflowId, runId: p.parent.runId } : undefined,
    parentInitiatedEventId: p.parent?.initiatedId,
    taskQueue: { name: p.taskQueue, kind: 1 },
    input: p.input,
    workflowExecutionTimeout: duration(p.executionTimeoutMs),
    workflowRunTimeout: duration(runTimeoutMs),
    workflowTaskTimeout: duration(taskTimeoutMs),
    continuedExecutionRunId: p.continuedRunId,
    initiator: p.initiator,
    continuedFailure: p.continuedFailure,
    lastCompletionResult: p.lastCompletionResult,
    originalExecutionRunId: runId,
    identity: p.identity,
    firstExecutionRunId: state.firstRunId,
    retryPolicy: p.retryPolicy,
    attempt: 1,
    workflowExecutionExpirationTime: executionExpiration ? timestamp(executionExpiration) : undefined,
    cronSchedule: p.cronSchedule,
    firstWorkflowTaskBackoff: delay > 0 ? duration(delay) : undefined,
    memo: p.memo,
    searchAttributes: p.searchAttributes,
    header: p.header,
    workflowId: p.workflowId,
  });
  if (p.signal) {
    run.append(EventType.WorkflowExecutionSignaled, {
      signalName: p.signal.name,
      input: p.signal.input,
      identity: p.signal.identity,
      header: p.signal.header,
      requestId: p.signal.requestId,
    });
  }
  if (delay > 0) run.addTimer('start', now + delay, { kind: 'start' });
  else run.scheduleWorkflowTask();
  const runDeadline = Math.min(runTimeoutMs > 0 ? now + delay + runTimeoutMs : Infinity, executionExpiration || Infinity);
  if (runDeadline < Infinity) run.addTimer('run-timeout', runDeadline, { kind: 'run-timeout' });
  return run;
}

export const ReusePolicy = { AllowDuplicate: 1, AllowDuplicateFailedOnly: 2, RejectDuplicate: 3, TerminateIfRunning: 4 } as const;
export const ConflictPolicy = { Fail: 1, UseExisting: 2, TerminateExisting: 3 } as const;

export interface StartOutcome {
  run: Run;
  started: boolean;
}

/**
 * Starts a run under the workflow id's reuse and conflict policies; ALREADY_EXISTS (what the client turns into
 * WorkflowExecutionAlreadyStartedError) when they forbid it. `onRunning` lets signal-with-start use the run.
 */
export async function startWorkflow(
  tx: Tx,
  p: NewRun,
  reusePolicy: number,
  conflictPolicy: number,
  onRunning?: (run: Run) => StartOutcome | undefined,
): Promise<StartOutcome> {
  const runId = randomUUID();
  const inserted = await tx.query(
    'INSERT INTO current_runs (namespace, workflow_id, run_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING run_id',
    [p.namespace, p.workflowId, runId],
    'claim-workflow-id',
  );
  if (inserted.rowCount === 0) {
    const { rows } = await tx.query<{ run_id: string }>(
      'SELECT run_id FROM current_runs WHERE namespace = $1 AND workflow_id = $2 FOR UPDATE',
      [p.namespace, p.workflowId],
    );
    const existing = await tx.lockRun(rows[0].run_id);
    if (existing?.isRunning) {
      const reused = onRunning?.(existing);
      if (reused) return reused;
      if (p.requestId && existing.row.start_request_id === p.requestId) return { run: existing, started: true };
      const policy =
        conflictPolicy || (reusePolicy === ReusePolicy.TerminateIfRunning ? ConflictPolicy.TerminateExisting : ConflictPolicy.Fail);
      if (policy === ConflictPolicy.UseExisting) return { run: existing, started: false };
      if (policy === ConflictPolicy.TerminateExisting) {
        await terminateRun(tx, existing, 'terminated by a new start of the same workflow id', undefined, p.identity);
      } else {
        throw alreadyExists(`Workflow execution is already running. WorkflowId: ${p.workflowId}, RunId: ${existing.runId}.`);
      }
    } else if (existing) {
      if (p.requestId && existing.row.start_request_id === p.requestId) return { run: existing, started: true };
      if (reusePolicy === ReusePolicy.RejectDuplicate) {
        throw alreadyExists(
          `Workflow execution already finished and the id reuse policy rejects duplicates. WorkflowId: ${p.workflowId}, RunId: ${existing.runId}.`,
        );
      }
      if (reusePolicy === ReusePolicy.AllowDuplicateFailedOnly && existing.row.status === ExecutionStatus.Completed) {
        throw alreadyExists(
          `Workflow execution already finished successfully. WorkflowId: ${p.workflowId}, RunId: ${existing.runId}. Workflow Id reuse policy: allow duplicate workflow Id if last run failed.`,
        );
      }
    }
    await tx.query('UPDATE current_runs SET run_id = $3 WHERE namespace = $1 AND workflow_id = $2', [p.namespace, p.workflowId, runId]);
  }
  return { run: createRun(tx, p, runId), started: true };
}
