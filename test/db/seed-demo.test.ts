import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { seedDemo } from '../../db/seed-demo';
import { verifyPassword } from '../../api/auth/passwords';
import { checkAgencyCode } from '../../domain/agency-code';
import { ROLES } from '../../db/schema';
import { createTestDatabase } from '../support/database';

describe('seedDemo', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(await createTestDatabase('seed_demo'), { maxConnections: 4 });
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  it('creates one demo agency with a person per role exactly once, even when two starts race', async () => {
    const [first, second] = await Promise.all([seedDemo(db), seedDemo(db)]);
    const seeded = first ?? second;
    expect([first, second].filter((s) => s === null)).toHaveLength(1);
    expect(checkAgencyCode(seeded!.agency.code).ok).toBe(true);
    expect(seeded!.agency.name).toMatch(/Sở/);
    expect(seeded!.users.map((u) => u.role).sort()).toEqual([...ROLES].sort());

    const passwords = seeded!.users.map((u) => u.password);
    expect(new Set(passwords).size).toBe(passwords.length);
    for (const user of seeded!.users) {
      const row = await db.selectFrom('users').select(['password_hash', 'roles']).where('username', '=', user.username).executeTakeFirstOrThrow();
      expect(row.password_hash).not.toContain(user.password);
      expect(await verifyPassword(row.password_hash, user.password)).toBe(true);
      expect(row.roles).toEqual([user.role]);
    }
    const units = await db.selectFrom('units').select('name').execute();
    expect(units).toHaveLength(2);
    expect(await seedDemo(db)).toBeNull();
    const agencies = await db.selectFrom('agencies').select('id').execute();
    expect(agencies).toHaveLength(1);
  });
});
