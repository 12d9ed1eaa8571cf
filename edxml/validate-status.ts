/** Rules of a status package (edxml.md §6, status-codes.md). */
import { checkStatusTransition, classifyStatusCode, STATUS_CODES_NEEDING_REASON } from './codes';
import type { StatusCode, StatusPackage } from './model';
import { checkOrganization, checkResponseFor, Faults, HEADER_PATH } from './validate-common';

export function validateStatus(f: Faults, pkg: StatusPackage, previousStatus: StatusCode | undefined, now: Date): void {
  const h = pkg.header;
  const H = HEADER_PATH;
  checkOrganization(f, `${H}/From`, h.from);
  checkResponseFor(f, `${H}/ResponseFor`, h.responseFor, 'status', now);
  f.recommended(`${H}/StaffInfo/Staff`, h.staffInfo.staff);

  const codePath = `${H}/StatusCode`;
  if (f.required(codePath, h.statusCode)) {
    const codeClass = classifyStatusCode(h.statusCode);
    if (codeClass === 'malformed') f.add(codePath, 'invalid_status_code');
    else if (codeClass === 'unknown') f.add(codePath, 'unknown_status_code');
    else if (codeClass === 'unassigned') f.add(codePath, 'unassigned_status_code', 'warning');
    if (codeClass !== 'malformed' && codeClass !== 'unknown' && previousStatus !== undefined) {
      const verdict = checkStatusTransition(previousStatus, h.statusCode);
      if (!verdict.ok) f.list.push({ path: codePath, code: verdict.code, message: verdict.message, severity: verdict.severity });
    }
  }
  if (STATUS_CODES_NEEDING_REASON.has(h.statusCode) && (h.description === undefined || h.description.trim() === '')) {
    f.add(`${H}/Description`, 'reason_required');
  }
  f.timestamp(`${H}/Timestamp`, h.timestamp);
}
