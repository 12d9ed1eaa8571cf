import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeAgency, makeUser, startIdentityServer, type IdentityServer } from './harness';
import { sha256Hex } from '../../api/auth/secrets';

describe('login, throttling, lockout and logout over HTTP', () => {
  let server: IdentityServer;
  let agencyId: string;
  let clerk: Awaited<ReturnType<typeof makeUser>>;
  let admin: Awaited<ReturnType<typeof makeUser>>;

  beforeAll(async () => {
    server = await startIdentityServer('identity_login');
    agencyId = (await makeAgency(server.db, '000.00.01.H26', 'Sở Tư pháp thành phố Hà Nội')).id;
    clerk = await makeUser(server.db, agencyId, 'vanthu.tp', ['clerk'], 'Nguyễn Thị Mai');
    admin = await makeUser(server.db, agencyId, 'quantri.tp', ['admin']);
  });
  afterAll(() => server.close());

  it('logs in with the right password into a server-side session whose id is stored only as a hash', async () => {
    const client = new Client(server.baseUrl);
    const res = await client.logIn('VanThu.TP', clerk.password);
    expect(res.status).toBe(201);
    expect(res.data.user).toMatchObject({ username: 'vanthu.tp', fullName: 'Nguyễn Thị Mai', roles: ['clerk'], agency: { code: '000.00.01.H26' } });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('lt_session='))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const cookieValue = client.cookie('lt_session')!;
    const stored = await server.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((s) => s.id_hash)).toContain(sha256Hex(cookieValue));
    expect(stored.map((s) => s.id_hash)).not.toContain(cookieValue);

    const me = await client.request('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.data).toMatchObject({ username: 'vanthu.tp', agency: { name: 'Sở Tư pháp thành phố Hà Nội' } });
  });

  it('answers a wrong password and an unknown username the same way', async () => {
    const wrong = await new Client(server.baseUrl).logIn('quantri.tp', 'not the password');
    const unknown = await new Client(server.baseUrl).logIn('khong.ton.tai', 'not the password');
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.data.code).toBe('invalid_credentials');
    }
    expect(wrong.data.detail).toBe(unknown.data.detail);
    server.clock.advance(60_000);
  });

  it('makes each retry wait longer, then locks for 15 minutes after 5 failures, then lets the right password in', async () => {
    const victim = await makeUser(server.db, agencyId, 'chuyenvien.tp', ['officer']);
    const client = new Client(server.baseUrl);
    const waits: number[] = [];
    for (let failure = 1; failure <= 4; failure++) {
      expect((await client.logIn('chuyenvien.tp', 'wrong')).status).toBe(401);
      const early = await client.logIn('chuyenvien.tp', victim.password);
      expect(early.status).toBe(429);
      expect(early.data.code).toBe('too_many_requests');
      waits.push(Number(early.headers.get('retry-after')));
      server.clock.advance(waits.at(-1)! * 1000);
    }
    expect(waits).toEqual([1, 2, 4, 8]);

    const fifth = await client.logIn('chuyenvien.tp', 'wrong');
    expect(fifth.status).toBe(423);
    expect(fifth.data.code).toBe('account_locked');
    expect(Number(fifth.headers.get('retry-after'))).toBe(900);

    server.clock.advance(14 * 60_000);
    const stillLocked = await client.logIn('chuyenvien.tp', victim.password);
    expect(stillLocked.status).toBe(423);
    expect(Number(stillLocked.headers.get('retry-after'))).toBe(60);

    server.clock.advance(60_000);
    expect((await client.logIn('chuyenvien.tp', victim.password)).status).toBe(201);
    const audit = await server.db.selectFrom('audit_log').select('action').where('target_id', '=', victim.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.locked_out', 'user.logged_in']));
  });

  it('locks unknown usernames exactly like real ones, so a lockout does not reveal an account', async () => {
    const client = new Client(server.baseUrl);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await client.logIn('ma.khong.co', 'wrong')).status);
      server.clock.advance(16_000);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    server.clock.advance(15 * 60_000);
  });

  it('lets an admin lift a lockout early', async () => {
    const locked = await makeUser(server.db, agencyId, 'bi.khoa', ['clerk']);
    const client = new Client(server.baseUrl);
    for (let i = 0; i < 5; i++) {
      await client.logIn('bi.khoa', 'wrong');
      server.clock.advance(16_000);
    }
    expect((await client.logIn('bi.khoa', locked.password)).status).toBe(423);

    const adminClient = new Client(server.baseUrl);
    await adminClient.logIn('quantri.tp', admin.password);
    const unlock = await adminClient.request('POST', `/api/v1/users/${locked.id}/unlock`);
    expect(unlock.status).toBe(200);
    expect(unlock.data.clearedFailures).toBe(5);
    expect((await client.logIn('bi.khoa', locked.password)).status).toBe(201);
  });

  it('refuses a deactivated person even with the right password', async () => {
    const leaver = await makeUser(server.db, agencyId, 'nghi.viec', ['officer']);
    const adminClient = new Client(server.baseUrl);
    await adminClient.logIn('quantri.tp', admin.password);
    const session = new Client(server.baseUrl);
    await session.logIn('nghi.viec', leaver.password);
    expect((await adminClient.request('PATCH', `/api/v1/users/${leaver.id}`, { json: { active: false } })).status).toBe(200);
    expect((await session.request('GET', '/api/v1/me')).status).toBe(401);
    expect((await new Client(server.baseUrl).logIn('nghi.viec', leaver.password)).status).toBe(401);
    server.clock.advance(60_000);
  });

  it('ends a session on logout (which needs the CSRF token), after idle time and after its absolute lifetime', async () => {
    const client = new Client(server.baseUrl);
    await client.logIn('vanthu.tp', clerk.password);
    const noToken = await client.request('DELETE', '/api/v1/session', { csrf: false });
    expect(noToken.status).toBe(403);
    expect(noToken.data.code).toBe('csrf_token_invalid');
    expect((await client.request('GET', '/api/v1/me')).status).toBe(200);
    expect((await client.request('DELETE', '/api/v1/session')).status).toBe(204);
    expect((await client.request('GET', '/api/v1/me')).status).toBe(401);
    const loggedOut = await server.db.selectFrom('audit_log').select('action').where('target_id', '=', clerk.id).where('action', '=', 'user.logged_out').execute();
    expect(loggedOut).toHaveLength(1);

    const idle = new Client(server.baseUrl);
    await idle.logIn('vanthu.tp', clerk.password);
    server.clock.advance(29 * 60_000);
    expect((await idle.request('GET', '/api/v1/me')).status).toBe(200); // activity pushes the idle expiry on
    server.clock.advance(29 * 60_000);
    expect((await idle.request('GET', '/api/v1/me')).status).toBe(200);
    server.clock.advance(31 * 60_000);
    expect((await idle.request('GET', '/api/v1/me')).status).toBe(401);

    const busy = new Client(server.baseUrl);
    await busy.logIn('vanthu.tp', clerk.password);
    for (let i = 0; i < 25; i++) {
      server.clock.advance(29 * 60_000);
      await busy.request('GET', '/api/v1/me');
    }
    expect((await busy.request('GET', '/api/v1/me')).status).toBe(401); // 12 hours have passed
  });

  it('lets a person change their own password: the current one is checked and counted, other sessions end', async () => {
    const person = await makeUser(server.db, agencyId, 'doi.matkhau', ['officer']);
    const here = new Client(server.baseUrl);
    await here.logIn('doi.matkhau', person.password);
    const elsewhere = new Client(server.baseUrl);
    await elsewhere.logIn('doi.matkhau', person.password);

    const weak = await here.request('PUT', '/api/v1/me/password', { json: { currentPassword: person.password, newPassword: 'ngắn' } });
    expect(weak.status).toBe(400);
    expect(weak.data.errors).toEqual([expect.objectContaining({ field: 'newPassword', reason: 'too_short' })]);
    const wrong = await here.request('PUT', '/api/v1/me/password', { json: { currentPassword: 'đoán thử', newPassword: 'một mật khẩu mới dài' } });
    expect(wrong.status).toBe(400);
    expect(wrong.data.errors).toEqual([expect.objectContaining({ field: 'currentPassword', reason: 'wrong_password' })]);
    expect((await here.request('PUT', '/api/v1/me/password', { json: { currentPassword: person.password, newPassword: 'một mật khẩu mới dài' } })).status).toBe(429);
    server.clock.advance(2_000);

    const changed = await here.request('PUT', '/api/v1/me/password', { json: { currentPassword: person.password, newPassword: 'một mật khẩu mới dài' } });
    expect(changed.status).toBe(204);
    expect((await here.request('GET', '/api/v1/me')).status).toBe(200);
    expect((await elsewhere.request('GET', '/api/v1/me')).status).toBe(401);
    expect((await new Client(server.baseUrl).logIn('doi.matkhau', person.password)).status).toBe(401);
    server.clock.advance(2_000);
    expect((await new Client(server.baseUrl).logIn('doi.matkhau', 'một mật khẩu mới dài')).status).toBe(201);
  });

  it('refuses a JSON state change made with the session cookie but without the CSRF header', async () => {
    const client = new Client(server.baseUrl);
    await client.logIn('quantri.tp', admin.password);
    const without = await client.request('POST', '/api/v1/users', { json: { username: 'csrf.victim', fullName: 'X', roles: ['clerk'] }, csrf: false });
    expect(without.status).toBe(403);
    expect(await server.db.selectFrom('users').select('id').where('username', '=', 'csrf.victim').executeTakeFirst()).toBeUndefined();
    const withToken = await client.request('POST', '/api/v1/users', { json: { username: 'csrf.victim', fullName: 'X', roles: ['clerk'] } });
    expect(withToken.status).toBe(201);
  });
});
