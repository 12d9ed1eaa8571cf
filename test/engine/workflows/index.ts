/** Workflows the engine tests run on the real SDK worker (deterministic code only). */
import {
  ApplicationFailure,
  getExternalWorkflowHandle,
  CancellationScope,
  ParentClosePolicy,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  executeChild,
  isCancellation,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { EngineTestActivities } from '../activities';

const { greet, step } = proxyActivities<EngineTestActivities>({ startToCloseTimeout: '10s' });

export async function greeting(name: string): Promise<string> {
  return await greet(name);
}

export async function fiveSteps(): Promise<number> {
  let total = 0;
  for (let i = 1; i <= 5; i++) total += await step(i);
  return total;
}

export const approve = defineSignal<[string]>('approve');
export const statusQuery = defineQuery<string>('status');
export const setTitle = defineUpdate<string, [string]>('setTitle');

/** Waits for an approval signal; answers a status query; renames through a validated update. */
export async function approval(): Promise<string> {
  let approvedBy = '';
  let title = 'untitled';
  setHandler(approve, (who) => {
    approvedBy = who;
  });
  setHandler(statusQuery, () => (approvedBy ? `approved by ${approvedBy}` : `waiting: ${title}`));
  setHandler(
    setTitle,
    async (newTitle) => {
      const previous = title;
      title = newTitle;
      return previous;
    },
    {
      validator: (newTitle) => {
        if (!newTitle.trim()) throw new Error('title must not be empty');
      },
    },
  );
  await condition(() => approvedBy !== '');
  return `${title} approved by ${approvedBy}`;
}

export async function sleeper(ms: number): Promise<string> {
  await sleep(ms);
  return 'woke';
}

export async function flaky(failures: number, nonRetryable: boolean): Promise<string> {
  const { failTimes } = proxyActivities<EngineTestActivities>({
    startToCloseTimeout: '5s',
    retry: { initialInterval: '50ms', backoffCoefficient: 2, maximumAttempts: 5, nonRetryableErrorTypes: ['Fatal'] },
  });
  return await failTimes(failures, nonRetryable ? 'Fatal' : 'Transient');
}

export async function failing(): Promise<void> {
  throw ApplicationFailure.nonRetryable('document rejected', 'Rejected');
}

export async function slowActivity(timeoutMs: number, everyAttempt = false): Promise<string> {
  const { hang } = proxyActivities<EngineTestActivities>({
    startToCloseTimeout: timeoutMs,
    retry: { maximumAttempts: 2, initialInterval: '50ms' },
  });
  return await hang(timeoutMs * 3, everyAttempt);
}

export async function heartbeating(): Promise<string> {
  const { heartbeatUntilCancelled } = proxyActivities<EngineTestActivities>({
    startToCloseTimeout: '30s',
    heartbeatTimeout: '1s',
    cancellationType: 'WAIT_CANCELLATION_COMPLETED' as never,
  });
  const scope = new CancellationScope();
  const running = scope.run(() => heartbeatUntilCancelled());
  await sleep(300);
  scope.cancel();
  try {
    await running;
    return 'not cancelled';
  } catch (err) {
    return isCancellation(err) ? 'activity cancelled' : `other: ${(err as Error).message}`;
  }
}

export async function cancellable(): Promise<string> {
  try {
    await sleep('1 hour');
    return 'slept';
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => greet('cleanup'));
    throw err;
  }
}

export async function parent(childName: string): Promise<string> {
  const result = await executeChild(greeting, { args: [childName], workflowId: `${workflowInfo().workflowId}-child` });
  return `parent got: ${result}`;
}

export async function failingChildParent(): Promise<string> {
  try {
    await executeChild(failing, { workflowId: `${workflowInfo().workflowId}-child` });
    return 'no failure';
  } catch (err) {
    return `child failed: ${(err as { cause?: Error }).cause?.message}`;
  }
}

export async function abandoningParent(policy: 'TERMINATE' | 'ABANDON'): Promise<string> {
  await startChild(sleeper, {
    args: [60_000],
    workflowId: `${workflowInfo().workflowId}-child`,
    parentClosePolicy: policy === 'TERMINATE' ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
  });
  return 'started child';
}

export async function cancelChildParent(): Promise<string> {
  const scope = new CancellationScope();
  const waiting = scope.run(async () => {
    const child = await startChild(cancellable, { workflowId: `${workflowInfo().workflowId}-child` });
    return await child.result();
  });
  await sleep(200);
  scope.cancel();
  try {
    await waiting;
    return 'child finished';
  } catch (err) {
    return isCancellation(err) ? 'child cancelled' : `other: ${(err as Error).message}`;
  }
}

export async function counter(n: number, limit: number): Promise<number> {
  if (n < limit) await continueAsNew<typeof counter>(n + 1, limit);
  return n;
}

export async function tagged(status: string): Promise<string> {
  upsertSearchAttributes({ DocumentStatus: [status] });
  await sleep(10);
  upsertSearchAttributes({ DocumentStatus: [`${status}-done`] });
  return status;
}

export async function untagged(): Promise<string> {
  upsertSearchAttributes({ NotRegistered: ['x'] });
  return 'upserted';
}

/** For the durability test: an activity and a timer pending together while the server is killed. */
export async function durable(): Promise<string> {
  const { recordStep } = proxyActivities<EngineTestActivities>({ startToCloseTimeout: '20s', retry: { initialInterval: '100ms' } });
  const first = await recordStep('first', 0);
  // The second activity outlives the outage, so its result reaches the restarted server.
  const [second] = await Promise.all([recordStep('second', 5000), sleep(1500)]);
  const third = await recordStep('third', 0);
  return [first, second, third].join('+');
}

/** For the durability test: an activity whose worker dies is retried on another worker after its timeout. */
export async function handover(): Promise<string> {
  const { recordStep } = proxyActivities<EngineTestActivities>({ startToCloseTimeout: '2500ms', retry: { initialInterval: '100ms' } });
  return await recordStep('handover', 1500);
}

/** For the reset test: two activities with a signal between them. */
export async function resettable(): Promise<string> {
  const seen: string[] = [];
  setHandler(approve, (who) => {
    seen.push(who);
  });
  const a = await greet('one');
  await condition(() => seen.length > 0);
  const b = await greet(seen.join(','));
  return `${a}|${b}`;
}

export async function asyncCompletion(): Promise<string> {
  const { completedElsewhere } = proxyActivities<EngineTestActivities>({ startToCloseTimeout: '30s' });
  return await completedElsewhere();
}

/** An activity on a queue nobody polls: it times out schedule-to-start. */
export async function unpolledActivity(): Promise<string> {
  const { greet: unreachable } = proxyActivities<EngineTestActivities>({
    taskQueue: 'nobody-polls-this',
    startToCloseTimeout: '10s',
    scheduleToStartTimeout: '300ms',
  });
  return await unreachable('x');
}

/** An activity that stops heartbeating: it times out on its heartbeat timeout. */
export async function silentActivity(): Promise<string> {
  const { hang } = proxyActivities<EngineTestActivities>({
    startToCloseTimeout: '10s',
    heartbeatTimeout: '300ms',
    retry: { maximumAttempts: 1 },
  });
  return await hang(2000, true);
}

/** Signals another workflow by id (SignalExternalWorkflowExecution). */
export async function signaller(targetId: string): Promise<string> {
  await getExternalWorkflowHandle(targetId).signal(approve, 'workflow khác');
  return 'signalled';
}

export const note = defineSignal<[string]>('note');

/** Collects `count` signals; many arrive while a workflow task is in flight, so the server must buffer them. */
export async function collector(count: number): Promise<string[]> {
  const notes: string[] = [];
  setHandler(note, (text) => {
    notes.push(text);
  });
  await condition(() => notes.length >= count);
  return notes;
}
