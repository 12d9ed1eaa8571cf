/** Time-boxed repetition: at least 3 runs, then until the budget is spent; one warm-up run first. */
export interface Measurement {
  iterations: number;
  msPerOp: number;
  opsPerSecond: number;
}

function result(iterations: number, elapsedMs: number): Measurement {
  const msPerOp = elapsedMs / iterations;
  return { iterations, msPerOp, opsPerSecond: 1000 / msPerOp };
}

export function measure(op: () => unknown, budgetMs: number): Measurement {
  op();
  const start = performance.now();
  let iterations = 0;
  while (iterations < 3 || performance.now() - start < budgetMs) {
    op();
    iterations++;
  }
  return result(iterations, performance.now() - start);
}

measure.async = async (op: () => Promise<unknown>, budgetMs: number): Promise<Measurement> => {
  await op();
  const start = performance.now();
  let iterations = 0;
  while (iterations < 3 || performance.now() - start < budgetMs) {
    await op();
    iterations++;
  }
  return result(iterations, performance.now() - start);
};
