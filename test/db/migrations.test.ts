import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { migrations } from '../../db/migrations/index';
import { createTestDatabase } from '../support/database';

describe('migrations', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(await createTestDatabase('migrations'), { maxConnections: 4 });
  });
  afterAll(() => db.destroy());

  it('apply to an empty database, then again as a no-op, also when two processes start at once', async () => {
    await Promise.all([migrateToLatest(db), migrateToLatest(db)]);
    await migrateToLatest(db);
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
    const tables = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`.execute(db);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['agencies', 'units', 'users', 'sessions', 'login_failures', 'api_tokens', 'audit_log']),
    );
  });

  it('refuses an agency whose parent chain loops back to itself', async () => {
    const a = await db.insertInto('agencies').values({ code: 'G90', name: 'A', parent_id: null, hub: null }).returning('id').executeTakeFirstOrThrow();
    const b = await db.insertInto('agencies').values({ code: 'G90.01', name: 'B', parent_id: a.id, hub: null }).returning('id').executeTakeFirstOrThrow();
    await expect(db.updateTable('agencies').set({ parent_id: b.id }).where('id', '=', a.id).execute()).rejects.toThrow(/cycle/);
    const stored = await db.selectFrom('agencies').select('parent_id').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(stored.parent_id).toBeNull();
  });

  it("refuses a person whose unit belongs to another agency", async () => {
    const x = await db.insertInto('agencies').values({ code: 'G91', name: 'X', parent_id: null, hub: null }).returning('id').executeTakeFirstOrThrow();
    const y = await db.insertInto('agencies').values({ code: 'G92', name: 'Y', parent_id: null, hub: null }).returning('id').executeTakeFirstOrThrow();
    const unitOfY = await db.insertInto('units').values({ agency_id: y.id, name: 'Văn phòng', code: null }).returning('id').executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('users')
        .values({ agency_id: x.id, unit_id: unitOfY.id, username: 'nguoi.x', full_name: 'Người X', password_hash: 'h', roles: ['clerk'] })
        .execute(),
    ).rejects.toThrow(/foreign key/);
  });
});
