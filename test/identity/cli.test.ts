import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { verifyPassword } from '../../api/auth/passwords';
import { startEmbeddedPostgres } from '../../db/embedded-postgres';
import { writeRuntimeFile } from '../../system/runtime-file';
import { createTestDatabase } from '../support/database';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs `npm run cli -- ...` the way npm does (tsx), returning the exit code and both streams. */
async function cli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const passwordIn = (stdout: string) => /\(chỉ hiện một lần\): (\S+)/.exec(stdout)?.[1];

describe('CLI against DATABASE_URL', () => {
  let url: string;
  let db: Db;
  beforeAll(async () => {
    url = await createTestDatabase('cli');
    db = createDb(url, { maxConnections: 2 });
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  it('creates agencies and a user, prints the password once, resets it and unlocks', async () => {
    const env = { DATABASE_URL: url };
    expect((await cli(['agency:create', '--code', 'H29', '--name', 'UBND Thành phố Hồ Chí Minh'], env)).code).toBe(0);
    const child = await cli(['agency:create', '--code', '000.00.01.H29', '--name', 'Sở Nội vụ TP.HCM', '--parent', 'H29'], env);
    expect(child.stdout).toContain('Đã tạo cơ quan 000.00.01.H29 – Sở Nội vụ TP.HCM');

    const created = await cli(['user:create', '--agency', '000.00.01.H29', '--username', 'Le.Van.A', '--name', 'Lê Văn A', '--roles', 'clerk,leader'], env);
    expect(created.code).toBe(0);
    const password = passwordIn(created.stdout)!;
    expect(password.length).toBeGreaterThanOrEqual(16);
    const row = await db.selectFrom('users').select(['password_hash', 'roles']).where('username', '=', 'le.van.a').executeTakeFirstOrThrow();
    expect(row.roles).toEqual(['clerk', 'leader']);
    expect(await verifyPassword(row.password_hash, password)).toBe(true);

    const reset = await cli(['user:reset-password', '--username', 'le.van.a'], env);
    const newPassword = passwordIn(reset.stdout)!;
    expect(newPassword).not.toBe(password);
    const after = await db.selectFrom('users').select('password_hash').where('username', '=', 'le.van.a').executeTakeFirstOrThrow();
    expect(await verifyPassword(after.password_hash, newPassword)).toBe(true);
    expect(await verifyPassword(after.password_hash, password)).toBe(false);

    await db.insertInto('login_failures').values({ username: 'le.van.a', failed_at: new Date() }).execute();
    const unlock = await cli(['user:unlock', '--username', 'le.van.a'], env);
    expect(unlock.stdout).toContain('xóa 1 lần đăng nhập sai');
    const audit = await db.selectFrom('audit_log').select('action').where('actor_label', '=', 'cli').execute();
    expect(audit.map((a) => a.action)).toEqual(['agency.created', 'agency.created', 'user.created', 'user.password_reset', 'user.unlocked']);
  });

  it('imports an agency CSV, and reports bad rows with exit code 3 and nothing stored', async () => {
    const env = { DATABASE_URL: url };
    const good = await cli(['agency:import', 'test/fixtures/agencies/good.csv'], env);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('4 tạo mới');
    const bad = await cli(['agency:import', 'test/fixtures/agencies/bad.csv'], env);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('lines[5].parent_code: Không tìm thấy cơ quan chủ quản 000.00.00.H99');
    expect(bad.stderr).toContain('lines[3].agency_code');
    expect(await db.selectFrom('agencies').select('id').where('code', '=', '000.00.03.H49').executeTakeFirst()).toBeUndefined();
  });

  it('fails clearly: unknown command or option (2), bad input (3), bad configuration (2)', async () => {
    const env = { DATABASE_URL: url };
    const unknown = await cli(['agency:delete'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Lệnh không tồn tại: agency:delete');
    expect((await cli(['user:unlock', '--user', 'x'], env)).code).toBe(2);
    const bad = await cli(['user:create', '--agency', 'H29', '--username', 'x', '--name', '', '--roles', 'clerk,boss'], env);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/username: .*\[bad_format\]/);
    expect(bad.stderr).toMatch(/fullName: Họ và tên không được để trống/);
    expect(bad.stderr).toMatch(/roles: Vai trò không hợp lệ: boss/);
    const taken = await cli(['agency:create', '--code', 'H29', '--name', 'Trùng'], env);
    expect(taken.code).toBe(3);
    expect(taken.stderr).toContain('Mã định danh H29 đã được đăng ký');
    const config = await cli(['user:unlock', '--username', 'x'], { DATABASE_URL: 'mysql://nope' });
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('DATABASE_URL');
  });
});

describe('CLI against the embedded PostgreSQL under DATA_DIR', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'lien-thong-cli-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('starts the cluster itself when nothing runs, and joins it while the system runs', async () => {
    const alone = await cli(['agency:create', '--code', 'G12', '--name', 'Bộ Tài chính'], { DATA_DIR: dataDir });
    expect(alone.stderr + alone.stdout).toContain('Đã tạo cơ quan G12');
    expect(alone.code).toBe(0);

    // Stand in for a running `npm start`: the cluster up, its port recorded in DATA_DIR/runtime.json.
    const pg = await startEmbeddedPostgres({ dataDir });
    try {
      await writeRuntimeFile(dataDir, { pid: process.pid, startedAt: new Date().toISOString(), postgresPort: pg.port, database: 'lienthong' });
      const joined = await cli(['user:create', '--agency', 'G12', '--username', 'vanthu.btc', '--name', 'Văn thư', '--roles', 'clerk'], { DATA_DIR: dataDir });
      expect(joined.stderr).toContain('hệ thống đang chạy');
      expect(joined.code).toBe(0);
      const db = createDb(pg.urlFor('lienthong'), { maxConnections: 1 });
      const user = await db.selectFrom('users as u').innerJoin('agencies as a', 'a.id', 'u.agency_id').select(['u.username', 'a.code']).executeTakeFirstOrThrow();
      await db.destroy();
      expect(user).toEqual({ username: 'vanthu.btc', code: 'G12' });
    } finally {
      await pg.stop();
    }
  });
});
