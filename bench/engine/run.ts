/**
 * `npm run bench:engine`: the embedded engine's throughput and latency beside the raw PostgreSQL commit
 * rate of the same machine, measured in the same run. Starts its own PostgreSQL (or uses
 * BENCH_DATABASE_URL), the engine in-process, a real SDK Worker and Client; talks only to 127.0.0.1 and
 * removes everything it made, also on failure. Last line: one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { startEngine } from '../../engine/index';
import { benchActivities } from './activities';
import { round1, withDeadline, type Percentiles } from './measure';
import { measureActivityThroughput, measureLatency, measureStarts, type LatencyResult, type PhaseContext } from './phases';
import { measurePgFloor, type PgFloor } from './pg-floor';

const SETTINGS = {
  /** Concurrent start callers, and the floor's pool size and writers. */
  concurrency: 32,
  floorDurationMs: 4_000,
  floorSequentialCommits: 200,
  startDurationMs: 5_000,
  fanOut: { workflows: 20, activitiesPerWorkflow: 50 },
  steps: 5,
  latencyLevels: [
    { concurrency: 1, warmup: 5, workflows: 100 },
    { concurrency: 10, warmup: 20, workflows: 300 },
    { concurrency: 100, warmup: 100, workflows: 600 },
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

const AIM = { workflowStartsPerS: 300, c10P99Ms: 250 };
const TASK_QUEUE = 'bench-engine';
const UNPOLLED_TASK_QUEUE = 'bench-engine-unpolled';
const CLEANUP_DEADLINE_MS = 20_000;

/** Ctrl-C or SIGTERM ends the current phase with an error, so the cleanup below still runs. */
const interruption = new Promise<never>((_, reject) => {
  const stop = (signal: string) => reject(new Error(`interrupted by ${signal}`));
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
});
interruption.catch(() => undefined);

function phase<T>(label: string, work: Promise<T>): Promise<T> {
  return withDeadline(label, SETTINGS.phaseDeadlineMs, Promise.race([work, interruption]));
}

type Cleanup = { label: string; run: () => Promise<unknown> };

async function main(): Promise<void> {
  const cleanups: Cleanup[] = [];
  const runTag = randomBytes(4).toString('hex');
  let failed = false;
  try {
    const database = await prepareDatabase(runTag, cleanups);
    log(`PostgreSQL floor: ${SETTINGS.concurrency} writers for ${SETTINGS.floorDurationMs / 1000} s`);
    const floor = await phase(
      'PostgreSQL floor',
      measurePgFloor({
        databaseUrl: database.url,
        concurrency: SETTINGS.concurrency,
        durationMs: SETTINGS.floorDurationMs,
        sequentialCommits: SETTINGS.floorSequentialCommits,
      }),
    );

    Runtime.install({ logger: new DefaultLogger('WARN') });
    const engine = await startEngine({ databaseUrl: database.url, listen: '127.0.0.1:0', schema: database.engineSchema });
    cleanups.push({ label: 'engine stop', run: () => engine.stop() });

    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
      logger: new DefaultLogger('WARN'),
    });
    const workerConnection = await NativeConnection.connect({ address: engine.address });
    cleanups.push({ label: 'worker connection close', run: () => workerConnection.close() });
    const worker = await Worker.create({
      connection: workerConnection,
      namespace: 'default',
      taskQueue: TASK_QUEUE,
      workflowBundle,
      activities: benchActivities,
      ...SETTINGS.worker,
    });
    const workerRun = worker.run();
    cleanups.push({ label: 'worker shutdown', run: async () => (worker.shutdown(), workerRun) });

    const clientConnection = await Connection.connect({ address: engine.address });
    cleanups.push({ label: 'client connection close', run: () => clientConnection.close() });
    const ctx: PhaseContext = { client: new Client({ connection: clientConnection, namespace: 'default' }), taskQueue: TASK_QUEUE, runTag };
    // A worker failure (lost connection, engine error) must end the run, not leave phases waiting.
    const workerFailure = workerRun.then(() => Promise.reject(new Error('worker stopped during the run')));
    workerFailure.catch(() => undefined);
    const guarded = <T>(label: string, work: Promise<T>) => phase(label, Promise.race([work, workerFailure]));

    log('warm-up');
    await guarded('warm-up', measureLatency(ctx, { concurrency: 2, warmup: 0, workflows: 10, steps: SETTINGS.steps }));
    log(`workflow starts: ${SETTINGS.concurrency} concurrent for ${SETTINGS.startDurationMs / 1000} s`);
    const starts = await guarded(
      'workflow starts',
      measureStarts(ctx, { concurrency: SETTINGS.concurrency, durationMs: SETTINGS.startDurationMs, unpolledTaskQueue: UNPOLLED_TASK_QUEUE }),
    );
    const { workflows, activitiesPerWorkflow } = SETTINGS.fanOut;
    log(`activity tasks: ${workflows} workflows x ${activitiesPerWorkflow} activities`);
    const activities = await guarded('activity tasks', measureActivityThroughput(ctx, SETTINGS.fanOut));
    const latency: Record<string, LatencyResult> = {};
    for (const level of SETTINGS.latencyLevels) {
      log(`latency: ${level.concurrency} concurrent, ${level.warmup} warm-up + ${level.workflows} workflows of ${SETTINGS.steps} activities`);
      latency[`c${level.concurrency}`] = await guarded(`latency at ${level.concurrency}`, measureLatency(ctx, { ...level, steps: SETTINGS.steps }));
    }

    report({ floor, starts, activities, latency });
  } catch (error) {
    failed = true;
    console.error(`bench:engine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await withDeadline(cleanup.label, CLEANUP_DEADLINE_MS, cleanup.run());
      } catch (error) {
        failed = true;
        console.error(`cleanup "${cleanup.label}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  // The SDK's native runtime can keep the event loop alive after its workers are gone.
  process.exit(failed ? 1 : 0);
}

interface Database {
  url: string;
  engineSchema: string;
}

/** BENCH_DATABASE_URL if set (the engine then gets a schema of its own, dropped at the end), else a fresh embedded cluster in a temp dir. */
async function prepareDatabase(runTag: string, cleanups: Cleanup[]): Promise<Database> {
  const given = process.env.BENCH_DATABASE_URL;
  if (given) {
    const engineSchema = `bench_engine_${runTag}`;
    cleanups.push({ label: `drop schema ${engineSchema}`, run: () => dropSchema(given, engineSchema) });
    return { url: given, engineSchema };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'lien-thong-bench-'));
  cleanups.push({ label: 'temp dir removal', run: () => rm(dataDir, { recursive: true, force: true }) });
  const cluster = await startEmbeddedPostgres({ dataDir });
  cleanups.push({ label: 'PostgreSQL stop', run: () => cluster.stop() });
  await cluster.ensureDatabase('bench');
  return { url: cluster.urlFor('bench'), engineSchema: 'engine' };
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

interface Figures {
  floor: PgFloor;
  starts: Awaited<ReturnType<typeof measureStarts>>;
  activities: Awaited<ReturnType<typeof measureActivityThroughput>>;
  latency: Record<string, LatencyResult>;
}

function report({ floor, starts, activities, latency }: Figures): void {
  const cores = availableParallelism();
  const perCommit = (ms: number) => `${(ms / floor.sequentialCommitMs.p50).toFixed(1)} commits`;
  const ofFloor = (perS: number) => (perS / floor.commitsPerS).toFixed(3);
  const rows: Array<[string, string, string]> = [
    [`PostgreSQL commits/s (${SETTINGS.concurrency} writers)`, round1(floor.commitsPerS).toString(), '1 (floor)'],
    ['PostgreSQL commit p50 / p99 (1 writer)', ms(floor.sequentialCommitMs), '1 commit'],
    [`Workflow starts/s (${SETTINGS.concurrency} concurrent)`, round1(starts.startsPerS).toString(), ofFloor(starts.startsPerS)],
    ['  start RPC p50 / p99', ms(starts.startRpcMs), perCommit(starts.startRpcMs.p50)],
    [`Activity tasks/s (${SETTINGS.fanOut.workflows} wf x ${SETTINGS.fanOut.activitiesPerWorkflow})`, round1(activities.activitiesPerS).toString(), ofFloor(activities.activitiesPerS)],
    ...Object.entries(latency).flatMap(([level, l]): Array<[string, string, string]> => [
      [`${SETTINGS.steps}-activity workflow p50 / p99, ${level}`, ms(l), `${perCommit(l.p50)} (p50)`],
      [`  workflows/s at ${level}`, round1(l.workflowsPerS).toString(), ofFloor(l.workflowsPerS)],
    ]),
  ];
  const startsMet = starts.startsPerS >= AIM.workflowStartsPerS;
  const c10 = latency.c10;
  const latencyMet = c10.p99 < AIM.c10P99Ms;

  console.log('');
  console.log(`Engine benchmark, ${new Date().toISOString()}, ${cores} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`Worker: ${Object.entries(SETTINGS.worker).map(([k, v]) => `${k}=${v}`).join(', ')}, pollers: SDK default (at most 10 per kind)`);
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'Figure'.padEnd(width)}  ${'Value'.padStart(14)}  vs floor`);
  for (const [label, value, ratio] of rows) console.log(`${label.padEnd(width)}  ${value.padStart(14)}  ${ratio}`);
  if (starts.rejected > 0) console.log(`Rejected starts: ${starts.rejected} (first: ${starts.firstRejection})`);
  console.log(`Aim >= ${AIM.workflowStartsPerS} workflow starts/s: ${startsMet ? 'met' : 'NOT met'} (${round1(starts.startsPerS)})`);
  console.log(`Aim p99 < ${AIM.c10P99Ms} ms at 10 concurrent: ${latencyMet ? 'met' : 'NOT met'} (${c10.p99} ms)`);
  console.log(
    JSON.stringify({
      bench: 'engine',
      ratio_to_floor: round3(starts.startsPerS / floor.commitsPerS),
      workflow_starts_per_s: round1(starts.startsPerS),
      activity_tasks_per_s: round1(activities.activitiesPerS),
      pg_commits_per_s: round1(floor.commitsPerS),
      pg_commit_ms: floor.sequentialCommitMs,
      latency_ms: Object.fromEntries(
        Object.entries(latency).map(([level, l]) => [level, { p50: l.p50, p99: l.p99, workflows_per_s: round1(l.workflowsPerS) }]),
      ),
      start_rpc_ms: starts.startRpcMs,
      starts_rejected: starts.rejected,
      aims_met: { workflow_starts_per_s: startsMet, c10_p99: latencyMet },
      concurrency: SETTINGS.concurrency,
      worker: SETTINGS.worker,
      cores,
      date: new Date().toISOString(),
    }),
  );
}

function ms(p: Percentiles): string {
  return `${p.p50} / ${p.p99} ms`;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function log(line: string): void {
  console.error(`[bench:engine] ${line}`);
}

await main();
