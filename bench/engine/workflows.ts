import { proxyActivities } from '@temporalio/workflow';
import type { BenchActivities } from './activities';

// Short start-to-close: a trivial activity that takes longer means a lost task, and the retry shows it.
const { step } = proxyActivities<BenchActivities>({ startToCloseTimeout: '10 seconds' });

/** Started on a task queue no worker polls: the start phase measures the start path alone. */
export async function benchIdle(): Promise<void> {}

/** `count` activities at once: the activity-throughput phase. Returns how many completed. */
export async function benchFanOut(count: number): Promise<number> {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => step(i)));
  return results.length;
}

/** `count` activities one after another: the end-to-end latency phase. Returns the last step's result (= count). */
export async function benchSequence(count: number): Promise<number> {
  let reached = 0;
  for (let i = 0; i < count; i++) reached = await step(reached);
  return reached;
}
