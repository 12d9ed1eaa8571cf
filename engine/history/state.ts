/** Mutable state of one workflow run, stored as JSON in executions.state and changed only under its row lock. */
export interface RetrySettings {
  initialMs: number;
  coefficient: number;
  maximumMs: number;
  maximumAttempts: number;
  nonRetryable: string[];
}

export interface ActivityState {
  scheduledId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  retry: RetrySettings;
  attempt: number;
  /** First scheduling of the activity (schedule-to-close counts from here). */
  scheduledTime: number;
  attemptScheduledTime: number;
  /** 0 while the current attempt waits for a worker. */
  startedTime: number;
  identity?: string;
  requestId?: string;
  heartbeatDetails?: string;
  lastHeartbeat?: number;
  cancelRequested?: boolean;
  cancelRequestedId?: number;
  lastFailure?: string;
}

export interface WorkflowTaskState {
  scheduledId: number;
  /** 0 while no worker holds the task. */
  startedId: number;
  attempt: number;
  scheduledTime: number;
  startedTime: number;
  identity?: string;
}

export interface ChildState {
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  startedId: number;
  parentClosePolicy: number;
}

export type UpdateStageName = 'admitted' | 'sent' | 'accepted' | 'completed' | 'rejected';

export interface UpdateState {
  stage: UpdateStageName;
  /** Encoded temporal.api.update.v1.Request (base64). */
  request: string;
  acceptedId?: number;
  /** Encoded temporal.api.update.v1.Outcome (base64) once completed or rejected. */
  outcome?: string;
}

export interface ParentRef {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedId: number;
}

export interface RunState {
  nextEventId: number;
  workflowType: string;
  taskQueue: string;
  workflowTaskTimeoutMs: number;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  /** Epoch ms when the whole chain of runs times out; 0 = never. */
  executionExpiration: number;
  firstRunId: string;
  parent?: ParentRef;
  wt: WorkflowTaskState | null;
  /** WorkflowTaskStarted id of the last completed workflow task (previousStartedEventId). */
  lastWtStartedId: number;
  /** Consecutive failed or timed-out workflow task attempts, for the next attempt number. */
  wtFailures: number;
  /** Encoded HistoryEvents (base64) that arrived while a workflow task was in flight. */
  buffered: string[];
  activities: Record<string, ActivityState>;
  timers: Record<string, { startedId: number }>;
  children: Record<string, ChildState>;
  updates: Record<string, UpdateState>;
  cancelRequested: boolean;
  /** Encoded Memo (base64). */
  memo?: string;
  /** Search attribute name -> encoded Payload (base64), as the workflow last set it. */
  searchAttributes: Record<string, string>;
  /** Id of the closing event once the run closed (the history long poll of result() returns it). */
  closeEventId?: number;
}

/** What a run is given when it starts (or is rebuilt for a reset); the rest of its state starts empty. */
export type RunStateInit = Pick<
  RunState,
  | 'nextEventId'
  | 'workflowType'
  | 'taskQueue'
  | 'workflowTaskTimeoutMs'
  | 'runTimeoutMs'
  | 'executionTimeoutMs'
  | 'executionExpiration'
  | 'firstRunId'
  | 'parent'
  | 'memo'
>;

export function newRunState(init: RunStateInit): RunState {
  return {
    ...init,
    wt: null,
    lastWtStartedId: 0,
    wtFailures: 0,
    buffered: [],
    activities: {},
    timers: {},
    children: {},
    updates: {},
    cancelRequested: false,
    searchAttributes: {},
  };
}
