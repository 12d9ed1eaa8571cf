import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The whole process configuration, read from environment variables once at start, validated with every
 * fault reported together, then frozen and passed to whoever needs it. Nothing else reads process.env.
 */
export interface AppConfig {
  readonly host: string;
  readonly port: number;
  /** Absolute folder holding the embedded PostgreSQL cluster and runtime.json. */
  readonly dataDir: string;
  /** External PostgreSQL; undefined = embedded PostgreSQL under dataDir. */
  readonly databaseUrl?: string;
  /** Create the demo agency, its accounts (passwords printed once) and its test certificates. */
  readonly seedDemo: boolean;
  /** Absolute folder of the demo's test certificate authority (keys, certificates, CRL). */
  readonly pkiDir: string;
  readonly temporal: {
    /** External Temporal frontend host:port; undefined = embedded engine in this process. */
    readonly address?: string;
    readonly namespace: string;
    readonly taskQueue: string;
    /** mTLS / TLS towards an external cluster; undefined = plain connection. */
    readonly tls?: {
      readonly caFile?: string;
      readonly certFile?: string;
      readonly keyFile?: string;
      readonly serverName?: string;
    };
  };
  readonly engine: {
    /** host:port for the embedded engine. */
    readonly listen: string;
    /** true when ENGINE_LISTEN was not set: a busy default port falls back to a free one. */
    readonly listenIsDefault: boolean;
  };
  readonly logLevel: LogLevel;
  /** Request body limits in bytes. */
  readonly bodyLimits: { readonly json: number; readonly form: number };
  readonly session: {
    readonly secureCookie: boolean;
    readonly idleMinutes: number;
    readonly absoluteHours: number;
  };
  /** Passed to Express's `trust proxy` setting as is. */
  readonly trustProxy: boolean | number | string[];
  /** Bearer token a Prometheus scraper presents at /metrics; undefined = only operators' own credentials. */
  readonly metricsToken?: string;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every variable the application reads, with its default ('' = unset by default). The .env.example file and
 * docker-compose.yml are checked against this list by a test.
 */
export const CONFIG_VARIABLES = {
  HOST: '127.0.0.1',
  PORT: '3000',
  DATA_DIR: './data',
  DATABASE_URL: '',
  SEED_DEMO: '',
  PKI_DIR: '',
  TEMPORAL_ADDRESS: '',
  TEMPORAL_NAMESPACE: 'default',
  TEMPORAL_TASK_QUEUE: 'lien-thong',
  TEMPORAL_TLS_CA: '',
  TEMPORAL_TLS_CERT: '',
  TEMPORAL_TLS_KEY: '',
  TEMPORAL_TLS_SERVER_NAME: '',
  ENGINE_LISTEN: '127.0.0.1:7233',
  LOG_LEVEL: 'info',
  BODY_LIMIT_JSON: '1mb',
  BODY_LIMIT_FORM: '100kb',
  SESSION_SECURE_COOKIE: 'false',
  SESSION_IDLE_MINUTES: '30',
  SESSION_ABSOLUTE_HOURS: '12',
  TRUST_PROXY: 'false',
  METRICS_TOKEN: '',
} as const;

export type ConfigVariable = keyof typeof CONFIG_VARIABLES;

/** All faults found in one pass, each naming the variable and what it expects. */
export class ConfigError extends Error {
  readonly faults: string[];
  constructor(faults: string[]) {
    super(`Invalid configuration:\n${faults.map((f) => `  - ${f}`).join('\n')}`);
    this.name = 'ConfigError';
    this.faults = faults;
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads and validates the configuration; throws ConfigError listing every fault. `cwd` resolves DATA_DIR and
 * PKI_DIR. Unset SEED_DEMO follows the setup: on with the embedded PostgreSQL, off with DATABASE_URL.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const faults: string[] = [];
  const raw = (name: ConfigVariable): string => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? CONFIG_VARIABLES[name] : value;
  };
  const optional = (name: ConfigVariable): string | undefined => raw(name) || undefined;
  // A secret's value (a URL may carry a password) is never echoed: the message may reach a terminal or a log.
  const fault = (name: ConfigVariable, expected: string, { secret = false } = {}) =>
    faults.push(`${name} must be ${expected}, ${secret ? 'got something else (not shown: it may hold a password)' : `got '${env[name]}'`}`);

  const int = (name: ConfigVariable, min: number, max: number): number => {
    const value = raw(name);
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      fault(name, `an integer ${min}-${max}`);
      return Number(CONFIG_VARIABLES[name]);
    }
    return n;
  };
  const bool = (name: ConfigVariable): boolean => {
    const value = raw(name).toLowerCase();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    fault(name, "'true' or 'false'");
    return (CONFIG_VARIABLES[name] as string) === 'true';
  };
  const byteSize = (name: ConfigVariable): number => {
    const parsed = parseByteSize(raw(name));
    if (parsed === undefined || parsed < 1024 || parsed > 100 * 1024 * 1024) {
      fault(name, "a size between 1kb and 100mb such as '512kb' or '1mb'");
      return parseByteSize(CONFIG_VARIABLES[name])!;
    }
    return parsed;
  };
  const hostPort = (name: ConfigVariable): string | undefined => {
    const value = optional(name);
    if (value !== undefined && !isHostPort(value)) fault(name, "host:port such as '127.0.0.1:7233'");
    return value;
  };
  const readableFile = (name: ConfigVariable): string | undefined => {
    const value = optional(name);
    if (value === undefined) return undefined;
    const file = path.resolve(cwd, value);
    try {
      accessSync(file, constants.R_OK);
    } catch {
      fault(name, 'a readable file');
    }
    return file;
  };

  const host = raw('HOST');
  if (!isHost(host)) fault('HOST', "a host name or IP address such as '127.0.0.1' or '0.0.0.0'");
  const port = int('PORT', 0, 65535);
  const dataDir = path.resolve(cwd, raw('DATA_DIR'));

  const databaseUrl = optional('DATABASE_URL');
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl)) {
    fault('DATABASE_URL', "a URL such as 'postgres://user:password@host:5432/lienthong' (or unset for the embedded PostgreSQL)", {
      secret: true,
    });
  }
  const seedDemo = optional('SEED_DEMO') === undefined ? databaseUrl === undefined : bool('SEED_DEMO');
  const pkiDir = path.resolve(cwd, optional('PKI_DIR') ?? path.join(dataDir, 'pki'));

  const temporalAddress = hostPort('TEMPORAL_ADDRESS');
  const namespace = raw('TEMPORAL_NAMESPACE');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(namespace)) fault('TEMPORAL_NAMESPACE', 'a namespace name (letters, digits, . _ -)');
  const taskQueue = raw('TEMPORAL_TASK_QUEUE');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(taskQueue)) fault('TEMPORAL_TASK_QUEUE', 'a task queue name (letters, digits, . _ -)');

  const caFile = readableFile('TEMPORAL_TLS_CA');
  const certFile = readableFile('TEMPORAL_TLS_CERT');
  const keyFile = readableFile('TEMPORAL_TLS_KEY');
  const serverName = optional('TEMPORAL_TLS_SERVER_NAME');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    faults.push('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (client certificate and its key)');
  }
  const tlsWanted = caFile ?? certFile ?? keyFile ?? serverName;
  if (tlsWanted !== undefined && temporalAddress === undefined) {
    faults.push('TEMPORAL_TLS_* must only be set together with TEMPORAL_ADDRESS (the embedded engine has no TLS)');
  }

  const engineListen = raw('ENGINE_LISTEN');
  if (!isHostPort(engineListen)) fault('ENGINE_LISTEN', "host:port such as '127.0.0.1:7233' (port 0 picks a free one)");

  const logLevel = raw('LOG_LEVEL').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) fault('LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')}`);

  const trustProxy = parseTrustProxy(raw('TRUST_PROXY'));
  if (trustProxy === undefined) {
    fault('TRUST_PROXY', "'false', 'true', a number of proxy hops, or a comma-separated list of proxy addresses/subnets");
  }

  const metricsToken = optional('METRICS_TOKEN');
  if (metricsToken !== undefined && !METRICS_TOKEN_FORM.test(metricsToken)) {
    // A secret: the fault says how long it was, never what it was.
    faults.push(
      `METRICS_TOKEN must be 32-1024 printable ASCII characters without spaces (e.g. from \`openssl rand -hex 32\`), got ${metricsToken.length} characters`,
    );
  }

  const config: AppConfig = {
    host,
    port,
    dataDir,
    databaseUrl,
    seedDemo,
    pkiDir,
    temporal: {
      address: temporalAddress,
      namespace,
      taskQueue,
      tls: tlsWanted === undefined ? undefined : { caFile, certFile, keyFile, serverName },
    },
    engine: { listen: engineListen, listenIsDefault: !env.ENGINE_LISTEN?.trim() },
    logLevel,
    bodyLimits: { json: byteSize('BODY_LIMIT_JSON'), form: byteSize('BODY_LIMIT_FORM') },
    session: {
      secureCookie: bool('SESSION_SECURE_COOKIE'),
      idleMinutes: int('SESSION_IDLE_MINUTES', 1, 24 * 60),
      absoluteHours: int('SESSION_ABSOLUTE_HOURS', 1, 24 * 30),
    },
    trustProxy: trustProxy ?? false,
    metricsToken,
  };
  if (faults.length > 0) throw new ConfigError(faults);
  return deepFreeze(config);
}

/** Long enough that guessing it is hopeless; printable ASCII so it fits an Authorization header as is. */
const METRICS_TOKEN_FORM = /^[\x21-\x7e]{32,1024}$/;

/** '512kb', '1mb', '2048' (bytes) -> bytes; undefined when unreadable. */
function parseByteSize(value: string): number | undefined {
  const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase();
  return Number(match[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

function parseTrustProxy(value: string): boolean | number | string[] | undefined {
  const lower = value.toLowerCase();
  if (lower === 'false') return false;
  if (lower === 'true') return true;
  if (/^\d{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',').map((s) => s.trim());
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const ok = entries.every((e) => named.has(e) || /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(e));
  return ok ? entries : undefined;
}

function isHost(value: string): boolean {
  return /^[A-Za-z0-9.-]{1,253}$/.test(value) || /^\[?[0-9a-fA-F:]+\]?$/.test(value);
}

function isHostPort(value: string): boolean {
  const at = value.lastIndexOf(':');
  if (at <= 0) return false;
  const port = value.slice(at + 1);
  return isHost(value.slice(0, at)) && /^\d{1,5}$/.test(port) && Number(port) <= 65535;
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
