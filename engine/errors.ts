import { status } from '@grpc/grpc-js';

/** An error that the gRPC layer returns to the caller with its own status code, as a real server would. */
export class ServiceError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (message: string) => new ServiceError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new ServiceError(status.NOT_FOUND, message);
export const alreadyExists = (message: string) => new ServiceError(status.ALREADY_EXISTS, message);
export const failedPrecondition = (message: string) => new ServiceError(status.FAILED_PRECONDITION, message);

export const workflowNotFound = (workflowId: string, runId?: string) =>
  notFound(`workflow execution not found for WorkflowId: ${workflowId}${runId ? `, RunId: ${runId}` : ''}`);
export const workflowCompleted = () => notFound('workflow execution already completed');
export const namespaceNotFound = (name: string) => notFound(`Namespace ${name} is not found.`);

/** SQLSTATEs of a database that is restarting, shutting down or out of connections: worth a retry. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

/**
 * Whether an error means the database could not be reached, rather than that the request was wrong. The real
 * server answers UNAVAILABLE when its persistence is down, which the SDK's clients retry by themselves.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  // node-postgres reports a connection broken mid-query without a code.
  return /Connection terminated|connection error|not queryable/i.test(err.message);
}
