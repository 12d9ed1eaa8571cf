/**
 * Time-boxed repetition: one warm-up run, then at least 3 timed runs and more until the budget is spent.
 * Reports the median run: on a shared machine a few runs land in someone else's CPU burst, and the median
 * ignores them where a mean would not.
 */
export interface Measurement {
  iterations: number;
  msPerOp: number;
  opsPerSecond: number;
}

function result(durations: number[]): Measurement {
  const sorted = [...durations].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const msPerOp = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { iterations: durations.length, msPerOp, opsPerSecond: 1000 / msPerOp };
}

export function measure(op: () => unknown, budgetMs: number): Measurement {
  op();
  const durations: number[] = [];
  const start = performance.now();
  while (durations.length < 3 || performance.now() - start < budgetMs) {
    const before = performance.now();
    op();
    durations.push(performance.now() - before);
  }
  return result(durations);
}

measure.async = async (op: () => Promise<unknown>, budgetMs: number): Promise<Measurement> => {
  await op();
  const durations: number[] = [];
  const start = performance.now();
  while (durations.length < 3 || performance.now() - start < budgetMs) {
    const before = performance.now();
    await op();
    durations.push(performance.now() - before);
  }
  return result(durations);
};
