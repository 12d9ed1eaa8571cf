/**
 * The one application error type. Helpers and use cases throw it with a stable English code; the error
 * middleware turns it into application/problem+json for the API or a page for the UI. Anything else that
 * escapes is a 500 that is logged and leaks nothing.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_token_invalid: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface FieldFault {
  /** Name or path of the offending field, e.g. `agencyCode` or `users[2].email`. */
  field: string;
  /** Stable English reason code, e.g. `required`, `too_long`, `bad_format`. */
  reason: string;
  /** Vietnamese explanation for people. */
  message?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly faults: FieldFault[];

  constructor(code: ErrorCode, message: string, faults: FieldFault[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.faults = faults;
  }

  static validation(faults: FieldFault[], message = 'The request has invalid fields'): AppError {
    return new AppError('validation_failed', message, faults);
  }

  /** Another agency's record reads as missing, never as forbidden, so its existence does not leak. */
  static notFound(what = 'resource'): AppError {
    return new AppError('not_found', `${what} not found`);
  }
}
