import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { deleteExpiredSessions } from '../../db/repositories/sessions';
import { deleteStaleLoginFailures } from '../../db/repositories/login-failures';
import { createTestDatabase } from '../support/database';

describe('maintenance clean-ups', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(await createTestDatabase('cleanup'), { maxConnections: 2 });
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  it('removes sessions past their idle or absolute expiry and keeps live ones', async () => {
    const agency = await db.insertInto('agencies').values({ code: 'H01', name: 'A', parent_id: null, hub: null }).returning('id').executeTakeFirstOrThrow();
    const user = await db
      .insertInto('users')
      .values({ agency_id: agency.id, unit_id: null, username: 'nguoi.a', full_name: 'A', password_hash: 'x', roles: ['clerk'] })
      .returning('id')
      .executeTakeFirstOrThrow();
    const now = new Date('2026-05-01T10:00:00Z');
    const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
    const session = (id: string, idle: number, absolute: number) => ({
      id_hash: id, user_id: user.id, csrf_token: 't', created_at: at(-60), last_seen_at: at(-1), idle_expires_at: at(idle), absolute_expires_at: at(absolute),
    });
    await db.insertInto('sessions').values([session('live', 10, 600), session('idle', -1, 600), session('old', 10, 0)]).execute();
    expect(await deleteExpiredSessions(db, now)).toBe(2);
    expect((await db.selectFrom('sessions').select('id_hash').execute()).map((s) => s.id_hash)).toEqual(['live']);
  });

  it('drops login failures older than the counting window only', async () => {
    const now = new Date('2026-05-01T10:00:00Z');
    await db.insertInto('login_failures').values([
      { username: 'x', failed_at: new Date(now.getTime() - 20 * 60_000) },
      { username: 'x', failed_at: new Date(now.getTime() - 5 * 60_000) },
    ]).execute();
    expect(await deleteStaleLoginFailures(db, new Date(now.getTime() - 15 * 60_000))).toBe(1);
    expect(await db.selectFrom('login_failures').select('failed_at').execute()).toHaveLength(1);
  });
});
