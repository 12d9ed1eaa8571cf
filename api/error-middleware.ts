import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../system/logger';
import { AppError, type ErrorCode } from './errors';

/** Short English titles of the problem types; `detail` carries the specific message. */
const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Validation failed',
  bad_request: 'Bad request',
  unauthenticated: 'Authentication required',
  invalid_credentials: 'Invalid credentials',
  forbidden: 'Forbidden',
  csrf_token_invalid: 'Invalid CSRF token',
  not_found: 'Not found',
  conflict: 'Conflict',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  account_locked: 'Account locked',
  too_many_requests: 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

/** What people see on an error page, by code. */
const VIETNAMESE_TITLES: Record<ErrorCode, string> = {
  validation_failed: 'Dữ liệu nhập chưa hợp lệ',
  bad_request: 'Yêu cầu không hợp lệ',
  unauthenticated: 'Vui lòng đăng nhập',
  invalid_credentials: 'Tên đăng nhập hoặc mật khẩu không đúng',
  forbidden: 'Bạn không có quyền thực hiện thao tác này',
  csrf_token_invalid: 'Phiên làm việc của biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại',
  not_found: 'Không tìm thấy trang hoặc dữ liệu yêu cầu',
  conflict: 'Dữ liệu đã bị thay đổi hoặc đã tồn tại',
  payload_too_large: 'Dữ liệu gửi lên vượt quá dung lượng cho phép',
  unsupported_media_type: 'Định dạng dữ liệu không được hỗ trợ',
  account_locked: 'Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần',
  too_many_requests: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
  internal: 'Hệ thống gặp lỗi, vui lòng thử lại sau',
  unavailable: 'Hệ thống tạm thời không sẵn sàng, vui lòng thử lại sau',
};

function problemType(code: ErrorCode): string {
  return `urn:lien-thong:problem:${code}`;
}

/** Any route nobody handled. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError('not_found', 'No such page or API route'));
};

/**
 * The one error middleware: AppError -> application/problem+json for the API (and any client preferring
 * JSON), a Vietnamese HTML page otherwise. Anything else is a 500 `internal`: logged with the request id,
 * and nothing about it leaves the server.
 */
export function createErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    const appError = err instanceof AppError ? err : fromClientHttpError(err);
    if (!appError) (req.log ?? logger).error({ err, reqId: req.id }, 'unhandled error');
    if (res.headersSent) return next(err);
    sendError(req, res, appError);
  };
}

const CLIENT_HTTP_CODES: Record<number, ErrorCode> = {
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/**
 * Express and its parsers raise http-errors for faults of the request itself (a malformed URL encoding, a
 * static file that is missing): those are the client's 4xx, not our 500. Their message is not passed on.
 */
function fromClientHttpError(err: unknown): AppError | undefined {
  const { status } = (err ?? {}) as { status?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const code = CLIENT_HTTP_CODES[status] ?? 'bad_request';
  return new AppError(code, TITLES[code]);
}

function sendError(req: Request, res: Response, appError: AppError | undefined): void {
  const code: ErrorCode = appError?.code ?? 'internal';
  const status = appError?.status ?? 500;
  const detail = appError?.message ?? 'An unexpected error occurred; it has been logged';

  if (wantsJson(req)) {
    res
      .status(status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: problemType(code),
          title: TITLES[code],
          status,
          code,
          detail,
          instance: req.id === undefined ? undefined : `urn:lien-thong:request:${String(req.id)}`,
          errors: (appError?.faults ?? []).map((f) => ({ field: f.field, reason: f.reason, message: f.message })),
        }),
      );
    return;
  }
  res.status(status).type('html').send(errorPage(code, status, appError?.faults ?? [], String(req.id ?? '')));
}

/** /metrics is for scrapers, so its refusals are problem+json whatever the Accept header says. */
function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/') || req.path === '/api' || req.path === '/metrics') return true;
  return req.accepts(['html', 'json', 'application/problem+json']) !== 'html';
}

function errorPage(code: ErrorCode, status: number, faults: { field: string; message?: string }[], requestId: string): string {
  const items = faults
    .filter((f) => f.message)
    .map((f) => `<li>${escapeHtml(f.message!)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/app.css"><title>${status} - ${escapeHtml(VIETNAMESE_TITLES[code])}</title></head>
<body>
<main>
<h1>${escapeHtml(VIETNAMESE_TITLES[code])}</h1>
${items ? `<ul>${items}</ul>` : ''}
<p><a href="/">Về trang chủ</a></p>
<p><small>Mã lỗi: ${status} ${escapeHtml(code)}${requestId ? ` · Mã yêu cầu: ${escapeHtml(requestId)}` : ''}</small></p>
</main>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
