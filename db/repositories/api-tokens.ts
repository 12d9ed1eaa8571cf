import type { Kysely, Transaction } from 'kysely';
import type { ApiToken, Database, NewApiToken, Role } from '../schema';

/** A token without its hash: what lists and creation answers show. */
export type ApiTokenView = Omit<ApiToken, 'token_hash'>;

const VIEW_COLUMNS = [
  'id',
  'agency_id',
  'user_id',
  'name',
  'prefix',
  'roles',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const;

export async function insertApiToken(trx: Transaction<Database>, token: NewApiToken): Promise<ApiTokenView> {
  return trx.insertInto('api_tokens').values(token).returning(VIEW_COLUMNS).executeTakeFirstOrThrow();
}

/** Tokens of an agency, optionally only those one person created; newest first. */
export async function listApiTokens(
  db: Kysely<Database>,
  agencyId: string,
  userId?: string,
): Promise<ApiTokenView[]> {
  let query = db.selectFrom('api_tokens').select(VIEW_COLUMNS).where('agency_id', '=', agencyId);
  if (userId !== undefined) query = query.where('user_id', '=', userId);
  return query.orderBy('created_at', 'desc').execute();
}

export async function findApiToken(db: Kysely<Database>, agencyId: string, tokenId: string): Promise<ApiTokenView | undefined> {
  return db
    .selectFrom('api_tokens')
    .select(VIEW_COLUMNS)
    .where('agency_id', '=', agencyId)
    .where('id', '=', tokenId)
    .executeTakeFirst();
}

export async function revokeApiToken(
  trx: Transaction<Database>,
  agencyId: string,
  tokenId: string,
  at: Date,
): Promise<ApiTokenView | undefined> {
  return trx
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('agency_id', '=', agencyId)
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .returning(VIEW_COLUMNS)
    .executeTakeFirst();
}

export interface LiveApiToken {
  token_id: string;
  last_used_at: Date | null;
  token_roles: Role[];
  user_id: string;
  username: string;
  full_name: string;
  user_roles: Role[];
  agency_id: string;
  agency_code: string;
  agency_name: string;
}

/** A token that is neither revoked nor expired, of a person and agency that are still active. */
export async function findLiveApiTokenByHash(
  db: Kysely<Database>,
  tokenHash: string,
  now: Date,
): Promise<LiveApiToken | undefined> {
  return db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('agencies as a', 'a.id', 't.agency_id')
    .select([
      't.id as token_id',
      't.last_used_at',
      't.roles as token_roles',
      'u.id as user_id',
      'u.username',
      'u.full_name',
      'u.roles as user_roles',
      'a.id as agency_id',
      'a.code as agency_code',
      'a.name as agency_name',
    ])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)]))
    .where('u.active', '=', true)
    .whereRef('u.agency_id', '=', 't.agency_id')
    .where('a.active', '=', true)
    .executeTakeFirst();
}

export async function markApiTokenUsed(db: Kysely<Database>, tokenId: string, at: Date): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}
