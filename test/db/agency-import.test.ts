import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { importAgencies } from '../../api/v1/use-cases/import-agencies';
import { CLI_ACTOR } from '../../db/repositories/audit-log';
import { AppError } from '../../api/errors';
import { createTestDatabase } from '../support/database';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/agencies/${name}`, import.meta.url));

async function agencies(db: Db) {
  return db
    .selectFrom('agencies as a')
    .leftJoin('agencies as p', 'p.id', 'a.parent_id')
    .select(['a.code', 'a.name', 'a.hub', 'p.code as parent'])
    .orderBy('a.code')
    .execute();
}

async function importError(db: Db, csv: Buffer | string): Promise<AppError> {
  const error = await importAgencies({ db, actor: CLI_ACTOR, csv }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('agency list import from CSV', () => {
  let db: Db;
  beforeAll(async () => {
    db = createDb(await createTestDatabase('agency_import'), { maxConnections: 3 });
    await migrateToLatest(db);
  });
  afterAll(() => db.destroy());

  it('imports a UTF-8 file with a BOM, quoted fields and parents listed after their children', async () => {
    const summary = await importAgencies({ db, actor: CLI_ACTOR, csv: fixture('good.csv') });
    expect(summary.created.sort()).toEqual(['000.00.00.H49', '000.00.01.H49', '000.00.02.H49', '000.01.01.H49']);
    expect(await agencies(db)).toEqual([
      { code: '000.00.00.H49', name: 'Ủy ban nhân dân tỉnh Quảng Ninh', hub: 'https://truc.quangninh.gov.vn', parent: null },
      { code: '000.00.01.H49', name: 'Sở Nội vụ tỉnh Quảng Ninh', hub: null, parent: '000.00.00.H49' },
      { code: '000.00.02.H49', name: 'Sở Tài chính "Quảng Ninh"', hub: null, parent: '000.00.00.H49' },
      { code: '000.01.01.H49', name: 'Ban Thi đua - Khen thưởng, Sở Nội vụ', hub: null, parent: '000.00.01.H49' },
    ]);
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_label']).where('action', '=', 'agency.imported').execute();
    expect(audit).toEqual([{ action: 'agency.imported', actor_label: 'cli' }]);
  });

  it('changes nothing when the same file comes again, and updates names and parents when they change', async () => {
    const again = await importAgencies({ db, actor: CLI_ACTOR, csv: fixture('good.csv') });
    expect(again).toEqual({ created: [], updated: [], unchanged: 4 });
    const changed = await importAgencies({
      db,
      actor: CLI_ACTOR,
      csv: 'agency_code,name,parent_code,hub\n000.01.01.H49,Ban Thi đua – Khen thưởng tỉnh,000.00.00.H49,\n000.00.00.H49,UBND tỉnh Quảng Ninh,000.01.01.H49,\n',
    }).catch((e: AppError) => e);
    // Making the province a child of its own grandchild loops: refused whole, nothing changes.
    expect((changed as AppError).faults.map((f) => `${f.field} ${f.reason}`)).toEqual([
      'lines[2].parent_code cycle',
      'lines[3].parent_code cycle',
    ]);
    expect((await agencies(db)).find((a) => a.code === '000.00.00.H49')!.parent).toBeNull();
    const renamed = await importAgencies({
      db,
      actor: CLI_ACTOR,
      csv: 'agency_code,name,parent_code,hub\n000.01.01.H49,Ban Thi đua – Khen thưởng tỉnh,000.00.00.H49,\n',
    });
    expect(renamed).toEqual({ created: [], updated: ['000.01.01.H49'], unchanged: 0 });
    expect((await agencies(db)).find((a) => a.code === '000.01.01.H49')).toEqual({
      code: '000.01.01.H49', name: 'Ban Thi đua – Khen thưởng tỉnh', hub: null, parent: '000.00.00.H49',
    });
  });

  it('reports every bad row with its line, field and reason, and stores nothing', async () => {
    const before = await agencies(db);
    const error = await importError(db, fixture('bad.csv'));
    expect(error.code).toBe('validation_failed');
    expect(error.faults.map(({ field, reason }) => ({ field, reason }))).toEqual([
      { field: 'lines[3].agency_code', reason: 'bad_characters' },
      { field: 'lines[4].name', reason: 'required' },
      { field: 'lines[6]', reason: 'bad_column_count' },
      { field: 'lines[7].agency_code', reason: 'duplicate' },
      { field: 'lines[5].parent_code', reason: 'not_found' },
      { field: 'lines[8].parent_code', reason: 'cycle' },
      { field: 'lines[9].parent_code', reason: 'cycle' },
    ]);
    for (const fault of error.faults) expect(fault.message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]|Dòng|Mã/i);
    expect(await agencies(db)).toEqual(before);
  });

  it("does not blame a child for its parent's bad row", async () => {
    const error = await importError(db, 'agency_code,name,parent_code,hub\nG05,,,\nG05.01,Cục Quản lý,G05,\n');
    expect(error.faults.map((f) => f.field)).toEqual(['lines[2].name']);
  });

  it('refuses unreadable files as a whole: wrong header, unclosed quote, not UTF-8', async () => {
    expect((await importError(db, 'code,name\nG01,Bộ Công an\n')).faults[0]).toMatchObject({ field: 'lines[1]', reason: 'bad_header' });
    expect((await importError(db, 'agency_code,name,parent_code,hub\nG01,"Bộ Công an,,\n')).faults[0]).toMatchObject({ reason: 'bad_csv' });
    const latin1 = Buffer.from('agency_code,name,parent_code,hub\nG01,B\xf4 C\xf4ng an,,\n', 'latin1');
    expect((await importError(db, latin1)).faults[0]).toMatchObject({ field: 'file', reason: 'bad_encoding' });
    expect(await db.selectFrom('agencies').select('id').where('code', '=', 'G01').executeTakeFirst()).toBeUndefined();
  });
});
