/**
 * The Temporal API protobuf types, decoded with the reflection root that @temporalio/proto ships, so the
 * engine speaks exactly the wire format of the SDK version the project pins.
 */
import { createRequire } from 'node:module';
import type protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
export const root = require('@temporalio/proto/protos/json-module.js') as protobuf.Root;

export function type(name: string): protobuf.Type {
  return root.lookupType(name);
}

export const HistoryEventType = type('temporal.api.history.v1.HistoryEvent');
export const FailureType = type('temporal.api.failure.v1.Failure');
export const PayloadsType = type('temporal.api.common.v1.Payloads');
export const PayloadType = type('temporal.api.common.v1.Payload');
export const MemoType = type('temporal.api.common.v1.Memo');
export const UpdateRequestType = type('temporal.api.update.v1.Request');
export const UpdateOutcomeType = type('temporal.api.update.v1.Outcome');
export const UpdateAcceptanceType = type('temporal.api.update.v1.Acceptance');
export const UpdateRejectionType = type('temporal.api.update.v1.Rejection');
export const UpdateResponseType = type('temporal.api.update.v1.Response');

/** A decoded protobuf message: plain object whose int64 fields may be Long. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = any;

/** int64 fields decode as Long; the engine's numbers (event ids, attempts, ms) all fit in a double. */
export function num(value: unknown): number {
  if (value == null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return Number((value as { toString(): string }).toString());
}

export function timestamp(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function timestampToMs(value: Msg): number {
  if (!value) return 0;
  return num(value.seconds) * 1000 + Math.floor((value.nanos ?? 0) / 1e6);
}

export function duration(ms: number): { seconds: number; nanos: number } {
  return timestamp(ms);
}

/** google.protobuf.Duration to milliseconds; absent means 0 (no limit). */
export function durationToMs(value: Msg): number {
  return timestampToMs(value);
}

export function encode(t: protobuf.Type, message: Msg): Buffer {
  return Buffer.from(t.encode(message).finish());
}

export function toBase64(t: protobuf.Type, message: Msg): string {
  return encode(t, message).toString('base64');
}

export function fromBase64(t: protobuf.Type, data: string | null | undefined): Msg {
  if (!data) return undefined;
  return t.decode(Buffer.from(data, 'base64'));
}

export const EventType = {
  WorkflowExecutionStarted: 1,
  WorkflowExecutionCompleted: 2,
  WorkflowExecutionFailed: 3,
  WorkflowExecutionTimedOut: 4,
  WorkflowTaskScheduled: 5,
  WorkflowTaskStarted: 6,
  WorkflowTaskCompleted: 7,
  WorkflowTaskTimedOut: 8,
  WorkflowTaskFailed: 9,
  ActivityTaskScheduled: 10,
  ActivityTaskStarted: 11,
  ActivityTaskCompleted: 12,
  ActivityTaskFailed: 13,
  ActivityTaskTimedOut: 14,
  ActivityTaskCancelRequested: 15,
  ActivityTaskCanceled: 16,
  TimerStarted: 17,
  TimerFired: 18,
  TimerCanceled: 19,
  WorkflowExecutionCancelRequested: 20,
  WorkflowExecutionCanceled: 21,
  RequestCancelExternalWorkflowExecutionInitiated: 22,
  RequestCancelExternalWorkflowExecutionFailed: 23,
  ExternalWorkflowExecutionCancelRequested: 24,
  MarkerRecorded: 25,
  WorkflowExecutionSignaled: 26,
  WorkflowExecutionTerminated: 27,
  WorkflowExecutionContinuedAsNew: 28,
  StartChildWorkflowExecutionInitiated: 29,
  StartChildWorkflowExecutionFailed: 30,
  ChildWorkflowExecutionStarted: 31,
  ChildWorkflowExecutionCompleted: 32,
  ChildWorkflowExecutionFailed: 33,
  ChildWorkflowExecutionCanceled: 34,
  ChildWorkflowExecutionTimedOut: 35,
  ChildWorkflowExecutionTerminated: 36,
  SignalExternalWorkflowExecutionInitiated: 37,
  SignalExternalWorkflowExecutionFailed: 38,
  ExternalWorkflowExecutionSignaled: 39,
  UpsertWorkflowSearchAttributes: 40,
  WorkflowExecutionUpdateAccepted: 41,
  WorkflowExecutionUpdateCompleted: 43,
  WorkflowPropertiesModified: 46,
} as const;

/** The oneof field of HistoryEvent that carries each event type's attributes. */
export function attributesField(eventType: number): string {
  const name = Object.entries(EventType).find(([, v]) => v === eventType)?.[0];
  if (!name) throw new Error(`unsupported event type ${eventType}`);
  return name[0].toLowerCase() + name.slice(1) + 'EventAttributes';
}

export const CommandType = {
  ScheduleActivityTask: 1,
  RequestCancelActivityTask: 2,
  StartTimer: 3,
  CompleteWorkflowExecution: 4,
  FailWorkflowExecution: 5,
  CancelTimer: 6,
  CancelWorkflowExecution: 7,
  RequestCancelExternalWorkflowExecution: 8,
  RecordMarker: 9,
  ContinueAsNewWorkflowExecution: 10,
  StartChildWorkflowExecution: 11,
  SignalExternalWorkflowExecution: 12,
  UpsertWorkflowSearchAttributes: 13,
  ProtocolMessage: 14,
  ModifyWorkflowProperties: 16,
} as const;

export const ExecutionStatus = {
  Running: 1,
  Completed: 2,
  Failed: 3,
  Canceled: 4,
  Terminated: 5,
  ContinuedAsNew: 6,
  TimedOut: 7,
} as const;

export const TimeoutType = { StartToClose: 1, ScheduleToStart: 2, ScheduleToClose: 3, Heartbeat: 4 } as const;

export const RetryState = {
  InProgress: 1,
  NonRetryableFailure: 2,
  Timeout: 3,
  MaximumAttemptsReached: 4,
  RetryPolicyNotSet: 5,
  CancelRequested: 7,
} as const;

export const WorkflowTaskFailedCause = {
  UnhandledCommand: 1,
  BadScheduleActivityAttributes: 2,
  BadStartTimerAttributes: 4,
  BadContinueAsNewAttributes: 11,
  StartTimerDuplicateId: 12,
  ResetWorkflow: 20,
  ScheduleActivityDuplicateId: 22,
  BadSearchAttributes: 23,
  BadUpdateWorkflowExecutionMessage: 30,
  UnhandledUpdate: 31,
  FeatureDisabled: 35,
} as const;

export const ParentClosePolicy = { Terminate: 1, Abandon: 2, RequestCancel: 3 } as const;

export const UpdateStage = { Unspecified: 0, Admitted: 1, Accepted: 2, Completed: 3 } as const;
