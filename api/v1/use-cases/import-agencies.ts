import { parse, CsvError } from 'csv-parse/sync';
import { sql } from 'kysely';
import { AppError } from '../../errors';
import type { Db } from '../../../db/database';
import { writeAudit, type Actor } from '../../../db/repositories/audit-log';
import { listAllAgenciesUnscoped } from '../../../db/repositories/agencies';
import { FaultList, readAgencyCode, readText } from './input';

export const AGENCY_CSV_HEADER = ['agency_code', 'name', 'parent_code', 'hub'] as const;
/** Bounds the work one file can cause; the national list is a few thousand agencies. */
export const AGENCY_CSV_MAX_BYTES = 5 * 1024 * 1024;
export const AGENCY_CSV_MAX_ROWS = 20_000;

interface AgencyRow {
  line: number;
  code: string;
  name: string;
  parentCode: string | null;
  hub: string | null;
}

export interface AgencyImportSummary {
  created: string[];
  updated: string[];
  unchanged: number;
}

/**
 * Imports an agency list (`agency_code,name,parent_code,hub`, UTF-8, header first). Parents may come after
 * their children or already be registered. Every bad row is reported (field `lines[N].column`) and nothing is
 * stored unless the whole file is good; importing the same file again changes nothing.
 */
export async function importAgencies(options: { db: Db; actor: Actor; csv: Buffer | string }): Promise<AgencyImportSummary> {
  const { db, actor } = options;
  const { rows, faults, codesInFile } = readAgencyCsv(options.csv);

  return db.transaction().execute(async (trx) => {
    // One import at a time: two concurrent files could otherwise each pass the cycle check and together loop.
    await sql`LOCK TABLE agencies IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
    const existing = await listAllAgenciesUnscoped(trx);
    checkParents(rows, existing, codesInFile, faults);
    faults.throwIfAny();

    const summary: AgencyImportSummary = { created: [], updated: [], unchanged: 0 };
    const byCode = new Map(existing.map((a) => [a.code, a]));
    const idOf = new Map(existing.map((a) => [a.code, a.id]));
    const parentCodeOf = new Map(existing.map((a) => [a.code, existing.find((p) => p.id === a.parent_id)?.code ?? null]));

    for (const row of rows) {
      const current = byCode.get(row.code);
      if (!current) {
        const inserted = await trx
          .insertInto('agencies')
          .values({ code: row.code, name: row.name, hub: row.hub, parent_id: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        idOf.set(row.code, inserted.id);
        summary.created.push(row.code);
      } else if (current.name !== row.name || current.hub !== row.hub || parentCodeOf.get(row.code) !== row.parentCode) {
        await trx.updateTable('agencies').set({ name: row.name, hub: row.hub, updated_at: new Date() }).where('id', '=', current.id).execute();
        summary.updated.push(row.code);
      } else {
        summary.unchanged += 1;
      }
    }
    // Detach first, then attach: every intermediate state is then part of the (acyclic) final tree.
    const moved = rows.filter((row) => parentCodeOf.get(row.code) !== row.parentCode);
    for (const row of moved) {
      await trx.updateTable('agencies').set({ parent_id: null }).where('id', '=', idOf.get(row.code)!).execute();
    }
    for (const row of moved) {
      if (row.parentCode === null) continue;
      await trx.updateTable('agencies').set({ parent_id: idOf.get(row.parentCode)! }).where('id', '=', idOf.get(row.code)!).execute();
    }
    await writeAudit(trx, actor, {
      agencyId: null,
      action: 'agency.imported',
      targetType: 'agency_list',
      details: { created: summary.created, updated: summary.updated, unchanged: summary.unchanged },
    });
    return summary;
  });
}

/**
 * Parses and checks every row on its own. A file that cannot be read at all throws; row faults are collected
 * so they are reported together with the parent checks.
 */
function readAgencyCsv(csv: Buffer | string): { rows: AgencyRow[]; faults: FaultList; codesInFile: Set<string> } {
  const bytes = typeof csv === 'string' ? Buffer.byteLength(csv) : csv.length;
  if (bytes > AGENCY_CSV_MAX_BYTES) {
    throw AppError.validation([{ field: 'file', reason: 'too_large', message: `Tệp lớn quá ${AGENCY_CSV_MAX_BYTES / 1024 / 1024} MB` }]);
  }
  let text: string;
  try {
    text = typeof csv === 'string' ? csv : new TextDecoder('utf-8', { fatal: true }).decode(csv);
  } catch {
    throw AppError.validation([{ field: 'file', reason: 'bad_encoding', message: 'Tệp phải được mã hóa UTF-8' }]);
  }

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (err) {
    const line = err instanceof CsvError ? (err as CsvError & { lines?: number }).lines : undefined;
    throw AppError.validation([
      { field: `lines[${line ?? 0}]`, reason: 'bad_csv', message: `Tệp CSV sai cú pháp${line ? ` ở dòng ${line}` : ''} (thiếu dấu nháy đóng?)` },
    ]);
  }

  const faults = new FaultList();
  const [header, ...body] = records;
  const headerCells = header?.record.map((c) => c.trim().toLowerCase()) ?? [];
  if (headerCells.join(',') !== AGENCY_CSV_HEADER.join(',')) {
    faults.add('lines[1]', 'bad_header', `Dòng tiêu đề phải là: ${AGENCY_CSV_HEADER.join(',')}`);
    faults.throwIfAny();
  }
  if (body.length > AGENCY_CSV_MAX_ROWS) {
    faults.add('file', 'too_many_rows', `Tệp có quá ${AGENCY_CSV_MAX_ROWS} dòng`);
    faults.throwIfAny();
  }

  const rows: AgencyRow[] = [];
  const firstLineOf = new Map<string, number>();
  // Codes of every row, good or bad: a child of a bad row is not reported again as having no parent.
  const codesInFile = new Set(body.map(({ record }) => record[0]?.trim()).filter(Boolean));
  for (const { record, info } of body) {
    // info.lines is where the record ends; quoted fields may span lines.
    const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
    const at = (column: string) => `lines[${line}].${column}`;
    if (record.length !== AGENCY_CSV_HEADER.length) {
      faults.add(`lines[${line}]`, 'bad_column_count', `Dòng ${line} có ${record.length} cột, cần đúng ${AGENCY_CSV_HEADER.length} cột`);
      continue;
    }
    const before = faults.faults.length;
    const code = readAgencyCode(faults, at('agency_code'), record[0]);
    const name = readText(faults, at('name'), record[1], { required: true, max: 300, label: 'Tên cơ quan' });
    const parentCode = readAgencyCode(faults, at('parent_code'), record[2], false);
    const hub = readText(faults, at('hub'), record[3], { required: false, max: 300, label: 'Trục liên thông' });
    if (code !== undefined) {
      const first = firstLineOf.get(code);
      if (first !== undefined) faults.add(at('agency_code'), 'duplicate', `Mã định danh ${code} đã có ở dòng ${first}`);
      else firstLineOf.set(code, line);
      if (parentCode === code) faults.add(at('parent_code'), 'self_parent', 'Cơ quan không thể là cơ quan chủ quản của chính nó');
    }
    if (faults.faults.length === before) rows.push({ line, code: code!, name: name!, parentCode: parentCode ?? null, hub: hub ?? null });
  }
  return { rows, faults, codesInFile };
}

/** Every parent must exist (in the file or already registered), and the resulting tree must not loop. */
function checkParents(
  rows: AgencyRow[],
  existing: { id: string; code: string; parent_id: string | null }[],
  codesInFile: Set<string>,
  faults: FaultList,
): void {
  const codeOfId = new Map(existing.map((a) => [a.id, a.code]));
  const parentOf = new Map<string, string | null>(
    existing.map((a) => [a.code, a.parent_id === null ? null : codeOfId.get(a.parent_id) ?? null]),
  );
  for (const row of rows) parentOf.set(row.code, row.parentCode);

  for (const row of rows) {
    const at = `lines[${row.line}].parent_code`;
    if (row.parentCode === null) continue;
    if (!parentOf.has(row.parentCode)) {
      if (codesInFile.has(row.parentCode)) continue; // the parent's own row is faulty and reported
      faults.add(at, 'not_found', `Không tìm thấy cơ quan chủ quản ${row.parentCode} (trong tệp và trong hệ thống)`);
      continue;
    }
    const seen = new Set([row.code]);
    for (let code = parentOf.get(row.code) ?? null; code !== null; code = parentOf.get(code) ?? null) {
      if (seen.has(code)) {
        faults.add(at, 'cycle', `Quan hệ cơ quan chủ quản của ${row.code} tạo thành vòng lặp`);
        break;
      }
      seen.add(code);
    }
  }
}
