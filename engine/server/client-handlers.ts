import type { EngineContext } from '../context';
import type { Handler } from './grpc';
import { parseStartRequest } from './start-request';
import { pollDeadline, requireWorkflowId } from './requests';
import { withTx, type Tx } from '../history/tx';
import type { Run } from '../history/run';
import { startWorkflow } from '../history/start-run';
import { requestCancelRun, signalRun, terminateRun } from '../history/close-run';
import { admitUpdate } from '../history/updates';
import { resetRun } from '../history/reset';
import { failedPrecondition, invalidArgument, notFound, workflowCompleted, workflowNotFound, ServiceError } from '../errors';
import { status as grpcStatus } from '@grpc/grpc-js';
import {
  ExecutionStatus,
  HistoryEventType,
  MemoType,
  PayloadsType,
  PayloadType,
  UpdateOutcomeType,
  UpdateStage,
  duration,
  fromBase64,
  timestamp,
  type Msg,
} from '../proto';
import type { ExecutionRow } from '../history/run';

const LONG_POLL_CAP_MS = 20_000;

/** Locks the run a request names (or the workflow's current run); NOT_FOUND if unknown or closed. */
async function lockRunning(tx: Tx, namespace: string, execution: Msg): Promise<Run> {
  const workflowId = requireWorkflowId(execution, 'WorkflowExecution');
  const run = await tx.lockExecution(namespace, workflowId, execution.runId);
  if (!run) throw workflowNotFound(workflowId, execution.runId);
  if (!run.isRunning) throw workflowCompleted();
  return run;
}

async function readRun(ctx: EngineContext, namespace: string, execution: Msg): Promise<ExecutionRow> {
  const workflowId = requireWorkflowId(execution);
  const runId =
    execution.runId ||
    (await ctx.pool.query('SELECT run_id FROM current_runs WHERE namespace = $1 AND workflow_id = $2', [namespace, workflowId])).rows[0]?.run_id;
  if (!runId) throw workflowNotFound(workflowId);
  const { rows } = await ctx.pool.query<ExecutionRow>('SELECT * FROM executions WHERE run_id = $1', [runId]);
  if (!rows[0] || rows[0].namespace !== namespace || rows[0].workflow_id !== workflowId) throw workflowNotFound(workflowId, execution.runId);
  return rows[0];
}

function searchAttributesOf(row: ExecutionRow): Msg {
  return {
    indexedFields: Object.fromEntries(Object.entries(row.state.searchAttributes).map(([k, v]) => [k, fromBase64(PayloadType, v)])),
  };
}

export function executionInfo(row: ExecutionRow): Msg {
  const s = row.state;
  return {
    execution: { workflowId: row.workflow_id, runId: row.run_id },
    type: { name: row.workflow_type },
    startTime: timestamp(new Date(row.start_time).getTime()),
    closeTime: row.close_time ? timestamp(new Date(row.close_time).getTime()) : undefined,
    status: row.status,
    historyLength: row.history_length,
    parentExecution: s.parent ? { workflowId: s.parent.workflowId, runId: s.parent.runId } : undefined,
    executionTime: timestamp(new Date(row.execution_time).getTime()),
    memo: fromBase64(MemoType, s.memo) ?? { fields: {} },
    searchAttributes: searchAttributesOf(row),
    taskQueue: row.task_queue,
    firstRunId: s.firstRunId,
  };
}

export function clientHandlers(ctx: EngineContext): Record<string, Handler> {
  const { namespaces, watchers } = ctx;

  return {
    async StartWorkflowExecution(req) {
      const ns = await namespaces.require(req.namespace);
      const params = await parseStartRequest(ctx, ns, req);
      const outcome = await withTx(ctx, (tx) => startWorkflow(tx, params, req.workflowIdReusePolicy ?? 0, req.workflowIdConflictPolicy ?? 0));
      return {
        runId: outcome.run.runId,
        started: outcome.started,
        status: outcome.run.row.status,
        firstExecutionRunId: outcome.run.state.firstRunId,
      };
    },

    async SignalWithStartWorkflowExecution(req) {
      const ns = await namespaces.require(req.namespace);
      if (!req.signalName) throw invalidArgument('SignalName is not set on request.');
      const params = await parseStartRequest(ctx, ns, req);
      const signal = { name: req.signalName, input: req.signalInput, header: req.header, identity: req.identity ?? '', requestId: req.requestId };
      params.signal = signal;
      const outcome = await withTx(ctx, (tx) =>
        startWorkflow(tx, params, req.workflowIdReusePolicy ?? 0, 2, (running) => {
          signalRun(running, signal);
          return { run: running, started: false };
        }),
      );
      return { runId: outcome.run.runId, started: outcome.started };
    },

    async SignalWorkflowExecution(req) {
      const ns = await namespaces.require(req.namespace);
      requireWorkflowId(req.workflowExecution, 'WorkflowExecution');
      if (!req.signalName) throw invalidArgument('SignalName is not set on request.');
      await withTx(ctx, async (tx) => {
        const run = await lockRunning(tx, ns.name, req.workflowExecution);
        signalRun(run, { name: req.signalName, input: req.input, header: req.header, identity: req.identity ?? '', requestId: req.requestId });
      });
      return {};
    },

    async RequestCancelWorkflowExecution(req) {
      const ns = await namespaces.require(req.namespace);
      await withTx(ctx, async (tx) => {
        const run = await lockRunning(tx, ns.name, req.workflowExecution);
        requestCancelRun(run, req.reason ?? '', req.identity ?? '');
      });
      return {};
    },

    async TerminateWorkflowExecution(req) {
      const ns = await namespaces.require(req.namespace);
      await withTx(ctx, async (tx) => {
        const run = await lockRunning(tx, ns.name, req.workflowExecution);
        await terminateRun(tx, run, req.reason ?? '', req.details, req.identity ?? '');
      });
      return {};
    },

    async ResetWorkflowExecution(req) {
      const ns = await namespaces.require(req.namespace);
      requireWorkflowId(req.workflowExecution, 'WorkflowExecution');
      const eventId = Number(req.workflowTaskFinishEventId ?? 0);
      if (!(eventId > 0)) throw invalidArgument('WorkflowTaskFinishEventId is not set on request.');
      const runId = await withTx(ctx, (tx) => resetRun(tx, ns, req.workflowExecution, eventId, req));
      return { runId };
    },

    async DescribeWorkflowExecution(req) {
      const ns = await namespaces.require(req.namespace);
      const row = await readRun(ctx, ns.name, req.execution);
      const s = row.state;
      return {
        executionConfig: {
          taskQueue: { name: row.task_queue, kind: 1 },
          workflowExecutionTimeout: duration(s.executionTimeoutMs),
          workflowRunTimeout: duration(s.runTimeoutMs),
          defaultWorkflowTaskTimeout: duration(s.workflowTaskTimeoutMs),
        },
        workflowExecutionInfo: executionInfo(row),
        pendingActivities: Object.values(s.activities).map((a) => ({
          activityId: a.activityId,
          activityType: { name: a.activityType },
          state: a.cancelRequested ? 3 : a.startedTime > 0 ? 2 : 1,
          heartbeatDetails: fromBase64(PayloadsType, a.heartbeatDetails),
          lastHeartbeatTime: a.lastHeartbeat ? timestamp(a.lastHeartbeat) : undefined,
          lastStartedTime: a.startedTime ? timestamp(a.startedTime) : undefined,
          attempt: a.attempt,
          maximumAttempts: a.retry.maximumAttempts,
          scheduledTime: timestamp(a.attemptScheduledTime),
          expirationTime: a.scheduleToCloseMs ? timestamp(a.scheduledTime + a.scheduleToCloseMs) : undefined,
          lastWorkerIdentity: a.identity,
        })),
        pendingChildren: Object.entries(s.children).map(([initiatedId, c]) => ({
          workflowId: c.workflowId,
          runId: c.runId,
          workflowTypeName: c.workflowType,
          initiatedId: Number(initiatedId),
          parentClosePolicy: c.parentClosePolicy,
        })),
        pendingWorkflowTask: s.wt
          ? {
              state: s.wt.startedId ? 2 : 1,
              scheduledTime: timestamp(s.wt.scheduledTime),
              startedTime: s.wt.startedId ? timestamp(s.wt.startedTime) : undefined,
              attempt: s.wt.attempt,
            }
          : undefined,
      };
    },

    async GetWorkflowExecutionHistory(req, call) {
      const ns = await namespaces.require(req.namespace);
      const workflowId = requireWorkflowId(req.execution);
      let page: { r?: string; n?: number } = {};
      if (req.nextPageToken?.length) {
        try {
          page = JSON.parse(Buffer.from(req.nextPageToken).toString('utf8'));
        } catch {
          throw invalidArgument('Invalid NextPageToken.');
        }
      }
      const row = await readRun(ctx, ns.name, { workflowId, runId: page.r || req.execution.runId });
      const runId = row.run_id;
      const closeOnly = req.historyEventFilterType === 2;
      const pageSize = req.maximumPageSize > 0 ? Math.min(req.maximumPageSize, 1000) : 1000;
      const deadline = pollDeadline(call.deadline, LONG_POLL_CAP_MS);
      const token = (n: number) => Buffer.from(JSON.stringify({ r: runId, n }));
      for (;;) {
        const sub = watchers.subscribe(runId, closeOnly);
        try {
        const { rows } = await ctx.pool.query<{ status: number; close_event: number | null }>(
          "SELECT status, (state->>'closeEventId')::bigint AS close_event FROM executions WHERE run_id = $1",
          [runId],
        );
        const running = rows[0].status === ExecutionStatus.Running;
        const from = closeOnly ? Number(rows[0].close_event ?? 0) : page.n || 1;
        if (closeOnly && running) {
          if (!req.waitNewEvent) return { history: { events: [] } };
        } else {
          const events = await ctx.pool.query<{ event_id: string; data: Buffer }>(
            'SELECT event_id, data FROM history_events WHERE run_id = $1 AND event_id >= $2 ORDER BY event_id LIMIT $3',
            [runId, from, closeOnly ? 1 : pageSize],
          );
          if (events.rows.length > 0 || !req.waitNewEvent || !running) {
            const last = Number(events.rows.at(-1)?.event_id ?? from - 1);
            const more = !closeOnly && (events.rows.length === pageSize || (req.waitNewEvent && running));
            return { history: { events: events.rows.map((r) => HistoryEventType.decode(r.data)) }, nextPageToken: more ? token(last + 1) : undefined };
          }
        }
        if (Date.now() >= deadline || call.signal.aborted) return { history: { events: [] }, nextPageToken: token(from) };
        await sub.wait(deadline - Date.now(), call.signal);
        } finally {
          sub.cancel();
        }
      }
    },

    async QueryWorkflow(req, call) {
      const ns = await namespaces.require(req.namespace);
      requireWorkflowId(req.execution);
      if (!req.query) throw invalidArgument('Query is not set on request.');
      if (!req.query.queryType) throw invalidArgument('QueryType is not set on request.');
      const deadline = Math.min(call.deadline, Date.now() + 60_000);
      const first = await readRun(ctx, ns.name, req.execution);
      for (;;) {
        // Subscribe before reading: a commit between the read and the wait then still wakes it.
        const sub = watchers.subscribe(first.run_id);
        try {
          const row = await readRun(ctx, ns.name, { workflowId: first.workflow_id, runId: first.run_id });
          const running = row.status === ExecutionStatus.Running;
          const reject = req.queryRejectCondition;
          // QueryRejectCondition: 2 = NOT_OPEN, 3 = NOT_COMPLETED_CLEANLY.
          if ((reject === 2 && !running) || (reject === 3 && !running && row.status !== ExecutionStatus.Completed)) {
            return { queryRejected: { status: row.status } };
          }
          if (running && !row.state.wt && row.state.lastWtStartedId === 0) {
            throw failedPrecondition('Workflow task is not scheduled yet.');
          }
          if (running && row.state.wtFailures > 0) throw failedPrecondition('Cannot query workflow due to Workflow Task in failed state.');
          // A legacy query task carries the whole history: wait until no workflow task is out.
          if (running && row.state.wt) {
            if (Date.now() >= deadline || call.signal.aborted) throw new ServiceError(grpcStatus.DEADLINE_EXCEEDED, 'query timed out');
            await sub.wait(deadline - Date.now(), call.signal);
            continue;
          }
          const timeout = AbortSignal.any([call.signal, AbortSignal.timeout(Math.max(0, deadline - Date.now() - 500))]);
          const answer = await ctx.queries.ask(ns.name, row.task_queue, row.run_id, req.query, timeout);
          if (!answer) throw new ServiceError(grpcStatus.DEADLINE_EXCEEDED, 'query timed out: no worker answered');
          if (answer.error !== undefined) throw invalidArgument(answer.error);
          return { queryResult: answer.answer };
        } finally {
          sub.cancel();
        }
      }
    },

    async UpdateWorkflowExecution(req, call) {
      const ns = await namespaces.require(req.namespace);
      requireWorkflowId(req.workflowExecution, 'WorkflowExecution');
      const request = req.request;
      if (!request) throw invalidArgument('Request is not set on request.');
      if (!request.meta?.updateId) throw invalidArgument('Update ID is not set on request.');
      if (!request.input?.name) throw invalidArgument('Update name is not set on request.');
      const runId = await withTx(ctx, async (tx) => {
        const run = await lockRunning(tx, ns.name, req.workflowExecution);
        admitUpdate(run, request);
        return run.runId;
      });
      const wanted = Math.max(req.waitPolicy?.lifecycleStage ?? 0, UpdateStage.Accepted);
      return waitForUpdate(runId, request.meta.updateId, wanted, call);
    },

    /** Update-with-start: start (or, by its conflict policy, reuse) the workflow and admit the update in one transaction. */
    async ExecuteMultiOperation(req, call) {
      const ns = await namespaces.require(req.namespace);
      const [first, second] = req.operations ?? [];
      if (req.operations?.length !== 2 || !first?.startWorkflow || !second?.updateWorkflow) {
        throw invalidArgument('Operations must be one StartWorkflow followed by one UpdateWorkflow.');
      }
      const start = first.startWorkflow;
      const update = second.updateWorkflow;
      if (start.namespace !== ns.name || update.namespace !== ns.name) throw invalidArgument('Operations must use the namespace of the request.');
      const params = await parseStartRequest(ctx, ns, start);
      const request = update.request;
      if (!request?.meta?.updateId) throw invalidArgument('Update ID is not set on request.');
      if (!request.input?.name) throw invalidArgument('Update name is not set on request.');
      if (update.workflowExecution?.workflowId && update.workflowExecution.workflowId !== start.workflowId) {
        throw invalidArgument('WorkflowId of the update must be the WorkflowId of the start.');
      }
      if (!start.workflowIdConflictPolicy) throw invalidArgument('WorkflowIdConflictPolicy is not set on StartWorkflow.');
      const outcome = await withTx(ctx, async (tx) => {
        const started = await startWorkflow(tx, params, start.workflowIdReusePolicy ?? 0, start.workflowIdConflictPolicy);
        admitUpdate(started.run, request);
        return started;
      });
      const wanted = Math.max(update.waitPolicy?.lifecycleStage ?? 0, UpdateStage.Accepted);
      const updateResponse = await waitForUpdate(outcome.run.runId, request.meta.updateId, wanted, call);
      return {
        responses: [
          { startWorkflow: { runId: outcome.run.runId, started: outcome.started, status: outcome.run.row.status } },
          { updateWorkflow: updateResponse },
        ],
      };
    },

    async PollWorkflowExecutionUpdate(req, call) {
      const ns = await namespaces.require(req.namespace);
      const ref = req.updateRef;
      if (!ref) throw invalidArgument('UpdateRef is not set on request.');
      if (!ref.updateId) throw invalidArgument('Update ID is not set on request.');
      const row = await readRun(ctx, ns.name, ref.workflowExecution);
      return waitForUpdate(row.run_id, ref.updateId, req.waitPolicy?.lifecycleStage || UpdateStage.Completed, call);
    },
  };

  /** Long-polls the run's state until the update reaches the wanted stage (or the poll ends). */
  async function waitForUpdate(runId: string, updateId: string, wanted: number, call: { deadline: number; signal: AbortSignal }): Promise<Msg> {
    const deadline = pollDeadline(call.deadline, LONG_POLL_CAP_MS);
    for (;;) {
      const sub = watchers.subscribe(runId);
      try {
      const { rows } = await ctx.pool.query<ExecutionRow>('SELECT * FROM executions WHERE run_id = $1', [runId]);
      const row = rows[0];
      const update = row.state.updates[updateId];
      const ref = { workflowExecution: { workflowId: row.workflow_id, runId }, updateId };
      if (!update) throw notFound(`update ${updateId} not found`);
      const stage = update.stage === 'completed' || update.stage === 'rejected' ? UpdateStage.Completed : update.stage === 'accepted' ? UpdateStage.Accepted : UpdateStage.Admitted;
      if (stage === UpdateStage.Completed) {
        return { updateRef: ref, stage, outcome: UpdateOutcomeType.decode(Buffer.from(update.outcome!, 'base64')) };
      }
      if (row.status !== ExecutionStatus.Running) throw notFound('workflow execution already completed');
      if (stage >= wanted) return { updateRef: ref, stage };
      if (Date.now() >= deadline || call.signal.aborted) return { updateRef: ref, stage };
      await sub.wait(deadline - Date.now(), call.signal);
      } finally {
        sub.cancel();
      }
    }
  }
}
