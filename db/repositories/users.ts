import type { Kysely, Transaction } from 'kysely';
import type { Database, NewUser, Role, User, UserUpdate } from '../schema';

/** A user as other code may see it: never the password hash. */
export interface UserView {
  id: string;
  agency_id: string;
  agency_code: string;
  unit_id: string | null;
  username: string;
  full_name: string;
  roles: Role[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

function selectUserView(db: Kysely<Database>) {
  return db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .select([
      'u.id',
      'u.agency_id',
      'a.code as agency_code',
      'u.unit_id',
      'u.username',
      'u.full_name',
      'u.roles',
      'u.active',
      'u.created_at',
      'u.updated_at',
    ]);
}

export async function listUsers(db: Kysely<Database>, agencyId: string): Promise<UserView[]> {
  return selectUserView(db).where('u.agency_id', '=', agencyId).orderBy('u.username').execute();
}

export async function findUser(db: Kysely<Database>, agencyId: string, userId: string): Promise<UserView | undefined> {
  return selectUserView(db).where('u.agency_id', '=', agencyId).where('u.id', '=', userId).executeTakeFirst();
}

/**
 * Login knows only the username, so this lookup cannot be scoped to an agency; it is used by the login
 * use case and operator tools (CLI), never to answer a person's request for another user.
 */
export async function findUserByUsernameUnscoped(
  db: Kysely<Database>,
  username: string,
): Promise<(User & { agency_code: string; agency_name: string; agency_active: boolean }) | undefined> {
  return db
    .selectFrom('users as u')
    .innerJoin('agencies as a', 'a.id', 'u.agency_id')
    .selectAll('u')
    .select(['a.code as agency_code', 'a.name as agency_name', 'a.active as agency_active'])
    .where('u.username', '=', username)
    .executeTakeFirst();
}

export async function insertUser(trx: Transaction<Database>, user: NewUser): Promise<User> {
  return trx.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function updateUser(
  trx: Transaction<Database>,
  agencyId: string,
  userId: string,
  patch: UserUpdate,
): Promise<User | undefined> {
  return trx
    .updateTable('users')
    .set({ ...patch, updated_at: new Date() })
    .where('agency_id', '=', agencyId)
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirst();
}
