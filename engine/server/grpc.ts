import * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { isDatabaseUnavailable, ServiceError } from '../errors';
import type { Msg } from '../proto';

export interface CallContext {
  /** Epoch ms of the caller's deadline (Infinity when none). */
  deadline: number;
  /** Fires when the caller cancels or the engine stops. */
  signal: AbortSignal;
}

export type Handler = (request: Msg, call: CallContext) => Promise<Msg>;

/** A grpc-js service definition for every method of a protobufjs service, encoding with its own types. */
export function serviceDefinition(service: protobuf.Service): grpc.ServiceDefinition {
  service.resolveAll();
  const definition: Record<string, grpc.MethodDefinition<Msg, Msg>> = {};
  for (const method of service.methodsArray) {
    const req = method.resolvedRequestType!;
    const res = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${service.fullName.replace(/^\./, '')}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: (value: Msg) => Buffer.from(req.encode(value).finish()),
      requestDeserialize: (bytes: Buffer) => req.decode(bytes),
      responseSerialize: (value: Msg) => Buffer.from(res.encode(value).finish()),
      responseDeserialize: (bytes: Buffer) => res.decode(bytes),
      originalName: method.name,
    };
  }
  return definition as grpc.ServiceDefinition;
}

/**
 * Wraps async handlers as unary grpc-js handlers: a ServiceError keeps its status, a database that cannot be
 * reached is UNAVAILABLE (clients retry), anything else is logged and answered INTERNAL without details (never
 * crash, never leak internals).
 */
export function implement(
  handlers: Record<string, Handler>,
  stopping: AbortSignal,
  log: (message: string, err?: unknown) => void,
): grpc.UntypedServiceImplementation {
  const impl: grpc.UntypedServiceImplementation = {};
  for (const [name, handler] of Object.entries(handlers)) {
    impl[name] = (call: grpc.ServerUnaryCall<Msg, Msg>, callback: grpc.sendUnaryData<Msg>) => {
      const cancelled = new AbortController();
      call.on('cancelled', () => cancelled.abort());
      const rawDeadline = call.getDeadline();
      const deadline = rawDeadline instanceof Date ? rawDeadline.getTime() : Number(rawDeadline);
      const context: CallContext = {
        deadline: Number.isFinite(deadline) && deadline > 0 ? deadline : Infinity,
        signal: AbortSignal.any([cancelled.signal, stopping]),
      };
      handler(call.request ?? {}, context).then(
        (response) => callback(null, response ?? {}),
        (err: unknown) => {
          if (err instanceof ServiceError) {
            callback({ code: err.code, details: err.message });
          } else if (isDatabaseUnavailable(err)) {
            log(`${name} failed`, err);
            callback({ code: grpc.status.UNAVAILABLE, details: 'persistence unavailable' });
          } else {
            log(`${name} failed`, err);
            callback({ code: grpc.status.INTERNAL, details: 'internal error' });
          }
        },
      );
    };
  }
  return impl;
}
