import type { Migration } from 'kysely';
import * as m0001 from './0001-identity';

/**
 * Every migration, listed statically (no filesystem glob, so bundlers and tsx see them all).
 * Names sort in the order they run; add new ones at the end with the next number.
 */
export const migrations: Record<string, Migration> = {
  '0001-identity': m0001,
};
