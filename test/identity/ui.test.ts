import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeAgency, makeUser, startIdentityServer, type IdentityServer } from './harness';

const hiddenCsrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

describe('login pages (server-rendered, Vietnamese)', () => {
  let server: IdentityServer;
  let password: string;

  beforeAll(async () => {
    server = await startIdentityServer('identity_ui');
    const agency = await makeAgency(server.db, '000.00.03.H26', 'Sở Văn hóa & Thể thao "Hà Nội"');
    password = (await makeUser(server.db, agency.id, 'lanhdao', ['leader', 'admin'], 'Trần <b>Văn</b> Hùng<script>alert(1)</script>')).password;
    await makeUser(server.db, agency.id, 'khoa.ui', ['clerk']);
  });
  afterAll(() => server.close());

  async function loginForm(browser: Client) {
    const page = await browser.request('GET', '/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="vi">');
    expect(page.text).toContain('Tên đăng nhập');
    return hiddenCsrf(page.text)!;
  }

  it('sends a visitor to the login page, logs in, and shows name, agency and roles escaped', async () => {
    const browser = new Client(server.baseUrl);
    const home = await browser.request('GET', '/');
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe('/login');

    const token = await loginForm(browser);
    expect(token).toBe(browser.cookie('lt_login_csrf'));
    const login = await browser.request('POST', '/login', { form: { _csrf: token, username: 'lanhdao', password } });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/');

    const page = await browser.request('GET', '/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Trần &lt;b&gt;Văn&lt;/b&gt; Hùng&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toContain('Sở Văn hóa &amp; Thể thao &quot;Hà Nội&quot; (000.00.03.H26)');
    expect(page.text).toContain('Lãnh đạo');
    expect(page.text).toContain('Quản trị quy trình');
    expect((await browser.request('GET', '/login')).status).toBe(303); // already logged in
    const css = await browser.request('GET', '/static/app.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
  });

  it('refuses a login form and a logout form posted without their CSRF token (403)', async () => {
    const browser = new Client(server.baseUrl);
    await loginForm(browser);
    const noToken = await browser.request('POST', '/login', { form: { username: 'lanhdao', password } });
    expect(noToken.status).toBe(403);
    expect(noToken.text).toContain('vui lòng tải lại trang');
    expect(browser.cookie('lt_session')).toBeUndefined();

    const token = await loginForm(browser);
    await browser.request('POST', '/login', { form: { _csrf: token, username: 'lanhdao', password } });
    const home = await browser.request('GET', '/');
    const sessionToken = hiddenCsrf(home.text)!;
    expect((await browser.request('POST', '/logout', { form: {} })).status).toBe(403);
    expect((await browser.request('POST', '/logout', { form: { _csrf: 'sai' } })).status).toBe(403);
    expect((await browser.request('GET', '/')).status).toBe(200); // still logged in

    const out = await browser.request('POST', '/logout', { form: { _csrf: sessionToken } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect((await browser.request('GET', '/')).status).toBe(303);
  });

  it('changes the password from the form, explaining a refusal in Vietnamese', async () => {
    const agency = await server.db.selectFrom('agencies').select('id').executeTakeFirstOrThrow();
    const person = await makeUser(server.db, agency.id, 'doi.qua.form', ['clerk']);
    const browser = new Client(server.baseUrl);
    const token = await loginForm(browser);
    await browser.request('POST', '/login', { form: { _csrf: token, username: 'doi.qua.form', password: person.password } });
    const form = await browser.request('GET', '/password');
    expect(form.text).toContain('Mật khẩu hiện tại');
    const csrf = hiddenCsrf(form.text)!;
    expect((await browser.request('POST', '/password', { form: { currentPassword: person.password, newPassword: 'mật khẩu mới đủ dài' } })).status).toBe(403);
    const short = await browser.request('POST', '/password', { form: { _csrf: csrf, currentPassword: person.password, newPassword: 'ngắn' } });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Mật khẩu mới cần ít nhất 12 ký tự');
    const done = await browser.request('POST', '/password', { form: { _csrf: csrf, currentPassword: person.password, newPassword: 'mật khẩu mới đủ dài' } });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Đã đổi mật khẩu');
    expect((await new Client(server.baseUrl).logIn('doi.qua.form', 'mật khẩu mới đủ dài')).status).toBe(201);
  });

  it('says clearly when the password is wrong, when to wait, and how long a lockout lasts', async () => {
    const browser = new Client(server.baseUrl);
    const token = await loginForm(browser);
    const wrong = await browser.request('POST', '/login', { form: { _csrf: token, username: 'khoa.ui"><x>', password: 'sai' } });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    expect(wrong.text).toContain('value="khoa.ui&quot;&gt;&lt;x&gt;"');

    const attempt = () => browser.request('POST', '/login', { form: { _csrf: token, username: 'khoa.ui', password: 'sai' } });
    expect((await attempt()).status).toBe(401);
    const tooSoon = await attempt();
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.text).toContain('Vui lòng chờ 1 giây rồi thử lại');
    for (let i = 0; i < 4; i++) {
      server.clock.advance(10_000);
      await attempt();
    }
    server.clock.advance(60_000);
    const locked = await attempt();
    expect(locked.status).toBe(423);
    expect(locked.text).toContain('Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 14 phút.');
  });
});
