import type { Tx } from './tx';
import type { RunState } from './state';
import { EventType, HistoryEventType, attributesField, encode, num, timestamp, type Msg } from '../proto';

export const TaskKind = { Workflow: 1, Activity: 2 } as const;

export interface ExecutionRow {
  run_id: string;
  namespace: string;
  workflow_id: string;
  workflow_type: string;
  task_queue: string;
  status: number;
  start_time: Date;
  execution_time: Date;
  close_time: Date | null;
  search_attributes: Record<string, unknown>;
  history_length: number;
  start_request_id: string | null;
  state: RunState;
}

/** Placeholder for "the ActivityTaskStarted event just before me", resolved when the event gets its id. */
export const PREVIOUS_EVENT = -1;

/**
 * One workflow run locked inside a transaction: events, tasks and timer changes collect here and are
 * written in a single statement when the transaction ends.
 */
export class Run {
  readonly state: RunState;
  readonly newEvents: { id: number; data: Buffer }[] = [];
  readonly newTasks: { queue: string; kind: number; data: object }[] = [];
  readonly newTimers: { fireAt: number; key: string; data: object }[] = [];
  readonly deletedTimerKeys: string[] = [];
  dropAllTimersAndTasks = false;
  changed = false;

  constructor(
    readonly tx: Tx,
    readonly row: ExecutionRow,
    readonly isNew: boolean,
  ) {
    this.state = row.state;
  }

  get runId() {
    return this.row.run_id;
  }
  get namespace() {
    return this.row.namespace;
  }
  get workflowId() {
    return this.row.workflow_id;
  }
  get isRunning() {
    return this.row.status === 1;
  }
  get execution() {
    return { workflowId: this.row.workflow_id, runId: this.row.run_id };
  }

  touch() {
    this.changed = true;
  }

  /** Appends an event to the history now and returns its id. */
  append(eventType: number, attributes: Msg, time = Date.now()): number {
    const id = this.state.nextEventId++;
    fixStartedReference(attributes, id - 1);
    this.newEvents.push({ id, data: encodeEvent(id, eventType, attributes, time) });
    this.row.history_length = id;
    this.changed = true;
    return id;
  }

  /**
   * Records events that happen to the workflow from outside (signal, activity result, timer...). While a
   * worker holds a workflow task they wait in the buffer, as the real server does, and are written after
   * that task's completion; otherwise they are written now and a workflow task is scheduled.
   */
  addExternal(events: [number, Msg][]): void {
    if (this.state.wt && this.state.wt.startedId > 0) {
      for (const [type, attrs] of events) this.state.buffered.push(encodeEvent(0, type, attrs, Date.now()).toString('base64'));
      this.changed = true;
      return;
    }
    for (const [type, attrs] of events) this.append(type, attrs);
    this.ensureWorkflowTask();
  }

  /** Writes buffered events to the history; true if there were any. */
  flushBuffered(): boolean {
    if (this.state.buffered.length === 0) return false;
    for (const encoded of this.state.buffered) {
      const event = HistoryEventType.decode(Buffer.from(encoded, 'base64')) as Msg;
      const field = attributesField(event.eventType);
      this.append(event.eventType, event[field], num(event.eventTime?.seconds) * 1000);
    }
    this.state.buffered = [];
    return true;
  }

  ensureWorkflowTask(): void {
    if (!this.state.wt && this.isRunning) this.scheduleWorkflowTask();
  }

  scheduleWorkflowTask(): void {
    const attempt = this.state.wtFailures + 1;
    const now = Date.now();
    const id = this.append(EventType.WorkflowTaskScheduled, {
      taskQueue: { name: this.state.taskQueue, kind: 1 },
      startToCloseTimeout: timestamp(this.state.workflowTaskTimeoutMs),
      attempt,
    });
    this.state.wt = { scheduledId: id, startedId: 0, attempt, scheduledTime: now, startedTime: 0 };
    this.addTask(TaskKind.Workflow, this.state.taskQueue, { scheduledId: id, attempt });
  }

  addTask(kind: number, queue: string, data: object) {
    this.newTasks.push({ queue, kind, data });
    this.changed = true;
  }

  /** A durable timer: the scheduler calls back at fireAt; `key` lets a later change remove it. */
  addTimer(key: string, fireAt: number, data: object) {
    this.newTimers.push({ key, fireAt, data });
    this.changed = true;
  }

  deleteTimers(...keys: string[]) {
    this.deletedTimerKeys.push(...keys);
    for (let i = this.newTimers.length - 1; i >= 0; i--) if (keys.includes(this.newTimers[i].key)) this.newTimers.splice(i, 1);
    this.changed = true;
  }
}

export function encodeEvent(id: number, eventType: number, attributes: Msg, time: number): Buffer {
  return encode(HistoryEventType, {
    eventId: id,
    eventTime: timestamp(time),
    eventType,
    taskId: id,
    [attributesField(eventType)]: attributes,
  });
}

/** Completion events of an activity point at its started event, written in the same group just before. */
function fixStartedReference(attributes: Msg, previousId: number) {
  if (attributes && attributes.startedEventId != null && num(attributes.startedEventId) === PREVIOUS_EVENT) {
    attributes.startedEventId = previousId;
  }
}
