import { invalidArgument } from '../errors';
import { durationToMs, type Msg } from '../proto';
import type { TaskToken } from '../history/workflow-task';

const MAX_ID_LENGTH = 1000;

/** Decodes a task token the engine issued; anything else is INVALID_ARGUMENT, as on a real server. */
export function parseToken(bytes: Uint8Array | undefined, kind: TaskToken['k']): TaskToken {
  if (!bytes || bytes.length === 0) throw invalidArgument('Task token not set on request.');
  let token: TaskToken;
  try {
    token = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw invalidArgument('Error deserializing task token.');
  }
  if (!token || typeof token !== 'object' || token.k !== kind) throw invalidArgument('Error deserializing task token.');
  return token;
}

export function requireWorkflowId(execution: Msg, field = 'Execution'): string {
  if (!execution) throw invalidArgument(`${field} is not set on request.`);
  const id = execution.workflowId;
  if (!id) throw invalidArgument('WorkflowId is not set on request.');
  if (id.length > MAX_ID_LENGTH) throw invalidArgument('WorkflowId length exceeds limit.');
  return id;
}

export function requireTaskQueue(taskQueue: Msg): string {
  const name = taskQueue?.name;
  if (!name) throw invalidArgument('TaskQueue is not set on request.');
  if (name.length > MAX_ID_LENGTH) throw invalidArgument('TaskQueue length exceeds limit.');
  return name;
}

/** A timeout field in ms; a negative one is INVALID_ARGUMENT naming the field. */
export function timeoutMs(value: Msg, field: string): number {
  const ms = durationToMs(value);
  if (ms < 0) throw invalidArgument(`Invalid ${field}.`);
  return ms;
}

/** How long a long poll may wait: a little before the caller's deadline, and never more than `cap`. */
export function pollDeadline(callDeadline: number, cap: number): number {
  return Math.min(callDeadline - 1000, Date.now() + cap);
}
