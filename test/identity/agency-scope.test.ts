import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeAgency, makeUser, startIdentityServer, type IdentityServer } from './harness';
import { apiV1Paths, createApiV1Router } from '../../api/v1/index';
import { loadConfig } from '../../system/config';
import { createLogger } from '../../system/logger';
import { createUnit } from '../../api/v1/use-cases/create-unit';
import { createApiToken } from '../../api/v1/use-cases/create-api-token';
import { CLI_ACTOR } from '../../db/repositories/audit-log';

/**
 * A person of agency A must not read or change anything of agency B (a sibling, not below A) through any
 * /api/v1 route: each gives 404 (or 403 where the role check comes first) and never B's data.
 */
describe('agency scoping over every /api/v1 route', () => {
  let server: IdentityServer;
  const A = '000.00.01.H41';
  const A_CHILD = '000.01.01.H41';
  const B = '000.00.02.H41';
  const ids: Record<string, string> = {};
  let adminA: Client;
  let clerkA: Client;
  let tokenA: Client;
  let snapshotOfB: unknown;

  async function snapshot() {
    const db = server.db;
    const agencyB = await db.selectFrom('agencies').selectAll().where('code', '=', B).executeTakeFirstOrThrow();
    return {
      agency: agencyB,
      units: await db.selectFrom('units').selectAll().where('agency_id', '=', agencyB.id).orderBy('id').execute(),
      users: await db.selectFrom('users').selectAll().where('agency_id', '=', agencyB.id).orderBy('id').execute(),
      tokens: await db.selectFrom('api_tokens').selectAll().where('agency_id', '=', agencyB.id).orderBy('id').execute(),
    };
  }

  beforeAll(async () => {
    server = await startIdentityServer('identity_scope');
    const db = server.db;
    await makeAgency(db, 'H41', 'UBND tỉnh Nghệ An');
    const a = await makeAgency(db, A, 'Sở Nội vụ tỉnh Nghệ An', 'H41');
    await makeAgency(db, A_CHILD, 'Trung tâm Lưu trữ lịch sử', A);
    const b = await makeAgency(db, B, 'Sở Tài chính tỉnh Nghệ An', 'H41');
    ids.unitA = (await createUnit({ db, actor: CLI_ACTOR, agencyId: a.id, input: { name: 'Văn phòng Sở' } })).id;
    ids.unitB = (await createUnit({ db, actor: CLI_ACTOR, agencyId: b.id, input: { name: 'Phòng Ngân sách' } })).id;
    const admin = await makeUser(db, a.id, 'admin.a', ['admin', 'clerk']);
    const clerk = await makeUser(db, a.id, 'clerk.a', ['clerk']);
    const userB = await makeUser(db, b.id, 'admin.b', ['admin']);
    ids.userB = userB.id;
    ids.userA = clerk.id;
    const now = server.clock.now();
    const userBAsCaller = { id: userB.id, agencyId: b.id, agencyCode: B, agencyName: 'x', username: 'admin.b', fullName: 'x', roles: ['admin' as const] };
    ids.tokenB = (await createApiToken({ db, user: userBAsCaller, input: { name: 'máy chủ B' }, now })).record.id;

    adminA = new Client(server.baseUrl);
    expect((await adminA.logIn('admin.a', admin.password)).status).toBe(201);
    clerkA = new Client(server.baseUrl);
    expect((await clerkA.logIn('clerk.a', clerk.password)).status).toBe(201);
    const created = await adminA.request('POST', '/api/v1/api-tokens', { json: { name: 'tích hợp' } });
    tokenA = new Client(server.baseUrl);
    tokenA.bearer = created.data.token;
    snapshotOfB = await snapshot();
  });
  afterAll(() => server.close());

  /** [method, path template, concrete path, body] aimed at agency B's records. */
  const foreignRoutes = (): [string, string, string, unknown][] => [
    ['GET', '/agencies/{code}', `/agencies/${B}`, undefined],
    ['PATCH', '/agencies/{code}', `/agencies/${B}`, { name: 'Bị đổi tên' }],
    ['GET', '/agencies/{code}/units', `/agencies/${B}/units`, undefined],
    ['POST', '/agencies/{code}/units', `/agencies/${B}/units`, { name: 'Phòng lạ' }],
    ['GET', '/agencies/{code}/units/{unitId}', `/agencies/${B}/units/${ids.unitB}`, undefined],
    ['GET', '/agencies/{code}/units/{unitId}', `/agencies/${A}/units/${ids.unitB}`, undefined],
    ['PATCH', '/agencies/{code}/units/{unitId}', `/agencies/${B}/units/${ids.unitB}`, { name: 'Bị đổi tên' }],
    ['PATCH', '/agencies/{code}/units/{unitId}', `/agencies/${A}/units/${ids.unitB}`, { name: 'Bị đổi tên' }],
    ['GET', '/users/{userId}', `/users/${ids.userB}`, undefined],
    ['PATCH', '/users/{userId}', `/users/${ids.userB}`, { fullName: 'Bị đổi tên', active: false }],
    ['POST', '/users/{userId}/password-reset', `/users/${ids.userB}/password-reset`, undefined],
    ['POST', '/users/{userId}/unlock', `/users/${ids.userB}/unlock`, undefined],
    ['DELETE', '/api-tokens/{tokenId}', `/api-tokens/${ids.tokenB}`, undefined],
  ];

  /** Routes that take no record id: checked below for what they list or accept. */
  const collectionRoutes = [
    'POST /session', 'DELETE /session', 'GET /me', 'PUT /me/password', 'GET /agencies', 'POST /agencies', 'GET /users', 'POST /users', 'GET /api-tokens', 'POST /api-tokens',
  ];

  it('covers every route the router serves, and the API description lists exactly those', () => {
    const described = Object.entries(apiV1Paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const router = createApiV1Router({ config: loadConfig({}), db: server.db, logger: createLogger('silent') });
    const served = (router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]).flatMap(({ route }) =>
      route ? Object.keys(route.methods).map((m) => `${m.toUpperCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`) : [],
    );
    expect(served.sort()).toEqual([...described].sort());
    const tested = new Set([...foreignRoutes().map(([m, t]) => `${m} ${t}`), ...collectionRoutes]);
    expect(served.filter((route) => !tested.has(route))).toEqual([]);
  });

  it.each([
    ['an admin by session', () => adminA, [404]],
    ['an admin by API token', () => tokenA, [404]],
    ['a clerk by session', () => clerkA, [403, 404]],
  ] as const)('%s of agency A gets 404 or 403 for agency B\'s records, never their data', async (_who, caller, allowed) => {
    for (const [method, , path, json] of foreignRoutes()) {
      const res = await caller().request(method, `/api/v1${path}`, { json: json ?? (method === 'GET' || method === 'DELETE' ? undefined : {}) });
      expect(allowed, `${method} ${path} gave ${res.status}`).toContain(res.status);
      expect(res.text).not.toMatch(/Sở Tài chính|Phòng Ngân sách|admin\.b|máy chủ B/);
    }
    expect(await snapshot()).toEqual(snapshotOfB);
  });

  it("lists only the caller's agency tree, its people and its tokens", async () => {
    const agencies = await adminA.request('GET', '/api/v1/agencies');
    expect(agencies.data.items.map((a: { code: string }) => a.code).sort()).toEqual([A, A_CHILD]);
    expect((await adminA.request('GET', `/api/v1/agencies/${A_CHILD}`)).status).toBe(200);
    expect((await adminA.request('GET', '/api/v1/agencies/H41')).status).toBe(404); // the parent is not below A
    const users = await tokenA.request('GET', '/api/v1/users');
    expect(users.data.items.map((u: { username: string }) => u.username).sort()).toEqual(['admin.a', 'clerk.a']);
    const tokens = await adminA.request('GET', '/api/v1/api-tokens');
    expect(tokens.data.items.map((t: { name: string }) => t.name)).toEqual(['tích hợp']);
    expect(tokens.text).not.toContain(tokenA.bearer);
    const me = await clerkA.request('GET', '/api/v1/me');
    expect(me.data.agency.code).toBe(A);
  });

  it("refuses to create records that hang off agency B's records, naming the field", async () => {
    const agency = await adminA.request('POST', '/api/v1/agencies', { json: { code: '000.01.02.H41', name: 'Chi cục lạ', parentCode: B } });
    expect(agency.status).toBe(400);
    expect(agency.data.errors).toEqual([expect.objectContaining({ field: 'parentCode', reason: 'not_found' })]);
    const user = await adminA.request('POST', '/api/v1/users', { json: { username: 'nguoi.moi', fullName: 'Người mới', roles: ['clerk'], unitId: ids.unitB } });
    expect(user.status).toBe(400);
    expect(user.data.errors).toEqual([expect.objectContaining({ field: 'unitId', reason: 'not_found' })]);
    const moved = await adminA.request('PATCH', `/api/v1/users/${ids.userA}`, { json: { unitId: ids.unitB } });
    expect(moved.status).toBe(400);
    expect(await snapshot()).toEqual(snapshotOfB);
    expect(await server.db.selectFrom('agencies').select('id').where('code', '=', '000.01.02.H41').executeTakeFirst()).toBeUndefined();
  });

  it('lets an admin manage their own agency, its units and a child agency, and audits each change', async () => {
    const child = await adminA.request('POST', '/api/v1/agencies', { json: { code: '000.02.01.H41', name: 'Ban Thi đua – Khen thưởng', parentCode: A, hub: 'truc.nghean' } });
    expect(child.status).toBe(201);
    expect(child.data).toMatchObject({ code: '000.02.01.H41', parentCode: A, hub: 'truc.nghean' });
    expect((await adminA.request('POST', '/api/v1/agencies', { json: { code: '000.02.01.H41', name: 'Trùng', parentCode: A } })).status).toBe(409);
    const renamed = await adminA.request('PATCH', `/api/v1/agencies/${A}/units/${ids.unitA}`, { json: { name: 'Văn phòng', code: 'VP' } });
    expect(renamed.data).toMatchObject({ name: 'Văn phòng', code: 'VP' });
    const unit = await adminA.request('POST', `/api/v1/agencies/${A_CHILD}/units`, { json: { name: 'Phòng Thu thập' } });
    expect(unit.status).toBe(201);
    const clash = await adminA.request('POST', `/api/v1/agencies/${A}/units`, { json: { name: 'Phòng mới', code: 'VP' } });
    expect(clash.status).toBe(409);
    expect(clash.data.errors).toEqual([expect.objectContaining({ field: 'code', reason: 'taken' })]);
    const bad = await adminA.request('POST', '/api/v1/agencies', { json: { code: '000.0.01.h41', name: '', parentCode: A } });
    expect(bad.status).toBe(400);
    expect(bad.data.errors.map((e: { field: string }) => e.field).sort()).toEqual(['code', 'name']);
    const actions = await server.db.selectFrom('audit_log').select('action').where('actor_label', '=', 'admin.a').execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['agency.created', 'unit.updated', 'unit.created', 'api_token.created']));
  });
});
