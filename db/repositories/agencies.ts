import type { Kysely, Transaction } from 'kysely';
import type { Agency, AgencyUpdate, Database, NewAgency } from '../schema';

type Reader = Kysely<Database>;

/**
 * The agencies a caller of `agencyId` may see: its own and every agency below it. Everything else reads as
 * missing, so callers never learn that another agency's record exists.
 */
function visibleAgencyIds(db: Reader, agencyId: string) {
  return db
    .withRecursive('visible(id)', (qb) =>
      qb
        .selectFrom('agencies')
        .select('id')
        .where('id', '=', agencyId)
        .unionAll((qb2) => qb2.selectFrom('agencies as a').innerJoin('visible as v', 'a.parent_id', 'v.id').select('a.id')),
    )
    .selectFrom('visible')
    .select('visible.id');
}

export interface AgencyView extends Agency {
  parent_code: string | null;
}

function selectAgencyView(db: Reader) {
  return db
    .selectFrom('agencies as a')
    .leftJoin('agencies as p', 'p.id', 'a.parent_id')
    .selectAll('a')
    .select('p.code as parent_code');
}

export async function listVisibleAgencies(db: Reader, agencyId: string): Promise<AgencyView[]> {
  return selectAgencyView(db)
    .where('a.id', 'in', visibleAgencyIds(db, agencyId))
    .orderBy('a.code')
    .execute();
}

export async function findVisibleAgencyByCode(db: Reader, agencyId: string, code: string): Promise<AgencyView | undefined> {
  return selectAgencyView(db)
    .where('a.code', '=', code)
    .where('a.id', 'in', visibleAgencyIds(db, agencyId))
    .executeTakeFirst();
}

/**
 * Looks an agency up by code across the whole registry. Only for operator tools (CLI, CSV import, demo seed)
 * that act for the installation, never for a request made by a person of one agency.
 */
export async function findAgencyByCodeUnscoped(db: Reader, code: string): Promise<Agency | undefined> {
  return db.selectFrom('agencies').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function listAllAgenciesUnscoped(db: Reader): Promise<Agency[]> {
  return db.selectFrom('agencies').selectAll().orderBy('code').execute();
}

export async function insertAgency(trx: Transaction<Database>, agency: NewAgency): Promise<Agency> {
  return trx.insertInto('agencies').values(agency).returningAll().executeTakeFirstOrThrow();
}

export async function updateAgency(trx: Transaction<Database>, id: string, patch: AgencyUpdate): Promise<Agency> {
  return trx
    .updateTable('agencies')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
