import type { Request } from 'express';
import { AppError } from '../../errors';
import type { Actor } from '../../../db/repositories/audit-log';
import { isUuid } from '../use-cases/input';

/** The signed-in person as the author of an audited change; routes run after requireUser/requireRole. */
export function actorOf(req: Request): Actor {
  const user = req.user!;
  return { userId: user.id, agencyId: user.agencyId, label: user.username };
}

/** A malformed id cannot name a record the caller may see: it reads as missing like any other. */
export function uuidParam(req: Request, name: string, what: string): string {
  const value = String(req.params[name]);
  if (!isUuid(value)) throw AppError.notFound(what);
  return value.toLowerCase();
}
