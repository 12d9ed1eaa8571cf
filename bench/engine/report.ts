import { availableParallelism } from 'node:os';
import { round1, type Percentiles, type ProcessLoad } from './measure';
import type { ActivityThroughputResult, LatencyResult, StartsResult } from './phases';
import type { WriteCost } from './pg-counters';
import type { PgFloor } from './pg-floor';
import { AIM, QUICK, SETTINGS } from './settings';

/**
 * What one unit of work (a start, an activity, a workflow) asked of PostgreSQL, counted inside PostgreSQL
 * (the engine runs on its own thread, out of reach of a client-side statement counter).
 */
export type UnitCost = WriteCost;

export interface Figures {
  /** Other processes' load: the machine is shared. */
  loadBefore: number[];
  floor: PgFloor;
  starts: StartsResult;
  activities: ActivityThroughputResult;
  latency: Record<string, LatencyResult>;
  /** What one unit of work cost PostgreSQL; the sequence workflow's is taken at 10 concurrent. */
  writes: { perStart: UnitCost; perActivity: UnitCost; perSequenceWorkflow: UnitCost };
  /** This process's load during each phase, by phase key. */
  loads: Record<string, ProcessLoad>;
}

/** The readable table, the aims, and as the last line one JSON object with every figure. */
export function report({ loadBefore, floor, starts, activities, latency, writes, loads }: Figures): void {
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
      [`${SETTINGS.steps}-activity workflow p50 / p99, ${level} (n=${l.workflows})`, ms(l), `${perCommit(l.p50)} (p50)`],
      [`  workflows/s at ${level}`, round1(l.workflowsPerS).toString(), ofFloor(l.workflowsPerS)],
    ]),
  ];
  const startsMet = starts.startsPerS >= AIM.workflowStartsPerS;
  const c10 = latency.c10;
  const latencyMet = c10.p99 < AIM.c10P99Ms;

  console.log('');
  console.log(`Engine benchmark${QUICK ? ' (--quick smoke run: do not quote these figures)' : ''}, ${new Date().toISOString()}, ${cores} cores, load average before the run ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`Worker: ${Object.entries(SETTINGS.worker).map(([k, v]) => `${k}=${v}`).join(', ')}, pollers: SDK default (at most 10 per kind)`);
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'Figure'.padEnd(width)}  ${'Value'.padStart(14)}  vs floor`);
  for (const [label, value, ratio] of rows) console.log(`${label.padEnd(width)}  ${value.padStart(14)}  ${ratio}`);
  console.log('PostgreSQL work per unit (write transactions, WAL bytes):');
  console.log(`  per workflow start ${cost(writes.perStart)}; per activity (fan-out) ${cost(writes.perActivity)}; per ${SETTINGS.steps}-activity workflow ${cost(writes.perSequenceWorkflow)}`);
  console.log('This process during each phase (event loop busy share; CPU of all its threads, in cores):');
  console.log(`  ${Object.entries(loads).map(([key, l]) => `${key} ${l.eventLoop} / ${l.cpuCores}`).join('; ')}`);
  if (starts.rejected > 0) console.log(`Rejected starts: ${starts.rejected} (first: ${starts.firstRejection})`);
  console.log(`Aim >= ${AIM.workflowStartsPerS} workflow starts/s: ${startsMet ? 'met' : 'NOT met'} (${round1(starts.startsPerS)})`);
  console.log(`Aim p99 < ${AIM.c10P99Ms} ms at 10 concurrent: ${latencyMet ? 'met' : 'NOT met'} (${c10.p99} ms)`);
  console.log(
    JSON.stringify({
      bench: 'engine',
      quick: QUICK,
      ratio_to_floor: round3(starts.startsPerS / floor.commitsPerS),
      workflow_starts_per_s: round1(starts.startsPerS),
      activity_tasks_per_s: round1(activities.activitiesPerS),
      pg_commits_per_s: round1(floor.commitsPerS),
      pg_commit_ms: floor.sequentialCommitMs,
      latency_ms: Object.fromEntries(
        Object.entries(latency).map(([level, l]) => [level, { p50: l.p50, p99: l.p99, workflows_per_s: round1(l.workflowsPerS) }]),
      ),
      start_rpc_ms: starts.startRpcMs,
      pg_writes: {
        per_start: wire(writes.perStart),
        per_activity: wire(writes.perActivity),
        per_sequence_workflow: wire(writes.perSequenceWorkflow),
      },
      process_load: Object.fromEntries(Object.entries(loads).map(([key, l]) => [key, { event_loop: l.eventLoop, cpu_cores: l.cpuCores }])),
      starts_rejected: starts.rejected,
      aims_met: { workflow_starts_per_s: startsMet, c10_p99: latencyMet },
      concurrency: SETTINGS.concurrency,
      worker: SETTINGS.worker,
      cores,
      load_before: loadBefore.map(round1),
      date: new Date().toISOString(),
    }),
  );
}

function ms(p: Percentiles): string {
  return `${p.p50} / ${p.p99} ms`;
}

function cost(c: UnitCost): string {
  return `${c.writeTransactions} write tx, ${c.walBytes} B`;
}

function wire(c: UnitCost) {
  return { write_transactions: c.writeTransactions, wal_bytes: c.walBytes };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
