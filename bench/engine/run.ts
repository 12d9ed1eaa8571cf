/**
 * `npm run bench:engine`: the embedded engine's throughput and latency beside the raw PostgreSQL commit
 * rate of the same machine, measured in the same run. Starts its own PostgreSQL (or uses
 * BENCH_DATABASE_URL), the engine in-process, a real SDK Worker and Client; talks only to 127.0.0.1 and
 * removes everything it made, also on failure. Last line: one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { startEngine } from '../../engine/index';
import { benchActivities } from './activities';
import { nowMs, round1, withDeadline, withProcessLoad, type ProcessLoad } from './measure';
import { measureActivityThroughput, measureLatency, measureStarts, type LatencyResult, type PhaseContext } from './phases';
import { withWriteCost, type WriteCost } from './pg-counters';
import { ignoreIdleClientErrors, measurePgFloor } from './pg-floor';
import { report, type Figures, type UnitCost } from './report';
import { SETTINGS } from './settings';

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
  const loadBefore = loadavg();
  let figures: Figures | undefined;
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

    const countersPool = new pg.Pool({ connectionString: database.url, max: 1 });
    ignoreIdleClientErrors(countersPool);
    cleanups.push({ label: 'counters pool close', run: () => countersPool.end() });

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
    const loads: Record<string, ProcessLoad> = {};
    /** Runs one phase under the deadline, noting what it wrote to PostgreSQL and how busy this process was. */
    const observe = async <T>(key: string, label: string, work: () => Promise<T>) => {
      log(label);
      const observed = await withProcessLoad(() =>
        withWriteCost(countersPool, () => phase(label, Promise.race([work(), workerFailure]))),
      );
      loads[key] = observed.load;
      return observed.result;
    };

    await observe('warmup', 'warm-up', () => measureLatency(ctx, { concurrency: 2, warmup: 0, workflows: 10, steps: SETTINGS.steps }));
    const starts = await observe('starts', `workflow starts: ${SETTINGS.concurrency} concurrent for ${SETTINGS.startDurationMs / 1000} s`, () =>
      measureStarts(ctx, { concurrency: SETTINGS.concurrency, durationMs: SETTINGS.startDurationMs, unpolledTaskQueue: UNPOLLED_TASK_QUEUE }),
    );
    const { workflows, activitiesPerWorkflow } = SETTINGS.fanOut;
    const activities = await observe('activities', `activity tasks: ${workflows} workflows x ${activitiesPerWorkflow} activities`, () =>
      measureActivityThroughput(ctx, SETTINGS.fanOut),
    );
    const latency: Record<string, LatencyResult> = {};
    const sequenceCosts: Record<string, UnitCost> = {};
    for (const level of SETTINGS.latencyLevels) {
      const key = `c${level.concurrency}`;
      const measured = await observe(
        key,
        `latency: ${level.concurrency} concurrent, ${level.warmup} warm-up + ${level.workflows} workflows of ${SETTINGS.steps} activities`,
        () => measureLatency(ctx, { ...level, steps: SETTINGS.steps }),
      );
      latency[key] = measured.result;
      sequenceCosts[key] = perUnit(measured.cost, level.warmup + level.workflows);
    }

    figures = {
      loadBefore,
      floor,
      starts: starts.result,
      activities: activities.result,
      latency,
      writes: {
        perStart: perUnit(starts.cost, starts.result.accepted),
        perActivity: perUnit(activities.cost, activities.result.activities),
        perSequenceWorkflow: sequenceCosts.c10,
      },
      loads,
    };
  } catch (error) {
    failed = true;
    console.error(`bench:engine failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      const started = nowMs();
      try {
        await withDeadline(cleanup.label, CLEANUP_DEADLINE_MS, cleanup.run());
        const tookMs = nowMs() - started;
        if (tookMs > 2_000) log(`${cleanup.label} took ${(tookMs / 1000).toFixed(1)} s`);
      } catch (error) {
        failed = true;
        console.error(`cleanup "${cleanup.label}" failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  // Printed after the cleanup so that the JSON is the last line even when stderr is merged in.
  if (figures) report(figures);
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

function perUnit(cost: WriteCost, units: number): UnitCost {
  return {
    writeTransactions: round1(cost.writeTransactions / units),
    walBytes: Math.round(cost.walBytes / units),
  };
}

function log(line: string): void {
  console.error(`[bench:engine] ${line}`);
}

await main();
