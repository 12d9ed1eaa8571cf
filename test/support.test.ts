import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './support/database';

describe('test support', () => {
  it('gives each caller its own empty database on the run cluster', async () => {
    const a = await createTestDatabase('a');
    const b = await createTestDatabase('b');
    expect(a).not.toBe(b);
    const client = new pg.Client(a);
    await client.connect();
    await client.query('CREATE TABLE t (x int)');
    await client.end();
    const other = new pg.Client(b);
    await other.connect();
    const tables = await other.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't'");
    await other.end();
    expect(tables.rows[0].n).toBe(0);
  });
});
