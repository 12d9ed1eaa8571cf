/**
 * `npm run engine`: the engine as a standalone Temporal-compatible server. Listens on ENGINE_LISTEN
 * (default 127.0.0.1:7233, where clients look for a dev server); keeps its data in DATABASE_URL, or else in
 * an embedded PostgreSQL under DATA_DIR (default ./data). SIGTERM or SIGINT stops the engine, then PostgreSQL.
 */
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { startEngine } from './index';

/** The application's database on the embedded cluster (the same one `npm start` uses). */
const EMBEDDED_DATABASE = 'lienthong';

const log = (message: string) => process.stderr.write(`[engine] ${message}\n`);

async function main() {
  const listen = process.env.ENGINE_LISTEN || '127.0.0.1:7233';
  let databaseUrl = process.env.DATABASE_URL;
  let stopDatabase = async () => {};
  if (!databaseUrl) {
    const dataDir = path.resolve(process.env.DATA_DIR || './data');
    const pg = await startEmbeddedPostgres({ dataDir, onWarning: log });
    stopDatabase = () => pg.stop();
    try {
      await pg.ensureDatabase(EMBEDDED_DATABASE);
    } catch (err) {
      await stopDatabase();
      throw err;
    }
    databaseUrl = pg.urlFor(EMBEDDED_DATABASE);
  }
  let engine;
  try {
    engine = await startEngine({ databaseUrl, listen });
  } catch (err) {
    await stopDatabase();
    throw err;
  }
  process.stdout.write(`engine listening on ${engine.address}\n`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    await engine.stop();
    await stopDatabase();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  log(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
