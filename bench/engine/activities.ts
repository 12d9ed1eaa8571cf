/**
 * Trivial activities: the benchmark measures the engine's task round trips, so the activity itself does no
 * work. Safe to retry: it has no side effect.
 */
export const benchActivities = {
  async step(index: number): Promise<number> {
    return index + 1;
  },
};

export type BenchActivities = typeof benchActivities;
