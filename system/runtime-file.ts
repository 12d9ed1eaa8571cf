import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * DATA_DIR/runtime.json describes the system while it runs, so that tools started beside it (the CLI) can
 * reach the embedded PostgreSQL: its port changes on every start. It holds no secret (the database password
 * stays in DATA_DIR/pg-password, mode 0600) and is removed on a clean stop.
 */
export interface RuntimeInfo {
  /** Process that owns DATA_DIR while it runs. */
  pid: number;
  startedAt: string;
  /** Port of the embedded PostgreSQL on 127.0.0.1. */
  postgresPort: number;
  /** Database holding the application's tables (and the engine's schema). */
  database: string;
  /** Filled in once the engine and the web server run. */
  engineAddress?: string;
  url?: string;
}

function runtimeFilePath(dataDir: string): string {
  return path.join(dataDir, 'runtime.json');
}

export async function writeRuntimeFile(dataDir: string, info: RuntimeInfo): Promise<void> {
  await writeFile(runtimeFilePath(dataDir), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
}

/** The file's content, or undefined when no system has written one (or it is unreadable). */
export async function readRuntimeFile(dataDir: string): Promise<RuntimeInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(runtimeFilePath(dataDir), 'utf8')) as RuntimeInfo;
    return typeof info.pid === 'number' && typeof info.postgresPort === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

export async function removeRuntimeFile(dataDir: string): Promise<void> {
  await rm(runtimeFilePath(dataDir), { force: true });
}
