import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { TEST_ONLY_CHEAP_PASSWORD_HASHING } from '../../api/auth/passwords';
import { createAgency } from '../../api/v1/use-cases/create-agency';
import { createUser } from '../../api/v1/use-cases/create-user';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { CLI_ACTOR } from '../../db/repositories/audit-log';
import type { Role } from '../../db/schema';
import { createTestDatabase } from '../support/database';
import { capturingLogger, json, serve, testConfig } from './support';

/** Who may read /metrics, over real HTTP against the real identity layer and database. */
const METRICS_TOKEN = randomBytes(32).toString('hex');

let db: Db;
let base: string;
let close: () => Promise<void>;
let logLines: () => string;
/** The same database served by an app without METRICS_TOKEN. */
let baseWithoutToken: string;
let closeWithoutToken: () => Promise<void>;

interface Person {
  cookie: string;
  /** An API token with all of the person's roles. */
  token: string;
}
let operator: Person;
let clerk: Person;
/** The operator's token restricted to the officer role. */
let operatorTokenAsOfficer: string;

beforeAll(async () => {
  db = createDb(await createTestDatabase('metrics_access'), { maxConnections: 3 });
  await migrateToLatest(db);
  const captured = capturingLogger();
  logLines = captured.lines;
  ({ url: base, close } = await serve(createApp({ config: testConfig({ METRICS_TOKEN }), db, logger: captured.logger })));
  ({ url: baseWithoutToken, close: closeWithoutToken } = await serve(
    createApp({ config: testConfig(), db, logger: capturingLogger().logger }),
  ));

  const agency = await createAgency({ db, actor: CLI_ACTOR, input: { code: '000.00.01.H49', name: 'Sở Nội vụ tỉnh Quảng Ninh' } });
  operator = await person(agency.id, 'vanhanh', ['operator', 'officer']);
  clerk = await person(agency.id, 'vanthu', ['clerk']);
  operatorTokenAsOfficer = (await issueToken(operator.cookie, await csrfOf(operator.cookie), ['officer'])).token;
});

afterAll(async () => {
  await close?.();
  await closeWithoutToken?.();
  await db?.destroy();
});

/** A user logged in over the API, with an API token created over the API. */
async function person(agencyId: string, username: string, roles: Role[]): Promise<Person> {
  const { password } = await createUser({
    db,
    actor: CLI_ACTOR,
    agencyId,
    input: { username, fullName: `Người dùng ${username}`, roles },
    passwordHashing: TEST_ONLY_CHEAP_PASSWORD_HASHING,
  });
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(login.status).toBe(201);
  const cookie = login.headers.getSetCookie()[0].split(';')[0];
  const { csrfToken } = await json(login);
  return { cookie, token: (await issueToken(cookie, csrfToken)).token };
}

async function csrfOf(cookie: string): Promise<string> {
  return (await json(await fetch(`${base}/api/v1/me`, { headers: { cookie } }))).csrfToken;
}

async function issueToken(cookie: string, csrfToken: string, roles?: Role[]): Promise<{ token: string }> {
  const res = await fetch(`${base}/api/v1/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'Prometheus', roles }),
  });
  expect(res.status).toBe(201);
  return json(res);
}

function scrape(headers: Record<string, string> = {}, url = base): Promise<Response> {
  // What Prometheus sends; a problem must still come back as problem+json, not an HTML page.
  return fetch(`${url}/metrics`, { headers: { accept: 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1', ...headers } });
}

async function expectProblem(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = await res.text();
  expect(JSON.parse(body)).toMatchObject({ status, code });
  expect(body).not.toContain('process_cpu');
}

describe('/metrics', () => {
  it('refuses a request without credentials with 401 problem+json', async () => {
    await expectProblem(await scrape(), 401, 'unauthenticated');
    await expectProblem(await scrape({}, baseWithoutToken), 401, 'unauthenticated');
  });

  it('refuses wrong tokens with 401: made up, METRICS_TOKEN with one character changed, an unknown API token', async () => {
    const nearlyRight = METRICS_TOKEN.slice(0, -1) + (METRICS_TOKEN.endsWith('0') ? '1' : '0');
    const unknownApiToken = `lt_${randomBytes(32).toString('base64url')}`;
    for (const token of ['wrong', nearlyRight, `${METRICS_TOKEN}x`, unknownApiToken, operator.token.slice(0, -1) + (operator.token.endsWith('A') ? 'B' : 'A')]) {
      await expectProblem(await scrape({ authorization: `Bearer ${token}` }), 401, 'unauthenticated');
    }
    // Not a bearer token at all.
    await expectProblem(await scrape({ authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` }), 401, 'unauthenticated');
  });

  it('serves the metrics text to the scraper presenting METRICS_TOKEN', async () => {
    const res = await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    // Refused attempts are counted too, under the route's own label.
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/metrics",status_code="401"\} [1-9]/);
  });

  it('does not take METRICS_TOKEN where none is configured', async () => {
    await expectProblem(await scrape({ authorization: `Bearer ${METRICS_TOKEN}` }, baseWithoutToken), 401, 'unauthenticated');
  });

  it('serves the metrics to an operator, by API token or by session, with or without METRICS_TOKEN configured', async () => {
    for (const url of [base, baseWithoutToken]) {
      for (const headers of [{ authorization: `Bearer ${operator.token}` }, { cookie: operator.cookie }] as Record<string, string>[]) {
        const res = await scrape(headers, url);
        expect(res.status).toBe(200);
        expect(await res.text()).toContain('http_request_duration_seconds');
      }
    }
  });

  it('refuses a user without the operator role with 403, also an operator token issued without that role', async () => {
    await expectProblem(await scrape({ authorization: `Bearer ${clerk.token}` }), 403, 'forbidden');
    await expectProblem(await scrape({ cookie: clerk.cookie }), 403, 'forbidden');
    await expectProblem(await scrape({ authorization: `Bearer ${operatorTokenAsOfficer}` }), 403, 'forbidden');
  });

  it('logs refused attempts (never the token presented), not every successful scrape', async () => {
    const before = logLines().length;
    expect((await scrape({ authorization: `Bearer ${METRICS_TOKEN}` })).status).toBe(200);
    const refused = await scrape({ authorization: 'Bearer not-the-metrics-token-at-all' });
    expect(refused.status).toBe(401);
    const lines = logLines()
      .slice(before)
      .split('\n')
      .filter((line) => line.includes('"/metrics"'))
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.res.statusCode)).toEqual([401]);
    expect(lines[0].req.id).toBe(refused.headers.get('x-request-id'));
    expect(logLines()).not.toContain(METRICS_TOKEN);
    expect(logLines()).not.toContain('not-the-metrics-token');
    expect(logLines()).not.toContain(operator.token);
  });
});
