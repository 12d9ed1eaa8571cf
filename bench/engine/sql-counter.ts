import pg from 'pg';

export interface SqlCount {
  /** Statements sent, each one a round trip to PostgreSQL. */
  statements: number;
  /** Of which `BEGIN`: the transactions opened. */
  transactions: number;
}

const counted: SqlCount = { statements: 0, transactions: 0 };
let installed = false;

/**
 * Counts every statement that any pg client of this process sends, the in-process engine's included: on a
 * shared machine, where timings swing, the count of round trips per workflow is the stable figure.
 * Observes only: the query goes through unchanged.
 */
export function installSqlCounter(): void {
  if (installed) return;
  installed = true;
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | undefined)?.text;
    counted.statements++;
    if (typeof text === 'string' && /^\s*begin\b/i.test(text)) counted.transactions++;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

/** Runs `work` and tells how many statements were sent meanwhile (by everything in this process). */
export async function withSqlCount<T>(work: () => Promise<T>): Promise<{ result: T; sql: SqlCount }> {
  const before = { ...counted };
  const result = await work();
  return { result, sql: { statements: counted.statements - before.statements, transactions: counted.transactions - before.transactions } };
}
