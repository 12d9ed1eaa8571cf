import type { Kysely, Transaction } from 'kysely';
import type { Database, NewUnit, Unit, UnitUpdate } from '../schema';

export async function listUnits(db: Kysely<Database>, agencyId: string): Promise<Unit[]> {
  return db.selectFrom('units').selectAll().where('agency_id', '=', agencyId).orderBy('name').execute();
}

export async function findUnit(db: Kysely<Database>, agencyId: string, unitId: string): Promise<Unit | undefined> {
  return db
    .selectFrom('units')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('id', '=', unitId)
    .executeTakeFirst();
}

export async function insertUnit(trx: Transaction<Database>, unit: NewUnit): Promise<Unit> {
  return trx.insertInto('units').values(unit).returningAll().executeTakeFirstOrThrow();
}

export async function updateUnit(
  trx: Transaction<Database>,
  agencyId: string,
  unitId: string,
  patch: UnitUpdate,
): Promise<Unit | undefined> {
  return trx
    .updateTable('units')
    .set({ ...patch, updated_at: new Date() })
    .where('agency_id', '=', agencyId)
    .where('id', '=', unitId)
    .returningAll()
    .executeTakeFirst();
}
