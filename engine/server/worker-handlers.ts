import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context';
import type { Handler } from './grpc';
import { parseToken, pollDeadline, requireTaskQueue, requireWorkflowId } from './requests';
import { longPoll, TaskQueues } from '../matching/task-queues';
import { RUN_COLUMNS, withTx, type Tx } from '../history/tx';
import { TaskKind } from '../history/run';
import {
  completeWorkflowTask,
  encodeToken,
  failWorkflowTask,
  inFlightTask,
  startWorkflowTask,
} from '../history/workflow-task';
import { cancelActivity, completeActivity, failActivityAttempt, recordHeartbeat, startActivity } from '../history/activities';
import { invalidArgument, notFound } from '../errors';
import { HistoryEventType, PayloadsType, duration, timestamp, toBase64, type Msg } from '../proto';
import type { ExecutionRow, Run } from '../history/run';

const POLL_CAP_MS = 60_000;

type Taken = { response: Msg } | 'stale' | undefined;

class PollerGone extends Error {}

interface TakenRow extends ExecutionRow {
  task: { scheduledId: number; attempt: number };
  scheduled_event: Buffer | null;
}

/**
 * Takes the oldest task row of a queue and locks its run in one statement, then starts the task on the run
 * in the same transaction. An activity task also brings its ActivityTaskScheduled event (immutable, so it
 * is safe to read in that statement); a workflow task reads the history after the lock is held.
 */
async function takeTask(
  ctx: EngineContext,
  namespace: string,
  queue: string,
  kind: number,
  signal: AbortSignal,
  start: (run: Run, task: TakenRow) => Promise<Msg | undefined>,
): Promise<Msg | undefined> {
  const handBack = () => {
    // This poll claimed the queue's announcement but will not deliver: pass it on to another poller.
    ctx.matching.notify(namespace, queue, kind);
    return undefined;
  };
  for (;;) {
    if (signal.aborted) return handBack();
    let taken: Taken;
    try {
      // Handing out a task need not wait for the WAL flush: were PostgreSQL itself to crash before the flush,
      // the task would be handed out again (at-least-once, as on a real server). Completions stay synchronous.
      taken = await withTx(ctx, takeAndStart, { asyncCommit: true });
    } catch (err) {
      handBack();
      if (err instanceof PollerGone) return undefined;
      throw err;
    }
    if (taken === undefined) {
      // The read found nothing it could take; if a task is there all the same (a concurrent read holds
      // it, or the announcement was used by a read that took an older task), announce it again shortly
      // rather than leave it to the periodic recheck.
      const { rows } = await ctx.pool.query<{ found: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM tasks WHERE namespace = $1 AND task_queue = $2 AND kind = $3) AS found',
        [namespace, queue, kind],
      );
      if (rows[0].found) setTimeout(handBack, 5);
      return undefined;
    }
    if (taken !== 'stale') return taken.response;
  }

  async function takeAndStart(tx: Tx): Promise<Taken> {
    const { rows } = await tx.query<TakenRow>(
      `WITH t AS (
         DELETE FROM tasks WHERE id = (
           SELECT id FROM tasks WHERE namespace = $1 AND task_queue = $2 AND kind = $3 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
         ) RETURNING run_id, data
       )
       SELECT t.data AS task, ${RUN_COLUMNS.split(', ').map((c) => `e.${c}`).join(', ')},
         CASE WHEN $3 = ${TaskKind.Activity} THEN (
           SELECT h.data FROM history_events h WHERE h.run_id = t.run_id AND h.event_id = (t.data->>'scheduledId')::bigint
         ) END AS scheduled_event
       FROM t JOIN executions e ON e.run_id = t.run_id
       FOR UPDATE OF e`,
      [namespace, queue, kind],
      'take-task',
    );
    if (rows.length === 0) return undefined;
    const run = tx.adoptLockedRun(rows[0]);
    const response = await start(run, rows[0]);
    // A poller that went away meanwhile (worker shutting down, poll cancelled) would never receive the
    // task and it would sit started until its timeout: roll back and hand it to another poller instead.
    if (signal.aborted) throw new PollerGone();
    return response ? { response } : 'stale';
  }
}

export function workerHandlers(ctx: EngineContext): Record<string, Handler> {
  const { namespaces, matching, queries } = ctx;

  async function queryTaskResponse(task: { id: string; runId: string; query: Msg }): Promise<Msg | undefined> {
    const { rows } = await ctx.pool.query('SELECT workflow_id, state FROM executions WHERE run_id = $1', [task.runId]);
    if (!rows[0]) return undefined;
    const history = await ctx.pool.query<{ data: Buffer }>('SELECT data FROM history_events WHERE run_id = $1 ORDER BY event_id', [task.runId]);
    return {
      taskToken: encodeToken({ k: 'q', q: task.id }),
      workflowExecution: { workflowId: rows[0].workflow_id, runId: task.runId },
      workflowType: { name: rows[0].state.workflowType },
      previousStartedEventId: rows[0].state.lastWtStartedId,
      startedEventId: 0,
      attempt: 1,
      history: { events: history.rows.map((r) => HistoryEventType.decode(r.data)) },
      query: task.query,
      workflowExecutionTaskQueue: { name: rows[0].state.taskQueue, kind: 1 },
    };
  }

  return {
    async PollWorkflowTaskQueue(req, call) {
      const ns = await namespaces.require(req.namespace);
      const queue = requireTaskQueue(req.taskQueue);
      const key = TaskQueues.key(ns.name, queue, TaskKind.Workflow);
      const identity = req.identity ?? '';
      const response = await longPoll(matching, key, pollDeadline(call.deadline, POLL_CAP_MS), call.signal, async () => {
        const query = queries.take(key);
        if (query) {
          const response = await queryTaskResponse(query);
          if (call.signal.aborted) {
            queries.giveBack(key, query);
            return undefined;
          }
          if (response) return response;
          query.resolve({ error: 'workflow execution not found' });
        }
        return takeTask(ctx, ns.name, queue, TaskKind.Workflow, call.signal, (run, row) => startWorkflowTask(run.tx, run, row.task.scheduledId, identity));
      });
      return response ?? {};
    },

    async PollActivityTaskQueue(req, call) {
      const ns = await namespaces.require(req.namespace);
      const queue = requireTaskQueue(req.taskQueue);
      const key = TaskQueues.key(ns.name, queue, TaskKind.Activity);
      const identity = req.identity ?? '';
      const response = await longPoll(matching, key, pollDeadline(call.deadline, POLL_CAP_MS), call.signal, () =>
        takeTask(ctx, ns.name, queue, TaskKind.Activity, call.signal, async (run, row) => {
          const a = run.state.activities[row.task.scheduledId];
          if (!run.isRunning || !a || a.attempt !== row.task.attempt || a.startedTime > 0 || !row.scheduled_event) return undefined;
          startActivity(run, a, identity, randomUUID());
          return activityTaskResponse(run, a, (HistoryEventType.decode(row.scheduled_event) as Msg).activityTaskScheduledEventAttributes);
        }),
      );
      return response ?? {};
    },

    async RespondWorkflowTaskCompleted(req) {
      const token = parseToken(req.taskToken, 'w');
      const activityTasks = await withTx(ctx, async (tx) => {
        const run = await tx.lockRun(token.r!);
        if (!inFlightTask(run, token)) throw notFound('Workflow task not found.');
        const eager = await completeWorkflowTask(tx, run!, req);
        return eager.map(({ activity, scheduled }) => activityTaskResponse(run!, activity, scheduled));
      });
      return { activityTasks };
    },

    async RespondWorkflowTaskFailed(req) {
      const token = parseToken(req.taskToken, 'w');
      await withTx(ctx, async (tx) => {
        const run = await tx.lockRun(token.r!);
        if (!inFlightTask(run, token)) throw notFound('Workflow task not found.');
        failWorkflowTask(run!, req.cause ?? 0, req.failure, req.identity ?? '', true);
      });
      return {};
    },

    async RespondQueryTaskCompleted(req) {
      const token = parseToken(req.taskToken, 'q');
      const answered = req.completedType === 1;
      const found = queries.complete(token.q!, answered ? { answer: req.queryResult } : { error: req.errorMessage || req.failure?.message || 'query failed' });
      if (!found) throw notFound('Query task not found.');
      return {};
    },

    async RespondActivityTaskCompleted(req) {
      await withActivity(ctx, req.taskToken, (run, a) => completeActivity(run, a, req.result, req.identity ?? ''));
      return {};
    },

    async RespondActivityTaskFailed(req) {
      await withActivity(ctx, req.taskToken, (run, a) => {
        if (req.lastHeartbeatDetails) a.heartbeatDetails = toBase64(PayloadsType, req.lastHeartbeatDetails);
        failActivityAttempt(run, a, req.failure ?? { message: 'activity failed' }, req.identity ?? '');
      });
      return {};
    },

    async RespondActivityTaskCanceled(req) {
      await withActivity(ctx, req.taskToken, (run, a) => cancelActivity(run, a, req.details, req.identity ?? ''));
      return {};
    },

    async RecordActivityTaskHeartbeat(req) {
      let cancelRequested = false;
      await withActivity(ctx, req.taskToken, (run, a) => {
        recordHeartbeat(run, a, req.details);
        cancelRequested = !!a.cancelRequested;
      });
      return { cancelRequested };
    },

    // Async completion (the activity told its worker it will complete later) names the activity by id.
    async RespondActivityTaskCompletedById(req) {
      await withActivityById(ctx, req, (run, a) => completeActivity(run, a, req.result, req.identity ?? ''));
      return {};
    },

    async RespondActivityTaskFailedById(req) {
      await withActivityById(ctx, req, (run, a) => {
        if (req.lastHeartbeatDetails) a.heartbeatDetails = toBase64(PayloadsType, req.lastHeartbeatDetails);
        failActivityAttempt(run, a, req.failure ?? { message: 'activity failed' }, req.identity ?? '');
      });
      return {};
    },

    async RespondActivityTaskCanceledById(req) {
      await withActivityById(ctx, req, (run, a) => cancelActivity(run, a, req.details, req.identity ?? ''));
      return {};
    },

    async RecordActivityTaskHeartbeatById(req) {
      let cancelRequested = false;
      await withActivityById(ctx, req, (run, a) => {
        recordHeartbeat(run, a, req.details);
        cancelRequested = !!a.cancelRequested;
      });
      return { cancelRequested };
    },

    async ShutdownWorker() {
      return {};
    },

    /** The engine never routes to sticky queues (every task carries the full history): nothing to reset. */
    async ResetStickyTaskQueue(req) {
      await namespaces.require(req.namespace);
      requireWorkflowId(req.execution);
      return {};
    },
  };
}

/** Locks the run of an activity task token and checks the attempt is still the running one. */
async function withActivity(
  ctx: EngineContext,
  rawToken: Uint8Array | undefined,
  fn: (run: Run, a: ActivityOf) => void,
): Promise<void> {
  const token = parseToken(rawToken, 'a');
  await withTx(ctx, async (tx) => {
    const run = await tx.lockRun(token.r!);
    const a = run?.isRunning ? run.state.activities[token.s!] : undefined;
    if (!run || !a || a.attempt !== token.a || a.startedTime === 0) throw notFound('Activity task not found.');
    fn(run, a);
  });
}

type ActivityOf<R extends Run = Run> = NonNullable<R['state']['activities'][string]>;

/** Locks the run named by workflow id (and run id) and finds the running activity with the request's activity id. */
async function withActivityById(ctx: EngineContext, req: Msg, fn: (run: Run, a: ActivityOf) => void): Promise<void> {
  const ns = await ctx.namespaces.require(req.namespace);
  const workflowId = requireWorkflowId({ workflowId: req.workflowId }, 'WorkflowId');
  if (!req.activityId) throw invalidArgument('ActivityId is not set on request.');
  await withTx(ctx, async (tx) => {
    const run = await tx.lockExecution(ns.name, workflowId, req.runId);
    const a = run?.isRunning ? Object.values(run.state.activities).find((x) => x.activityId === req.activityId) : undefined;
    if (!run || !a || a.startedTime === 0) throw notFound('Activity task not found.');
    fn(run, a);
  });
}

/** PollActivityTaskQueueResponse for a started attempt (from a poll, or eagerly with a workflow task completion). */
function activityTaskResponse(run: Run, a: ActivityOf, scheduled: Msg): Msg {
  return {
    taskToken: encodeToken({ k: 'a', r: run.runId, s: a.scheduledId, a: a.attempt }),
    workflowNamespace: run.namespace,
    workflowType: { name: run.state.workflowType },
    workflowExecution: run.execution,
    activityType: scheduled.activityType,
    activityId: a.activityId,
    header: scheduled.header,
    input: scheduled.input,
    heartbeatDetails: a.heartbeatDetails ? PayloadsType.decode(Buffer.from(a.heartbeatDetails, 'base64')) : undefined,
    scheduledTime: timestamp(a.scheduledTime),
    currentAttemptScheduledTime: timestamp(a.attemptScheduledTime),
    startedTime: timestamp(a.startedTime),
    attempt: a.attempt,
    scheduleToCloseTimeout: duration(a.scheduleToCloseMs),
    startToCloseTimeout: duration(a.startToCloseMs),
    heartbeatTimeout: duration(a.heartbeatMs),
    retryPolicy: scheduled.retryPolicy,
    priority: scheduled.priority,
  };
}
