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
