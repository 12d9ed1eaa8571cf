import { randomUUID } from 'node:crypto';
import type { EngineContext } from '../context';
import type { Handler } from './grpc';
import { parseToken, pollDeadline, requireTaskQueue } from './requests';
import { longPoll, TaskQueues } from '../matching/task-queues';
import { withTx } from '../history/tx';
import { TaskKind } from '../history/run';
import {
  completeWorkflowTask,
  encodeToken,
  failWorkflowTask,
  inFlightTask,
  startWorkflowTask,
} from '../history/workflow-task';
import { cancelActivity, completeActivity, failActivityAttempt, recordHeartbeat, startActivity } from '../history/activities';
import { notFound } from '../errors';
import { HistoryEventType, PayloadsType, duration, timestamp, toBase64, type Msg } from '../proto';
import type { Run } from '../history/run';

const POLL_CAP_MS = 60_000;

type Taken = { response: Msg } | 'stale' | undefined;

/** Takes the oldest task row of a queue and, in the same transaction, starts it on its run. */
async function takeTask(ctx: EngineContext, namespace: string, queue: string, kind: number, start: (run: Run, data: Msg) => Promise<Msg | undefined>): Promise<Msg | undefined> {
  for (;;) {
    const taken: Taken = await withTx(ctx, async (tx) => {
      const { rows } = await tx.query<{ run_id: string; data: Msg }>(
        `DELETE FROM tasks WHERE id = (
           SELECT id FROM tasks WHERE namespace = $1 AND task_queue = $2 AND kind = $3 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
         ) RETURNING run_id, data`,
        [namespace, queue, kind],
      );
      if (rows.length === 0) return undefined;
      const run = await tx.lockRun(rows[0].run_id);
      const response = run && (await start(run, rows[0].data));
      return response ? { response } : 'stale';
    });
    if (taken === undefined) return undefined;
    if (taken !== 'stale') return taken.response;
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
          if (response) return response;
          query.resolve({ error: 'workflow execution not found' });
        }
        return takeTask(ctx, ns.name, queue, TaskKind.Workflow, (run, data) => startWorkflowTask(run.tx, run, data.scheduledId, identity));
      });
      return response ?? {};
    },

    async PollActivityTaskQueue(req, call) {
      const ns = await namespaces.require(req.namespace);
      const queue = requireTaskQueue(req.taskQueue);
      const key = TaskQueues.key(ns.name, queue, TaskKind.Activity);
      const identity = req.identity ?? '';
      const response = await longPoll(matching, key, pollDeadline(call.deadline, POLL_CAP_MS), call.signal, () =>
        takeTask(ctx, ns.name, queue, TaskKind.Activity, async (run, data) => {
          const a = run.state.activities[data.scheduledId];
          if (!run.isRunning || !a || a.attempt !== data.attempt || a.startedTime > 0) return undefined;
          startActivity(run, a, identity, randomUUID());
          const { rows } = await run.tx.query<{ data: Buffer }>('SELECT data FROM history_events WHERE run_id = $1 AND event_id = $2', [
            run.runId,
            a.scheduledId,
          ]);
          const scheduled = (HistoryEventType.decode(rows[0].data) as Msg).activityTaskScheduledEventAttributes;
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
        }),
      );
      return response ?? {};
    },

    async RespondWorkflowTaskCompleted(req) {
      const token = parseToken(req.taskToken, 'w');
      await withTx(ctx, async (tx) => {
        const run = await tx.lockRun(token.r!);
        if (!inFlightTask(run, token)) throw notFound('Workflow task not found.');
        await completeWorkflowTask(tx, run!, req);
      });
      return {};
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

    async ShutdownWorker() {
      return {};
    },
  };
}

/** Locks the run of an activity task token and checks the attempt is still the running one. */
async function withActivity(
  ctx: EngineContext,
  rawToken: Uint8Array | undefined,
  fn: (run: Run, a: NonNullable<Run['state']['activities'][string]>) => void,
): Promise<void> {
  const token = parseToken(rawToken, 'a');
  await withTx(ctx, async (tx) => {
    const run = await tx.lockRun(token.r!);
    const a = run?.isRunning ? run.state.activities[token.s!] : undefined;
    if (!run || !a || a.attempt !== token.a || a.startedTime === 0) throw notFound('Activity task not found.');
    fn(run, a);
  });
}
