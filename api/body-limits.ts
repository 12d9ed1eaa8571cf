import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { AppError } from './errors';

/**
 * JSON and form body parsers with the configured size limits, and the translation of their failures into
 * application errors (413 payload_too_large, 400 bad_request, 415 unsupported_media_type). Larger uploads
 * (document files) have their own streaming routes and limits.
 */
export function bodyParsers(limits: { json: number; form: number }): RequestHandler[] {
  return [express.json({ limit: limits.json }), express.urlencoded({ limit: limits.form, extended: false })];
}

export const bodyParserErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  switch (err?.type) {
    case 'entity.too.large':
      return next(new AppError('payload_too_large', `The request body exceeds the limit of ${err.limit} bytes`));
    case 'entity.parse.failed':
      return next(new AppError('bad_request', 'The request body is not valid JSON'));
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return next(new AppError('unsupported_media_type', 'The request body uses an unsupported encoding'));
    case 'parameters.too.many':
      return next(new AppError('payload_too_large', 'The form has too many fields'));
    default:
      return next(err);
  }
};
