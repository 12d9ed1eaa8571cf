/**
 * Agency codes (mã định danh), ../shared/domain/identifiers.md §1. Two formats circulate, so the code is kept
 * as an opaque string of at most 35 characters (A–Z, 0–9 and dots) and its format is reported, not assumed.
 */
export type AgencyCodeFormat = 'qcvn102' | 'qd20';

export type AgencyCodeCheck =
  | { ok: true; code: string; format: AgencyCodeFormat }
  | { ok: false; reason: 'empty' | 'too_long' | 'bad_characters' | 'bad_format' };

/** QCVN 102:2016: L4.L3.L2.L1 read right to left, e.g. 000.00.00.H49 (13 characters). */
const QCVN_102 = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
/** QĐ 20/2020: level-1 code first (letter + two digits), then dot-separated lower levels, e.g. G09.01. */
const QD_20 = /^[A-Z]\d{2}(\.[0-9A-Z]+)*$/;
const ALLOWED = /^[0-9A-Z.]+$/;
export const AGENCY_CODE_MAX_LENGTH = 35;

/** Checks an agency code as written (no trimming or case folding: the wire form must already be exact). */
export function checkAgencyCode(code: string): AgencyCodeCheck {
  if (code.length === 0) return { ok: false, reason: 'empty' };
  if (code.length > AGENCY_CODE_MAX_LENGTH) return { ok: false, reason: 'too_long' };
  if (!ALLOWED.test(code)) return { ok: false, reason: 'bad_characters' };
  if (QCVN_102.test(code)) return { ok: true, code, format: 'qcvn102' };
  if (QD_20.test(code)) return { ok: true, code, format: 'qd20' };
  return { ok: false, reason: 'bad_format' };
}

export function isAgencyCode(code: string): boolean {
  return checkAgencyCode(code).ok;
}

/** Vietnamese explanation of a failed check, for forms and validation reports. */
export const AGENCY_CODE_REASON_VI: Record<Exclude<AgencyCodeCheck, { ok: true }>['reason'], string> = {
  empty: 'Mã định danh không được để trống',
  too_long: `Mã định danh dài quá ${AGENCY_CODE_MAX_LENGTH} ký tự`,
  bad_characters: 'Mã định danh chỉ gồm chữ in hoa A–Z, chữ số và dấu chấm',
  bad_format: 'Mã định danh không đúng định dạng (ví dụ 000.00.00.H49 hoặc G09.01)',
};
