import type { Db } from './database';
import type { Role } from './schema';
import { findAgencyByCodeUnscoped, insertAgency } from './repositories/agencies';
import { insertUnit } from './repositories/units';
import { findUserByUsernameUnscoped, insertUser } from './repositories/users';
import { SYSTEM_ACTOR, writeAudit } from './repositories/audit-log';
import { generatePassword, hashPassword, type PasswordHashing } from '../api/auth/passwords';

export interface DemoSeed {
  agency: { code: string; name: string };
  /** Generated passwords: printed once by the caller, stored only as hashes. */
  users: { username: string; role: Role; password: string }[];
}

const DEMO_AGENCY = { code: '000.00.01.H49', name: 'Sở Nội vụ tỉnh Quảng Ninh' };
const DEMO_UNITS = [
  { key: 'office', name: 'Văn phòng Sở', code: 'VP' },
  { key: 'staff', name: 'Phòng Tổ chức, biên chế', code: 'TCBC' },
] as const;
const DEMO_USERS: { username: string; fullName: string; role: Role; unit: (typeof DEMO_UNITS)[number]['key'] | null }[] = [
  { username: 'vanthu', fullName: 'Nguyễn Thị Lan', role: 'clerk', unit: 'office' },
  { username: 'lanhdao', fullName: 'Trần Văn Hùng', role: 'leader', unit: null },
  { username: 'chuyenvien', fullName: 'Lê Minh Tuấn', role: 'officer', unit: 'staff' },
  { username: 'quantri', fullName: 'Phạm Thu Hà', role: 'admin', unit: 'office' },
  { username: 'vanhanh', fullName: 'Hoàng Đức Anh', role: 'operator', unit: 'office' },
];
const MARKER = 'demo';

/** Who signs in the demo: the agency (organisation signature) and its leaders (personal signature). */
export interface DemoSigningIdentities {
  agency: { code: string; name: string };
  signers: { username: string; fullName: string }[];
}

/**
 * On the first start of an empty installation, creates a demo agency with two units and one person per role.
 * Returns null when it ran before (or agencies already exist). The marker row's primary key makes concurrent
 * starts safe: the second transaction waits on the first and then finds the marker.
 */
export async function seedDemo(db: Db, options: { passwordHashing?: PasswordHashing } = {}): Promise<DemoSeed | null> {
  const seeded = await db.selectFrom('seed_markers').select('name').where('name', '=', MARKER).executeTakeFirst();
  if (seeded) return null;

  // Hash before opening the transaction so it stays short.
  const accounts = await Promise.all(
    DEMO_USERS.map(async (user) => {
      const password = generatePassword();
      return { ...user, password, hash: await hashPassword(password, options.passwordHashing) };
    }),
  );

  return db.transaction().execute(async (trx) => {
    const marker = await trx
      .insertInto('seed_markers')
      .values({ name: MARKER })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning('name')
      .executeTakeFirst();
    if (!marker) return null;
    // An installation set up by hand before its first start wants no demo data.
    const anyAgency = await trx.selectFrom('agencies').select('id').limit(1).executeTakeFirst();
    if (anyAgency) return null;

    const agency = await insertAgency(trx, { code: DEMO_AGENCY.code, name: DEMO_AGENCY.name, parent_id: null, hub: null });
    const unitIds = new Map<string, string>();
    for (const unit of DEMO_UNITS) {
      const row = await insertUnit(trx, { agency_id: agency.id, name: unit.name, code: unit.code });
      unitIds.set(unit.key, row.id);
    }
    for (const account of accounts) {
      const user = await insertUser(trx, {
        agency_id: agency.id,
        unit_id: account.unit ? unitIds.get(account.unit)! : null,
        username: account.username,
        full_name: account.fullName,
        password_hash: account.hash,
        roles: [account.role],
      });
      await writeAudit(trx, SYSTEM_ACTOR, {
        agencyId: agency.id,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { username: user.username, roles: user.roles, reason: 'demo seed' },
      });
    }
    await writeAudit(trx, SYSTEM_ACTOR, {
      agencyId: agency.id,
      action: 'agency.created',
      targetType: 'agency',
      targetId: agency.id,
      details: { code: agency.code, reason: 'demo seed' },
    });
    return {
      agency: { code: agency.code, name: agency.name },
      users: accounts.map(({ username, role, password }) => ({ username, role, password })),
    };
  });
}

/**
 * The demo agency and its leader as stored, for the demo's test certificates; null when this installation has no
 * demo agency (the seed is switched off, or found agencies set up by hand).
 */
export async function findDemoSigningIdentities(db: Db): Promise<DemoSigningIdentities | null> {
  const agency = await findAgencyByCodeUnscoped(db, DEMO_AGENCY.code);
  if (!agency) return null;
  const signers: DemoSigningIdentities['signers'] = [];
  for (const { username } of DEMO_USERS.filter((user) => user.role === 'leader')) {
    const user = await findUserByUsernameUnscoped(db, username);
    if (user?.agency_id === agency.id) signers.push({ username: user.username, fullName: user.full_name });
  }
  return { agency: { code: agency.code, name: agency.name }, signers };
}
