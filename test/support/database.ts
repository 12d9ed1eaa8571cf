import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** URL of the run's PostgreSQL cluster (maintenance database). */
export function postgresUrl(): string {
  return inject('postgresUrl');
}

/** Creates a fresh, uniquely named database on the run's cluster and returns its URL. */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client(postgresUrl());
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(postgresUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
