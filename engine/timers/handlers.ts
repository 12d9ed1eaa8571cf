import type { TimerHandler } from './scheduler';
import { onActivityRetry, onActivityTimeout } from '../history/activities';
import { onWorkflowTaskTimeout } from '../history/workflow-task';
import { closeRun } from '../history/close-run';
import { EventType, ExecutionStatus, RetryState } from '../proto';

/** What each kind of durable timer does when it fires; every handler first checks it still applies. */
export const handleTimer: TimerHandler = async (tx, run, data) => {
  switch (data.kind) {
    case 'timer': {
      const timerId = data.timerId as string;
      const timer = run.state.timers[timerId];
      if (!timer || timer.startedId !== data.startedId) return;
      delete run.state.timers[timerId];
      run.addExternal([[EventType.TimerFired, { timerId, startedEventId: timer.startedId }]]);
      return;
    }
    case 'activity-timeout':
      return onActivityTimeout(run, data as never);
    case 'activity-retry':
      return onActivityRetry(run, data as never);
    case 'wt-timeout':
      return onWorkflowTaskTimeout(run, data as never);
    case 'wt-retry':
    case 'start':
      run.ensureWorkflowTask();
      return;
    case 'run-timeout':
      await closeRun(tx, run, ExecutionStatus.TimedOut, { retryState: RetryState.Timeout });
      return;
  }
};
