/**
 * Enumerations carried as strings on the wire, and their typed readings: status codes and their transitions
 * (status-codes.md), business types (edxml.md §3), urgency (identifiers.md §6).
 */
import { faultMessage } from './faults';
import type { StatusCode } from './model';

export const STATUS_CODES = {
  arrived: '01',
  rejected: '02',
  accepted: '03',
  assigned: '04',
  inProgress: '05',
  completed: '06',
  takeBackRequest: '13',
  changeAccepted: '15',
  changeRefused: '16',
} as const;

const KNOWN_STATUS_CODES = new Set<string>(Object.values(STATUS_CODES));
/** Codes that appear in no source: stored and shown raw, never rejected (status-codes.md §1). */
const UNASSIGNED_STATUS_CODES = new Set(['07', '08', '09', '10', '11', '12', '14']);
/** Codes that need a human reason in Description (status-codes.md §1, §6). */
export const STATUS_CODES_NEEDING_REASON = new Set(['02', '13', '15', '16']);

export type StatusCodeClass = 'known' | 'unassigned' | 'unknown' | 'malformed';

export function classifyStatusCode(code: string): StatusCodeClass {
  if (!/^\d{2}$/.test(code)) return 'malformed';
  if (KNOWN_STATUS_CODES.has(code)) return 'known';
  if (UNASSIGNED_STATUS_CODES.has(code)) return 'unassigned';
  return 'unknown';
}

/** Main track rank: displayed status = highest of 01 < 03 < 04 < 05 < 06. */
const TRACK_RANK: Record<string, number> = { '01': 1, '03': 2, '04': 3, '05': 4, '06': 5 };

export type TransitionVerdict =
  | { ok: true }
  | { ok: false; severity: 'warning' | 'error'; code: string; message: string };

function refuse(severity: 'warning' | 'error', code: Parameters<typeof faultMessage>[0], previous: string, next: string): TransitionVerdict {
  return { ok: false, severity, code, message: faultMessage(code, { previous, next }) };
}

/**
 * Whether status `next` may follow `previous` for the same (document, recipient) (status-codes.md §3). Skipped
 * and repeated codes are accepted; backward moves and moves out of a terminal state are warnings (log, keep the
 * displayed status); only malformed or unknown codes are errors. Unassigned codes are never judged.
 */
export function checkStatusTransition(previous: StatusCode | undefined, next: StatusCode): TransitionVerdict {
  const nextClass = classifyStatusCode(next);
  if (nextClass === 'malformed') return refuse('error', 'invalid_status_code', previous ?? '', next);
  if (nextClass === 'unknown') return refuse('error', 'unknown_status_code', previous ?? '', next);
  if (previous === undefined) {
    return next === STATUS_CODES.takeBackRequest ? refuse('warning', 'take_back_before_arrival', '', next) : { ok: true };
  }
  const previousClass = classifyStatusCode(previous);
  if (previousClass === 'malformed' || previousClass === 'unknown') return refuse('error', 'invalid_status_code', previous, next);
  if (nextClass === 'unassigned' || previousClass === 'unassigned' || previous === next) return { ok: true };

  // Change requests and their answers run beside the main track, at any point after arrival.
  if (next === STATUS_CODES.takeBackRequest || next === STATUS_CODES.changeAccepted || next === STATUS_CODES.changeRefused) {
    return previous === STATUS_CODES.rejected ? refuse('warning', 'status_after_terminal', previous, next) : { ok: true };
  }
  if (previous === STATUS_CODES.rejected) return refuse('warning', 'status_after_terminal', previous, next);
  if (next === STATUS_CODES.rejected) {
    const rank = TRACK_RANK[previous];
    return rank !== undefined && rank > TRACK_RANK['01'] ? refuse('warning', 'rejected_after_accepted', previous, next) : { ok: true };
  }
  const from = TRACK_RANK[previous];
  const to = TRACK_RANK[next];
  if (from === undefined) return { ok: true }; // after 13/15/16 the main track resumes where it was
  return to < from ? refuse('warning', 'status_backward', previous, next) : { ok: true };
}

/** True when `next` may follow `previous` without an error (warnings allowed). */
export function mayFollow(previous: StatusCode | undefined, next: StatusCode): boolean {
  const verdict = checkStatusTransition(previous, next);
  return verdict.ok || verdict.severity === 'warning';
}

export type BusinessType = 'new' | 'revoke' | 'update' | 'replace';

const BUSINESS_TYPES: Record<string, BusinessType> = { '0': 'new', '1': 'revoke', '2': 'update', '3': 'replace' };
export const BUSINESS_TYPE_CODES: Record<BusinessType, string> = { new: '0', revoke: '1', update: '2', replace: '3' };

export function businessTypeOf(bussinessDocType: string | undefined): BusinessType | undefined {
  return bussinessDocType === undefined ? undefined : BUSINESS_TYPES[bussinessDocType];
}

export type Urgency = 'normal' | 'urgent' | 'very_urgent' | 'flash' | 'flash_timed';
const URGENCIES: Urgency[] = ['normal', 'urgent', 'very_urgent', 'flash', 'flash_timed'];

export function urgencyOf(priority: string): Urgency | undefined {
  return /^[0-4]$/.test(priority) ? URGENCIES[Number(priority)] : undefined;
}

export function priorityOf(urgency: Urgency): string {
  return String(URGENCIES.indexOf(urgency));
}
