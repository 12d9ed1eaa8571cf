/** Timing helpers shared by the engine benchmark's phases. */

export interface Percentiles {
  p50: number;
  p99: number;
}

/** Milliseconds on a monotonic clock: wall-clock jumps must not distort a measurement. */
export function nowMs(): number {
  return performance.now();
}

/** Nearest-rank percentile of samples in milliseconds, rounded to 0.1 ms. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return round1(sorted[rank - 1]);
}

export function percentiles(samples: readonly number[]): Percentiles {
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Rejects with a message naming the phase when it overruns: a stalled engine must not hang the benchmark. */
export async function withDeadline<T>(label: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not finish within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, overrun]);
  } finally {
    clearTimeout(timer);
  }
}

export interface LoopOptions {
  concurrency: number;
  /** Hands out the next item's sequence number, or undefined when the loop is over. */
  next: () => number | undefined;
  run: (item: number) => Promise<void>;
}

/**
 * Closed loop: `concurrency` lanes, each starting its next item only when its previous one finished,
 * the way a fixed number of users (or pooled connections) load a server.
 */
export async function closedLoop({ concurrency, next, run }: LoopOptions): Promise<void> {
  const lane = async () => {
    for (let item = next(); item !== undefined; item = next()) await run(item);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

/** Item source for `closedLoop` that stops after `count` items. */
export function countedItems(count: number): () => number | undefined {
  let issued = 0;
  return () => (issued < count ? issued++ : undefined);
}

/** Item source for `closedLoop` that stops issuing items once `durationMs` has passed. */
export function timedItems(durationMs: number): () => number | undefined {
  const end = nowMs() + durationMs;
  let issued = 0;
  return () => (nowMs() < end ? issued++ : undefined);
}

export interface ProcessLoad {
  /** Share of wall time the main thread's event loop was busy (engine, client and activities all run there). */
  eventLoop: number;
  /** CPU time of the whole process (all threads, including the SDK's native core) / wall time, in cores. */
  cpuCores: number;
}

/** Runs `work` and tells how loaded this process was meanwhile: near 1 event loop means the main thread is the limit. */
export async function withProcessLoad<T>(work: () => Promise<T>): Promise<{ result: T; load: ProcessLoad }> {
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = nowMs();
  const result = await work();
  const wallUs = (nowMs() - started) * 1000;
  const used = process.cpuUsage(cpu);
  return {
    result,
    load: {
      eventLoop: Math.round(performance.eventLoopUtilization(elu).utilization * 100) / 100,
      cpuCores: Math.round(((used.user + used.system) / wallUs) * 100) / 100,
    },
  };
}
