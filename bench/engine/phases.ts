import type { Client } from '@temporalio/client';
import { closedLoop, countedItems, nowMs, percentiles, timedItems, type Percentiles } from './measure';
import type { benchFanOut, benchIdle, benchSequence } from './workflows';

/** What every engine phase needs: the client, the polled task queue, and a tag that keeps workflow ids unique. */
export interface PhaseContext {
  client: Client;
  taskQueue: string;
  runTag: string;
}

export interface StartsResult {
  startsPerS: number;
  accepted: number;
  rejected: number;
  firstRejection?: string;
  /** Client-side duration of one accepted StartWorkflowExecution call. */
  startRpcMs: Percentiles;
}

/**
 * `concurrency` callers start workflows back to back for `durationMs`, on a task queue no worker polls, so
 * the figure is the start path alone (one durable start per call) and not the worker's speed.
 * Only accepted starts count; a rejected one is reported, not retried.
 */
export async function measureStarts(
  ctx: PhaseContext,
  options: { concurrency: number; durationMs: number; unpolledTaskQueue: string },
): Promise<StartsResult> {
  const rpcMs: number[] = [];
  let rejected = 0;
  let firstRejection: string | undefined;
  const started = nowMs();
  await closedLoop({
    concurrency: options.concurrency,
    next: timedItems(options.durationMs),
    run: async (i) => {
      const callStarted = nowMs();
      try {
        await ctx.client.workflow.start<typeof benchIdle>('benchIdle', {
          taskQueue: options.unpolledTaskQueue,
          workflowId: `bench-start-${ctx.runTag}-${i}`,
        });
        rpcMs.push(nowMs() - callStarted);
      } catch (error) {
        rejected++;
        firstRejection ??= error instanceof Error ? error.message : String(error);
      }
    },
  });
  const elapsedS = (nowMs() - started) / 1000;
  if (rpcMs.length === 0) throw new Error(`the engine accepted no workflow start (first error: ${firstRejection})`);
  return { startsPerS: rpcMs.length / elapsedS, accepted: rpcMs.length, rejected, firstRejection, startRpcMs: percentiles(rpcMs) };
}

export interface ActivityThroughputResult {
  activitiesPerS: number;
  activities: number;
  elapsedMs: number;
}

/** `workflows` workflows at once, each running `activitiesPerWorkflow` trivial activities at once; completed activities / wall time. */
export async function measureActivityThroughput(
  ctx: PhaseContext,
  options: { workflows: number; activitiesPerWorkflow: number },
): Promise<ActivityThroughputResult> {
  const started = nowMs();
  const completed = await Promise.all(
    Array.from({ length: options.workflows }, (_, i) =>
      ctx.client.workflow.execute<typeof benchFanOut>('benchFanOut', {
        taskQueue: ctx.taskQueue,
        workflowId: `bench-fanout-${ctx.runTag}-${i}`,
        args: [options.activitiesPerWorkflow],
      }),
    ),
  );
  const elapsedMs = nowMs() - started;
  const activities = completed.reduce((sum, n) => sum + n, 0);
  if (activities !== options.workflows * options.activitiesPerWorkflow) {
    throw new Error(`fan-out workflows reported ${activities} activities, expected ${options.workflows * options.activitiesPerWorkflow}`);
  }
  return { activitiesPerS: activities / (elapsedMs / 1000), activities, elapsedMs };
}

export interface LatencyResult extends Percentiles {
  workflows: number;
  workflowsPerS: number;
}

/**
 * Closed loop of `concurrency` clients, each starting its next `steps`-activity workflow when the previous
 * one's result arrives; the first `warmup` workflows are run but not measured.
 */
export async function measureLatency(
  ctx: PhaseContext,
  options: { concurrency: number; warmup: number; workflows: number; steps: number },
): Promise<LatencyResult> {
  const samples: number[] = [];
  let firstMeasuredStart = Infinity;
  await closedLoop({
    concurrency: options.concurrency,
    next: countedItems(options.warmup + options.workflows),
    run: async (i) => {
      const started = nowMs();
      if (i >= options.warmup) firstMeasuredStart = Math.min(firstMeasuredStart, started);
      const reached = await ctx.client.workflow.execute<typeof benchSequence>('benchSequence', {
        taskQueue: ctx.taskQueue,
        workflowId: `bench-c${options.concurrency}-${ctx.runTag}-${i}`,
        args: [options.steps],
      });
      if (reached !== options.steps) throw new Error(`sequence workflow returned ${reached}, expected ${options.steps}`);
      if (i >= options.warmup) samples.push(nowMs() - started);
    },
  });
  const measuredS = (nowMs() - firstMeasuredStart) / 1000;
  return { ...percentiles(samples), workflows: samples.length, workflowsPerS: samples.length / measuredS };
}
