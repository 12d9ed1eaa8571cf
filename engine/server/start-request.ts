import type { EngineContext } from '../context';
import type { NamespaceRecord } from '../store/namespaces';
import type { NewRun } from '../history/start-run';
import { ConflictPolicy, ReusePolicy } from '../history/start-run';
import { unknownAttributes } from '../history/search-attributes';
import { invalidArgument } from '../errors';
import { requireTaskQueue, requireWorkflowId, timeoutMs } from './requests';
import type { Msg } from '../proto';

/** Validates a StartWorkflowExecution / SignalWithStart request field by field, in the real server's words. */
export async function parseStartRequest(ctx: EngineContext, ns: NamespaceRecord, req: Msg): Promise<NewRun> {
  const workflowId = requireWorkflowId({ workflowId: req.workflowId }, 'WorkflowId');
  if (!req.workflowType?.name) throw invalidArgument('WorkflowType is not set on request.');
  const taskQueue = requireTaskQueue(req.taskQueue);
  if (!req.requestId) throw invalidArgument('RequestId is not set on request.');
  const executionTimeoutMs = timeoutMs(req.workflowExecutionTimeout, 'WorkflowExecutionTimeout');
  const runTimeoutMs = timeoutMs(req.workflowRunTimeout, 'WorkflowRunTimeout');
  const taskTimeoutMs = timeoutMs(req.workflowTaskTimeout, 'WorkflowTaskTimeout');
  const startDelayMs = timeoutMs(req.workflowStartDelay, 'WorkflowStartDelay');
  if (req.workflowIdConflictPolicy === ConflictPolicy.UseExisting && req.workflowIdReusePolicy === ReusePolicy.TerminateIfRunning) {
    throw invalidArgument('Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING cannot be used together with a WorkflowIDConflictPolicy.');
  }
  if (req.cronSchedule) throw invalidArgument('CronSchedule is not supported by this server.');
  const attributeTypes = await ctx.namespaces.attributeTypes(ns.name);
  const unknown = unknownAttributes(req.searchAttributes?.indexedFields, attributeTypes);
  if (unknown.length) throw invalidArgument(`Namespace ${ns.name} has no mapping defined for search attribute ${unknown[0]}`);
  return {
    namespace: ns.name,
    namespaceId: ns.id,
    workflowId,
    workflowType: req.workflowType.name,
    taskQueue,
    input: req.input,
    header: req.header,
    memo: req.memo,
    searchAttributes: req.searchAttributes,
    attributeTypes,
    executionTimeoutMs,
    runTimeoutMs: executionTimeoutMs > 0 && (runTimeoutMs === 0 || runTimeoutMs > executionTimeoutMs) ? executionTimeoutMs : runTimeoutMs,
    taskTimeoutMs,
    identity: req.identity ?? '',
    requestId: req.requestId,
    retryPolicy: req.retryPolicy,
    startDelayMs,
    continuedFailure: req.continuedFailure,
    lastCompletionResult: req.lastCompletionResult,
  };
}
