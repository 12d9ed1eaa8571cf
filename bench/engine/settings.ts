/** What the engine benchmark runs, and the aims of issue 3 it is judged against. */

/** `--quick`: a smoke run (a few seconds, figures too noisy to quote) that checks the benchmark still works. */
export const QUICK = process.argv.includes('--quick');

export const SETTINGS = {
  /** Concurrent start callers, and the floor's pool size and writers. */
  concurrency: 32,
  floorDurationMs: QUICK ? 1_000 : 4_000,
  floorSequentialCommits: QUICK ? 20 : 200,
  startDurationMs: QUICK ? 1_000 : 5_000,
  fanOut: { workflows: QUICK ? 4 : 20, activitiesPerWorkflow: 25 },
  steps: 5,
  latencyLevels: [
    { concurrency: 1, warmup: QUICK ? 1 : 5, workflows: QUICK ? 5 : 60 },
    { concurrency: 10, warmup: QUICK ? 10 : 20, workflows: QUICK ? 20 : 200 },
    { concurrency: 100, warmup: QUICK ? 0 : 100, workflows: QUICK ? 100 : 400 },
  ],
  /** Longest any one phase may take before the run is declared stalled. */
  phaseDeadlineMs: 60_000,
  /** SDK defaults for a small unit, except the cache, raised so the 100-workflow level is not evicting. */
  worker: {
    maxConcurrentWorkflowTaskExecutions: 40,
    maxConcurrentActivityTaskExecutions: 100,
    maxCachedWorkflows: 250,
  },
};

export const AIM = { workflowStartsPerS: 300, c10P99Ms: 250 };
