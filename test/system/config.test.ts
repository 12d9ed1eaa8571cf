import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../system/config';

const ROOT = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'config-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const scratchDir = (name: string) => mkdtempSync(path.join(scratch, `${name}-`));

function faultsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, ROOT);
  } catch (err) {
    if (err instanceof ConfigError) return err.faults;
    throw err;
  }
  return [];
}

describe('configuration', () => {
  it('runs on documented defaults with an empty environment, and cannot be changed afterwards', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: '/srv/app/data',
      databaseUrl: undefined,
      seedDemo: true,
      pkiDir: '/srv/app/data/pki',
      temporal: { address: undefined, namespace: 'default', taskQueue: 'lien-thong', tls: undefined },
      engine: { listen: '127.0.0.1:7233', listenIsDefault: true },
      logLevel: 'info',
      bodyLimits: { json: 1024 * 1024, form: 100 * 1024 },
      session: { secureCookie: false, idleMinutes: 30, absoluteHours: 12 },
      trustProxy: false,
      metricsToken: undefined,
    });
    expect(() => {
      (config as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(() => {
      (config.session as { idleMinutes: number }).idleMinutes = 1;
    }).toThrow(TypeError);
  });

  it('reports every wrong variable at once, each with its name, what it expects and what it got', () => {
    const faults = faultsOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://app:hunter2@x',
      BODY_LIMIT_JSON: '2gb',
      SESSION_SECURE_COOKIE: 'yes',
      SESSION_IDLE_MINUTES: '0',
      TRUST_PROXY: 'everyone',
      TEMPORAL_ADDRESS: 'temporal',
    });
    expect(faults).toContain("PORT must be an integer 0-65535, got 'abc'");
    expect(faults.find((f) => f.startsWith('LOG_LEVEL must be one of fatal, error'))).toMatch(/got 'loud'$/);
    const databaseFault = faults.find((f) => f.startsWith('DATABASE_URL must be'));
    expect(databaseFault).toMatch(/not shown: it may hold a password/);
    expect(faults.join('\n')).not.toContain('hunter2');
    expect(faults.find((f) => f.startsWith('BODY_LIMIT_JSON must be'))).toMatch(/got '2gb'$/);
    expect(faults).toContain("SESSION_SECURE_COOKIE must be 'true' or 'false', got 'yes'");
    expect(faults).toContain("SESSION_IDLE_MINUTES must be an integer 1-1440, got '0'");
    expect(faults.find((f) => f.startsWith('TRUST_PROXY must be'))).toBeDefined();
    expect(faults.find((f) => f.startsWith('TEMPORAL_ADDRESS must be host:port'))).toBeDefined();
    expect(faults).toHaveLength(8);
  });

  it('accepts the forms each variable documents', () => {
    const dir = scratchDir('tls');
    for (const name of ['ca.pem', 'client.pem', 'client.key']) writeFileSync(path.join(dir, name), 'x');
    const config = loadConfig(
      {
        HOST: '0.0.0.0',
        PORT: '0',
        DATABASE_URL: 'postgresql://app:s3cret@db.internal:5432/lienthong',
        TEMPORAL_ADDRESS: 'temporal.example.gov.vn:7233',
        TEMPORAL_NAMESPACE: 'so-noi-vu.qn',
        TEMPORAL_TLS_CA: 'ca.pem',
        TEMPORAL_TLS_CERT: 'client.pem',
        TEMPORAL_TLS_KEY: 'client.key',
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
        ENGINE_LISTEN: '127.0.0.1:0',
        BODY_LIMIT_JSON: '512kb',
        BODY_LIMIT_FORM: '4096',
        TRUST_PROXY: 'loopback, 10.0.0.0/8',
        SESSION_SECURE_COOKIE: 'true',
        LOG_LEVEL: 'WARN',
      },
      dir,
    );
    expect(config.temporal.tls).toEqual({
      caFile: path.join(dir, 'ca.pem'),
      certFile: path.join(dir, 'client.pem'),
      keyFile: path.join(dir, 'client.key'),
      serverName: 'temporal.internal',
    });
    expect(config.engine).toEqual({ listen: '127.0.0.1:0', listenIsDefault: false });
    expect(config.bodyLimits).toEqual({ json: 512 * 1024, form: 4096 });
    expect(config.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(config.logLevel).toBe('warn');
    expect(config.session.secureCookie).toBe(true);
  });

  it('seeds the demo by default only on the embedded PostgreSQL, unless SEED_DEMO says otherwise; keeps its keys under DATA_DIR', () => {
    const external = 'postgres://app:s3cret@db.internal:5432/lienthong';
    expect(loadConfig({ DATABASE_URL: external }, '/srv/app').seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: external, SEED_DEMO: 'true' }, '/srv/app').seedDemo).toBe(true);
    expect(loadConfig({ SEED_DEMO: 'false' }, '/srv/app').seedDemo).toBe(false);
    expect(loadConfig({ DATA_DIR: '/var/lib/lien-thong' }, '/srv/app').pkiDir).toBe('/var/lib/lien-thong/pki');
    expect(loadConfig({ PKI_DIR: 'demo-keys' }, '/srv/app').pkiDir).toBe('/srv/app/demo-keys');
    expect(faultsOf({ SEED_DEMO: 'yes' })).toEqual(["SEED_DEMO must be 'true' or 'false', got 'yes'"]);
  });

  it('takes a METRICS_TOKEN of 32 characters or more, and refuses a shorter one by name without echoing it', () => {
    const token = 'a3f9'.repeat(8);
    expect(loadConfig({ METRICS_TOKEN: token }, '/srv/app').metricsToken).toBe(token);
    for (const weak of ['short-secret-31-characters-long', `${token.slice(0, 16)} ${token.slice(16)}`]) {
      const faults = faultsOf({ METRICS_TOKEN: weak });
      expect(faults).toHaveLength(1);
      expect(faults[0]).toMatch(/^METRICS_TOKEN must be 32-1024 printable ASCII characters without spaces/);
      expect(faults[0]).toContain(`got ${weak.length} characters`);
      expect(faults[0]).not.toContain(weak);
    }
  });

  it('refuses TLS settings that cannot work: a missing file, a certificate without its key, TLS to the embedded engine', () => {
    expect(faultsOf({ TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS_CA: '/no/such/ca.pem' })).toEqual([
      "TEMPORAL_TLS_CA must be a readable file, got '/no/such/ca.pem'",
    ]);
    expect(faultsOf({ TEMPORAL_ADDRESS: 't:7233', TEMPORAL_TLS_CERT: 'package.json' })).toEqual([
      'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (client certificate and its key)',
    ]);
    expect(faultsOf({ TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' })).toEqual([
      'TEMPORAL_TLS_* must only be set together with TEMPORAL_ADDRESS (the embedded engine has no TLS)',
    ]);
  });

  it('stops `npm start` with exit code 2 and the variable names before anything starts', () => {
    const dataDir = path.join(scratchDir('fail'), 'data');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '70000', ENGINE_LISTEN: 'nowhere' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Cấu hình không hợp lệ');
    expect(run.stderr).toContain("PORT must be an integer 0-65535, got '70000'");
    expect(run.stderr).toContain("ENGINE_LISTEN must be host:port such as '127.0.0.1:7233' (port 0 picks a free one), got 'nowhere'");
    // Nothing was started: not even the data folder exists.
    expect(existsSync(dataDir)).toBe(false);
  });

  it('reads a .env file in the working folder, where variables set in the environment win', () => {
    const cwd = scratchDir('dotenv');
    writeFileSync(path.join(cwd, '.env'), 'PORT=abc\nLOG_LEVEL=info\nDATA_DIR=./never-created\n');
    const tsxLoader = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
    const run = spawnSync(process.execPath, ['--import', tsxLoader, path.join(ROOT, 'main.ts')], {
      cwd,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("PORT must be an integer 0-65535, got 'abc'");
    expect(run.stderr).toMatch(/LOG_LEVEL must be one of .*, got 'loud'/);
    expect(existsSync(path.join(cwd, 'never-created'))).toBe(false);
  });
});

describe('.env.example and docker-compose.yml', () => {
  const names = Object.keys(CONFIG_VARIABLES).sort();

  it('.env.example lists every variable the application reads, with its real default', () => {
    const listed = new Map(
      readFileSync(path.join(ROOT, '.env.example'), 'utf8')
        .split('\n')
        .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    expect([...listed.keys()].sort()).toEqual(names);
    for (const [name, value] of listed) expect(value, name).toBe(CONFIG_VARIABLES[name as keyof typeof CONFIG_VARIABLES]);
    // The documented defaults are a valid configuration.
    expect(() => loadConfig(Object.fromEntries(listed), ROOT)).not.toThrow();
  });

  it('docker-compose.yml configures the app with every variable it requires, pointing at the compose services', () => {
    const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
    const services = compose.services as Record<string, { environment?: Record<string, unknown>; image?: string; build?: unknown }>;
    expect(Object.keys(services).sort()).toEqual(['app', 'postgres', 'temporal', 'temporal-ui']);
    expect(services.app.build).toBe('.');
    expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:\d/);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d/);

    // Compose substitutes ${VAR:?message} from its env file; stand in a value for each, long enough for a secret.
    const standIn = (name: string) => `x${name}`.padEnd(40, '0');
    const env = Object.fromEntries(
      Object.entries(services.app.environment ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{(\w+)(:\?[^}]*)?\}/g, (_, name: string) => standIn(name))]),
    );
    // Optional by design: TLS only for a cluster that needs it, ENGINE_LISTEN only for the embedded engine,
    // PKI_DIR only for the demo's keys.
    const optional = ['ENGINE_LISTEN', 'PKI_DIR', 'TEMPORAL_TLS_CA', 'TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_SERVER_NAME'];
    expect(Object.keys(env).sort()).toEqual(names.filter((n) => !optional.includes(n)));

    const config = loadConfig(env, '/app');
    expect(config.host).toBe('0.0.0.0');
    // No demo accounts (their passwords would land in `docker logs`) and no demo keys.
    expect(config.seedDemo).toBe(false);
    const db = new URL(config.databaseUrl!);
    expect(db.hostname).toBe('postgres');
    expect(db.port).toBe('5432');
    expect(db.username).toBe('lienthong');
    expect(db.password).toBe(standIn('APP_DB_PASSWORD'));
    // The scraper's token is a secret from the env file, required like the passwords.
    expect(String(services.app.environment?.METRICS_TOKEN)).toMatch(/^\$\{METRICS_TOKEN:\?/);
    expect(config.metricsToken).toBe(standIn('METRICS_TOKEN'));
    expect(db.pathname).toBe('/lienthong');
    expect(config.temporal.address).toBe('temporal:7233');
    expect(services['temporal-ui'].environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    // The app's database role is the one the postgres service creates, with the same password variable.
    expect(String(services.postgres.environment?.APP_DB_PASSWORD)).toMatch(/^\$\{APP_DB_PASSWORD:\?/);
    expect(compose.configs['create-app-database'].content).toContain('CREATE ROLE lienthong LOGIN');
    // Temporal keeps its data in the same PostgreSQL service.
    expect(services.temporal.environment?.POSTGRES_SEEDS).toBe('postgres');
    // The published port is the one the app listens on.
    expect((compose.services.app.ports as string[]).some((p) => p.endsWith(`:${config.port}`))).toBe(true);
  });
});
