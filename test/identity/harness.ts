import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import type { AppDeps } from '../../api/deps';
import { loadConfig } from '../../system/config';
import { createLogger } from '../../system/logger';
import { createApp } from '../../api/app';
import { CLI_ACTOR } from '../../db/repositories/audit-log';
import { createAgency } from '../../api/v1/use-cases/create-agency';
import { createUser } from '../../api/v1/use-cases/create-user';
import { TEST_ONLY_CHEAP_PASSWORD_HASHING } from '../../api/auth/passwords';
import type { Role } from '../../db/schema';
import { createTestDatabase } from '../support/database';

/** A test clock that moves only when told to, so expiry and lockout tests never sleep. */
export class TestClock {
  constructor(private current = new Date('2026-03-02T08:00:00Z')) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface IdentityServer {
  baseUrl: string;
  db: Db;
  clock: TestClock;
  close(): Promise<void>;
}

/** The real web application over HTTP on 127.0.0.1, on a fresh PostgreSQL database, with a test clock. */
export async function startIdentityServer(prefix: string): Promise<IdentityServer> {
  const db = createDb(await createTestDatabase(prefix), { maxConnections: 5 });
  await migrateToLatest(db);
  const clock = new TestClock();
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const deps: AppDeps = { config, db, logger, clock: clock.now };

  const app = createApp(deps);

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    clock,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.destroy();
    },
  };
}

export async function makeAgency(db: Db, code: string, name: string, parentCode?: string) {
  return createAgency({ db, actor: CLI_ACTOR, input: { code, name, parentCode } });
}

export async function makeUser(db: Db, agencyId: string, username: string, roles: Role[], fullName = `Người dùng ${username}`) {
  const { user, password } = await createUser({
    db,
    actor: CLI_ACTOR,
    agencyId,
    input: { username, fullName, roles },
    passwordHashing: TEST_ONLY_CHEAP_PASSWORD_HASHING,
  });
  return { ...user, password };
}

/** A minimal HTTP client that keeps cookies and, once known, sends the session's CSRF token. */
export class Client {
  private cookies = new Map<string, string>();
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: { json?: unknown; form?: Record<string, string>; csrf?: boolean } = {}) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    if ((options.csrf ?? true) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers.accept = 'text/html';
      body = new URLSearchParams(options.form).toString();
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const data = type.includes('json') && text ? JSON.parse(text) : text;
    return { status: res.status, headers: res.headers, data, text };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async logIn(username: string, password: string) {
    const res = await this.request('POST', '/api/v1/session', { json: { username, password } });
    if (res.status === 201) this.csrfToken = res.data.csrfToken;
    return res;
  }
}
