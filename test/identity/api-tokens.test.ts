import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, makeAgency, makeUser, startIdentityServer, type IdentityServer } from './harness';
import { sha256Hex } from '../../api/auth/secrets';

describe('API tokens', () => {
  let server: IdentityServer;
  let officer: Client;
  let admin: Client;
  const passwords: Record<string, string> = {};

  beforeAll(async () => {
    server = await startIdentityServer('identity_tokens');
    const agency = await makeAgency(server.db, 'G09', 'Bộ Nội vụ');
    const o = await makeUser(server.db, agency.id, 'chuyenvien', ['officer', 'clerk']);
    const a = await makeUser(server.db, agency.id, 'quantri', ['admin']);
    passwords.officer = o.password;
    passwords.admin = a.password;
  });
  afterAll(() => server.close());

  // Fresh sessions per test: one test moves the clock by a day, past any session's lifetime.
  beforeEach(async () => {
    officer = new Client(server.baseUrl);
    expect((await officer.logIn('chuyenvien', passwords.officer)).status).toBe(201);
    admin = new Client(server.baseUrl);
    expect((await admin.logIn('quantri', passwords.admin)).status).toBe(201);
  });

  it('shows a new token once, stores only its hash, and lets a machine client use it without CSRF', async () => {
    const created = await officer.request('POST', '/api/v1/api-tokens', { json: { name: 'Phần mềm một cửa', roles: ['clerk'] } });
    expect(created.status).toBe(201);
    const token: string = created.data.token;
    expect(token).toMatch(/^lt_/);
    expect(created.data).toMatchObject({ name: 'Phần mềm một cửa', roles: ['clerk'], prefix: token.slice(0, 10), revokedAt: null });

    const stored = await server.db.selectFrom('api_tokens').selectAll().where('id', '=', created.data.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await officer.request('GET', '/api/v1/api-tokens');
    expect(listed.data.items).toHaveLength(1);
    expect(listed.text).not.toContain(token);
    expect(listed.data.items[0]).not.toHaveProperty('token');

    const machine = new Client(server.baseUrl);
    machine.bearer = token;
    const me = await machine.request('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ username: 'chuyenvien', roles: ['clerk'] });
    expect(me.data.csrfToken).toBeUndefined();
    const write = await machine.request('POST', '/api/v1/api-tokens', { json: { name: 'con' } });
    expect(write.status).toBe(201); // no CSRF token needed with a bearer token
    expect(write.data.roles).toEqual(['clerk']); // a token cannot widen its own roles
  });

  it('refuses a revoked, malformed, unknown or expired token with 401', async () => {
    const created = await officer.request('POST', '/api/v1/api-tokens', { json: { name: 'tạm', expiresInDays: 1 } });
    const machine = new Client(server.baseUrl);
    machine.bearer = created.data.token;
    expect((await machine.request('GET', '/api/v1/me')).status).toBe(200);
    server.clock.advance(86_400_000 + 1000);
    const expired = await machine.request('GET', '/api/v1/me');
    expect(expired.status).toBe(401);
    expect(expired.data.code).toBe('unauthenticated');
    await officer.logIn('chuyenvien', passwords.officer);

    const live = await officer.request('POST', '/api/v1/api-tokens', { json: { name: 'sẽ thu hồi' } });
    machine.bearer = live.data.token;
    expect((await machine.request('GET', '/api/v1/users')).status).toBe(200);
    expect((await officer.request('DELETE', `/api/v1/api-tokens/${live.data.id}`)).status).toBe(204);
    expect((await machine.request('GET', '/api/v1/users')).status).toBe(401);
    const listed = await officer.request('GET', '/api/v1/api-tokens');
    expect(listed.data.items.find((t: { id: string }) => t.id === live.data.id).revokedAt).not.toBeNull();

    for (const bad of ['lt_short', `${live.data.token.slice(0, -1)}x`, 'lt_' + 'A'.repeat(43)]) {
      machine.bearer = bad;
      expect((await machine.request('GET', '/api/v1/me')).status).toBe(401);
    }
  });

  it("refuses roles the creator does not hold, and other people's tokens read as 404 to a non-admin", async () => {
    const wider = await officer.request('POST', '/api/v1/api-tokens', { json: { name: 'rộng', roles: ['admin'] } });
    expect(wider.status).toBe(400);
    expect(wider.data.errors).toEqual([expect.objectContaining({ field: 'roles', reason: 'not_held' })]);
    const adminToken = await admin.request('POST', '/api/v1/api-tokens', { json: { name: 'của quản trị' } });
    expect((await officer.request('DELETE', `/api/v1/api-tokens/${adminToken.data.id}`)).status).toBe(404);
    const officerToken = await officer.request('POST', '/api/v1/api-tokens', { json: { name: 'của chuyên viên' } });
    expect((await admin.request('DELETE', `/api/v1/api-tokens/${officerToken.data.id}`)).status).toBe(204);
    const adminList = await admin.request('GET', '/api/v1/api-tokens');
    expect(adminList.data.items.map((t: { name: string }) => t.name)).toContain('của chuyên viên');
  });

  it('stops a token working when its creator is deactivated', async () => {
    const agency = await server.db.selectFrom('agencies').select('id').where('code', '=', 'G09').executeTakeFirstOrThrow();
    const temp = await makeUser(server.db, agency.id, 'tam.thoi', ['officer']);
    const client = new Client(server.baseUrl);
    await client.logIn('tam.thoi', temp.password);
    const created = await client.request('POST', '/api/v1/api-tokens', { json: { name: 'x' } });
    const machine = new Client(server.baseUrl);
    machine.bearer = created.data.token;
    expect((await machine.request('GET', '/api/v1/me')).status).toBe(200);
    expect((await admin.request('PATCH', `/api/v1/users/${temp.id}`, { json: { active: false } })).status).toBe(200);
    expect((await machine.request('GET', '/api/v1/me')).status).toBe(401);
  });
});
