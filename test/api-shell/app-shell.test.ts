import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { AppError } from '../../api/errors';
import { createErrorMiddleware } from '../../api/error-middleware';
import { requestLogger } from '../../api/request-logger';
import { createDb, migrateToLatest, type Db } from '../../db/database';
import { createTestDatabase } from '../support/database';
import { capturingLogger, json, serve, testConfig } from './support';

let db: Db;
let base: string;
let close: () => Promise<void>;
let logLines: () => string;
const METRICS_TOKEN = 'metrics-token-for-the-app-shell-test';
const scraper = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };

beforeAll(async () => {
  db = createDb(await createTestDatabase('api_shell'), { maxConnections: 2 });
  await migrateToLatest(db);
  const captured = capturingLogger();
  logLines = captured.lines;
  const app = createApp({ config: testConfig({ BODY_LIMIT_JSON: '2kb', BODY_LIMIT_FORM: '1kb', METRICS_TOKEN }), db, logger: captured.logger });
  ({ url: base, close } = await serve(app));
});

afterAll(async () => {
  await close?.();
  await db?.destroy();
});

describe('the web shell', () => {
  it('answers /healthz while the process is alive', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ status: 'ok' });
  });

  it('refuses an oversized JSON body with 413 problem+json before any route runs', async () => {
    const res = await fetch(`${base}/api/v1/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await json(res);
    expect(body).toMatchObject({ status: 413, code: 'payload_too_large', type: 'urn:lien-thong:problem:payload_too_large' });
  });

  it('refuses an oversized form with 413 and a Vietnamese page for a browser', async () => {
    const res = await fetch(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: `note=${'y'.repeat(2048)}`,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('vượt quá dung lượng cho phép');
  });

  it('answers malformed JSON with 400 bad_request', async () => {
    const res = await fetch(`${base}/api/v1/anything`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"unterminated": ',
    });
    expect(res.status).toBe(400);
    expect((await json(res)).code).toBe('bad_request');
  });

  it('answers a request with missing fields with 400 problem+json naming each field and reason', async () => {
    const res = await fetch(`${base}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await json(res);
    expect(body).toMatchObject({ type: 'urn:lien-thong:problem:validation_failed', status: 400, code: 'validation_failed' });
    expect(body.errors.map((e: { field: string; reason: string }) => `${e.field}:${e.reason}`).sort()).toEqual([
      'password:required',
      'username:required',
    ]);
    for (const fault of body.errors) expect(fault.message).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵệềếểễọỏõòóôộồốổỗơợờớởỡụủũùúưựừứửữịỉĩìíỵỷỹỳýđ]/i);
  });

  it('answers an unknown API route with 404 problem+json', async () => {
    const res = await fetch(`${base}/api/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = await json(res);
    expect(body).toMatchObject({ type: 'urn:lien-thong:problem:not_found', title: 'Not found', status: 404, code: 'not_found', errors: [] });
    expect(body.instance).toBe(`urn:lien-thong:request:${res.headers.get('x-request-id')}`);
  });

  it('answers an unknown page with a Vietnamese HTML page for a browser', async () => {
    const res = await fetch(`${base}/khong-co-trang-nay`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Không tìm thấy trang');
  });

  it('sends security headers on every answer, with a CSP that allows no inline script', async () => {
    for (const path of ['/healthz', '/api/v1/no-such-route', '/khong-co-trang-nay']) {
      const res = await fetch(`${base}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
      // Plain HTTP: HSTS would lock browsers out of a unit without a certificate.
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('serves the OpenAPI 3.1 document with the shared problem schema', async () => {
    const res = await fetch(`${base}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await json(res);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/readyz'].get.responses['503']).toBeDefined();
    // Probes are public; metrics need the scraper's token or an operator's credentials.
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    expect(doc.paths['/readyz'].get.security).toEqual([]);
    expect(doc.paths['/metrics'].get.security).toEqual([{ metricsToken: [] }, { bearerToken: [] }, { sessionCookie: [] }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerToken', 'metricsToken', 'sessionCookie']);
    expect(doc.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'code']);
    // The identity routes are described too, under their mount point.
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/') && p !== '/api/v1/openapi.json').length).toBeGreaterThan(0);
  });

  it('exposes Prometheus metrics with request durations by route and status', async () => {
    await fetch(`${base}/healthz`);
    const res = await fetch(`${base}/metrics`, scraper);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} [1-9]/);
    // Routes inside the /api/v1 router are labelled by their full pattern, failures included.
    await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const after = await (await fetch(`${base}/metrics`, scraper)).text();
    expect(after).toMatch(/http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/session",status_code="400"\} [1-9]/);
  });

  it('reports the engine as not ready when the app has no engine connection', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await json(res)).toEqual({ status: 'unavailable', failed: ['engine'], checks: { database: 'ok', engine: 'failed' } });
  });

  it('keeps credentials, cookies and bodies out of the request log', async () => {
    await fetch(`${base}/api/v1/anything?q=b%C3%AD+m%E1%BA%ADt`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer tok_SECRET_TOKEN_123',
        cookie: 'sid=SECRET_SESSION_456',
        'x-csrf-token': 'SECRET_CSRF_789',
      },
      body: JSON.stringify({ password: 'SECRET_PASSWORD', content: 'NỘI DUNG MẬT' }),
    });
    const lines = logLines();
    expect(lines).toContain('/api/v1/anything');
    for (const secret of ['SECRET_TOKEN', 'SECRET_SESSION', 'SECRET_CSRF', 'SECRET_PASSWORD', 'NỘI DUNG', 'q=']) {
      expect(lines).not.toContain(secret);
    }
  });
});

describe('the error middleware', () => {
  it('renders a field fault from a use case, a bad encoding as 400, and a 500 without details', async () => {
    const captured = capturingLogger();
    const app = express();
    app.use(requestLogger(captured.logger));
    app.post('/api/v1/agencies', () => {
      throw AppError.validation([{ field: 'agencyCode', reason: 'bad_format', message: 'Mã định danh không đúng định dạng' }]);
    });
    app.get('/api/v1/items/:id', (req, res) => {
      res.json({ id: req.params.id });
    });
    app.get('/api/v1/crash', () => {
      throw new Error('database password is hunter2');
    });
    app.use(createErrorMiddleware(captured.logger));
    const served = await serve(app);
    try {
      const invalid = await fetch(`${served.url}/api/v1/agencies`, { method: 'POST' });
      expect(invalid.status).toBe(400);
      expect(await json(invalid)).toMatchObject({
        code: 'validation_failed',
        status: 400,
        errors: [{ field: 'agencyCode', reason: 'bad_format', message: 'Mã định danh không đúng định dạng' }],
      });
      // A route parameter that cannot be decoded is the client's fault, not a 500.
      const badEncoding = await fetch(`${served.url}/api/v1/items/%E0%A4%A`);
      expect(badEncoding.status).toBe(400);
      expect((await json(badEncoding)).code).toBe('bad_request');
      const crash = await fetch(`${served.url}/api/v1/crash`);
      expect(crash.status).toBe(500);
      const text = await crash.text();
      expect(JSON.parse(text)).toMatchObject({ code: 'internal', status: 500 });
      expect(text).not.toContain('hunter2');
      // Operators find the cause in the log under the request id the client saw.
      const logged = captured.lines().split('\n').filter((l) => l.includes('unhandled error')).map((l) => JSON.parse(l));
      expect(logged).toHaveLength(1);
      expect(logged[0].reqId).toBe(crash.headers.get('x-request-id'));
      expect(logged[0].err.message).toContain('hunter2');
    } finally {
      await served.close();
    }
  });
});

describe('behind a TLS-terminating proxy', () => {
  it('sends HSTS only when a trusted proxy says the request came over HTTPS', async () => {
    const served = await serve(createApp({ config: testConfig({ TRUST_PROXY: 'loopback' }), db, logger: capturingLogger().logger }));
    try {
      const overTls = await fetch(`${served.url}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(overTls.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const plain = await fetch(`${served.url}/healthz`);
      expect(plain.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await served.close();
    }
    // Without TRUST_PROXY the header is a client's claim and is ignored.
    const forged = await fetch(`${base}/healthz`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(forged.headers.get('strict-transport-security')).toBeNull();
  });
});
