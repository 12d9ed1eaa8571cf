/** validatePackage: every fault of a typed package, each with its element path, code, message and severity. */
import { hasErrors } from './faults';
import type { EdxmlPackage, StatusCode, ValidationFault } from './model';
import { Faults } from './validate-common';
import { validateDocument } from './validate-document';
import { validateStatus } from './validate-status';

export interface ValidateOptions {
  /** Reference instant for "not in the future" (default: now). */
  now?: Date;
  /** Last status received for the same (document, recipient), to judge the transition. */
  previousStatus?: StatusCode;
}

export function validatePackage(pkg: EdxmlPackage, options: ValidateOptions = {}): ValidationFault[] {
  const f = new Faults();
  f.list.push(...(pkg.readFaults ?? []));
  const now = options.now ?? new Date();
  if (pkg.kind === 'document') validateDocument(f, pkg, now);
  else validateStatus(f, pkg, options.previousStatus, now);
  return f.list;
}

/** True when no fault is an error (warnings allowed). */
export function isValidPackage(pkg: EdxmlPackage, options?: ValidateOptions): boolean {
  return !hasErrors(validatePackage(pkg, options));
}
