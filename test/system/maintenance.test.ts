import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMaintenanceActivities } from '../../activities/maintenance';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { insertAgency } from '../../db/repositories/agencies';
import { insertSession } from '../../db/repositories/sessions';
import { insertUser } from '../../db/repositories/users';
import { startEngine, type EngineHandle } from '../../engine/index';
import { loadConfig } from '../../system/config';
import { createLogger } from '../../system/logger';
import { ensureMaintenanceRunning, MAINTENANCE_WORKFLOW_ID } from '../../system/maintenance-client';
import { connectTemporal, type TemporalConnections } from '../../system/temporal-connection';
import { installTemporalRuntime } from '../../system/temporal-runtime';
import { bundleWorkflows, startWorker, type RunningWorker } from '../../system/worker';
import { createTestDatabase } from '../support/database';

const logger = createLogger('warn');
const taskQueue = 'maintenance-test';
let db: Db;
let engine: EngineHandle;
let temporal: TemporalConnections;
let worker: RunningWorker;
let bundle: WorkflowBundleWithSourceMap;
let userId: string;

beforeAll(async () => {
  const databaseUrl = await createTestDatabase('maintenance');
  db = createDb(databaseUrl, { maxConnections: 4 });
  await migrateToLatest(db);
  userId = await db.transaction().execute(async (trx) => {
    const agency = await insertAgency(trx, { code: '000.00.02.H49', name: 'Sở Tư pháp', parent_id: null, hub: null });
    const user = await insertUser(trx, {
      agency_id: agency.id,
      unit_id: null,
      username: 'maintenance-test',
      full_name: 'Người Thử',
      password_hash: 'not-a-real-hash',
      roles: ['clerk'],
    });
    return user.id;
  });
  engine = await startEngine({ databaseUrl, listen: '127.0.0.1:0' });
  installTemporalRuntime(logger);
  temporal = await connectTemporal(loadConfig({}), engine.address);
  bundle = await bundleWorkflows(logger);
  worker = await startWorker({ connection: temporal.workerConnection, namespace: 'default', taskQueue, workflowBundle: bundle, activityDeps: { db } });
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await engine?.stop();
  await db?.destroy();
});

async function addSession(label: string, idleExpiresAt: Date, absoluteExpiresAt: Date): Promise<string> {
  const idHash = `${label}-${randomBytes(8).toString('hex')}`;
  const now = new Date();
  await insertSession(db, {
    id_hash: idHash,
    user_id: userId,
    csrf_token: randomBytes(16).toString('hex'),
    created_at: now,
    last_seen_at: now,
    idle_expires_at: idleExpiresAt,
    absolute_expires_at: absoluteExpiresAt,
  });
  return idHash;
}

async function remainingSessions(): Promise<string[]> {
  return (await db.selectFrom('sessions').select('id_hash').execute()).map((r) => r.id_hash).sort();
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

async function addLoginFailure(username: string, failedAt: Date): Promise<void> {
  await db.insertInto('login_failures').values({ username, failed_at: failedAt }).execute();
}

async function loginFailuresOf(username: string): Promise<number> {
  return (await db.selectFrom('login_failures').select('failed_at').where('username', '=', username).execute()).length;
}

describe('the maintenance workflow', () => {
  it('removes expired sessions and stale failed logins round after round on the real engine, keeps live ones, and continues as new', async () => {
    // Failed logins older than the 15-minute counting window no longer delay anyone; recent ones still must.
    await addLoginFailure('guess-stale', minutes(-20));
    await addLoginFailure('guess-recent', minutes(-2));
    const idle = await addSession('idle-expired', minutes(-5), minutes(600));
    const absolute = await addSession('absolute-expired', minutes(20), minutes(-1));
    const live = await addSession('live', minutes(20), minutes(600));

    const firstRunId = await ensureMaintenanceRunning(temporal.client, taskQueue, { interval: '1 second', roundsPerRun: 2 });
    // Starting again (as every restart does) finds the running loop instead of starting a second one.
    expect(await ensureMaintenanceRunning(temporal.client, taskQueue, { interval: '1 second', roundsPerRun: 2 })).toBe(firstRunId);

    await expect.poll(remainingSessions, { timeout: 20_000, interval: 200 }).not.toContain(idle);
    expect(await remainingSessions()).not.toContain(absolute);
    expect(await remainingSessions()).toContain(live);
    await expect.poll(() => loginFailuresOf('guess-stale'), { timeout: 20_000, interval: 200 }).toBe(0);
    expect(await loginFailuresOf('guess-recent')).toBe(1);

    // A session expiring while the loop runs is removed by a later round.
    await addSession('expired-later', minutes(-1), minutes(600));
    await expect.poll(remainingSessions, { timeout: 20_000, interval: 200 }).toEqual([live]);

    // After two rounds the first run continued as new; the loop keeps running under the same workflow id.
    const handle = temporal.client.workflow.getHandle(MAINTENANCE_WORKFLOW_ID);
    await expect.poll(async () => (await handle.describe()).runId, { timeout: 20_000, interval: 250 }).not.toBe(firstRunId);
    expect((await handle.describe()).status.name).toBe('RUNNING');

    // What the engine recorded replays cleanly against the workflow code: the code is deterministic.
    const history = await temporal.client.workflow.getHandle(MAINTENANCE_WORKFLOW_ID, firstRunId).fetchHistory();
    const lastEvent = history.events?.at(-1);
    expect(lastEvent?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    await Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'maintenance' }, history);

    await handle.terminate('test finished');
  });

  it('replays a run recorded before failed logins were purged, so installations upgrade without a stuck loop', async () => {
    const recorded = readFileSync(path.join(import.meta.dirname, '../fixtures/maintenance/history-before-login-failure-purge.json'), 'utf8');
    await Worker.runReplayHistory({ workflowBundle: bundle, replayName: 'maintenance-before-purge' }, historyFromJSON(JSON.parse(recorded)));
  });

  it('its activities are safe to run twice: the second run finds nothing more to delete', async () => {
    const activities = createMaintenanceActivities({ db });
    const expired = await addSession('twice', minutes(-3), minutes(600));
    const now = new Date().toISOString();
    const first = await activities.deleteExpiredSessions({ now });
    const second = await activities.deleteExpiredSessions({ now });
    expect(first.deleted).toBeGreaterThanOrEqual(1);
    expect(second.deleted).toBe(0);
    expect(await remainingSessions()).not.toContain(expired);

    await addLoginFailure('twice', minutes(-16));
    await addLoginFailure('twice', minutes(-14));
    expect(await activities.deleteStaleLoginFailures({ now })).toEqual({ deleted: 1 });
    expect(await activities.deleteStaleLoginFailures({ now })).toEqual({ deleted: 0 });
    expect(await loginFailuresOf('twice')).toBe(1);
    await expect(activities.deleteStaleLoginFailures({ now: 'yesterday' })).rejects.toThrow("now must be an ISO timestamp, got 'yesterday'");
  });
});
