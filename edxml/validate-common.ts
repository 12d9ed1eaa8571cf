/** Field checks shared by document and status validation; each reports with the element path. */
import { AGENCY_CODE_REASON_VI, checkAgencyCode } from '../domain/agency-code';
import { isValidDate, isValidTimestamp, vietnamToday } from './dates';
import { fault, type FaultCode } from './faults';
import type { FaultSeverity, Organization, ResponseFor, ValidationFault } from './model';

export const HEADER_PATH = 'edXML/edXMLEnvelope/edXMLHeader/MessageHeader';

export class Faults {
  readonly list: ValidationFault[] = [];

  add(path: string, code: FaultCode, severity: FaultSeverity = 'error', params?: Record<string, string | number>): void {
    this.list.push(fault(path, code, severity, params));
  }

  /** Mandatory value: reports 'required' when absent or blank; returns whether there is something to check. */
  required(path: string, value: string | undefined): value is string {
    if (value === undefined || value.trim() === '') {
      this.add(path, 'required');
      return false;
    }
    return true;
  }

  /** Value every official sample sends: a warning when absent. */
  recommended(path: string, value: unknown): void {
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) this.add(path, 'recommended_missing', 'warning');
  }

  maxLength(path: string, value: string | undefined, max: number): void {
    // Characters, not UTF-16 units (astral letters count once); the cheap length settles most values.
    if (value !== undefined && value.length > max && [...value].length > max) this.add(path, 'too_long', 'error', { max });
  }

  agencyCode(path: string, value: string | undefined): void {
    if (!this.required(path, value)) return;
    const check = checkAgencyCode(value);
    if (!check.ok) this.add(path, 'invalid_agency_code', 'error', { reason: AGENCY_CODE_REASON_VI[check.reason] });
  }

  date(path: string, value: string | undefined): boolean {
    if (value === undefined || value === '') return false;
    if (isValidDate(value)) return true;
    this.add(path, 'invalid_date');
    return false;
  }

  /** An issue date: a real date, and not later than today in Vietnam. */
  issueDate(path: string, value: string | undefined, now: Date): boolean {
    if (!this.date(path, value)) return false;
    if ((value as string) > vietnamToday(now)) {
      this.add(path, 'date_in_future');
      return false;
    }
    return true;
  }

  timestamp(path: string, value: string | undefined): void {
    if (this.required(path, value) && !isValidTimestamp(value)) this.add(path, 'invalid_timestamp');
  }

  nonNegativeInteger(path: string, value: string | undefined): void {
    if (value !== undefined && !/^\d{1,9}$/.test(value)) this.add(path, 'invalid_number');
  }

  flag(path: string, value: string | undefined): void {
    if (value !== undefined && value !== '0' && value !== '1') this.add(path, 'invalid_flag');
  }

  documentId(path: string, value: string | undefined): ParsedDocumentId | undefined {
    if (value === undefined || value === '') return undefined;
    const parsed = parseDocumentId(value);
    if (!parsed) this.add(path, 'invalid_document_id');
    return parsed;
  }
}

export interface ParsedDocumentId {
  organId: string;
  /** 'YYYY/MM/DD' (full form) or 'YYYY' (year form, QĐ 395). */
  date: string;
  codeNumber: string;
  codeNotation?: string;
}

/**
 * DocumentId (identifiers.md §2): `{issuer OrganId},{YYYY/MM/DD},{number}/{notation}`, or the year form
 * `{issuer OrganId},{YYYY},{number}[/{notation}]`. The issuer must be a valid agency code and the date real.
 */
export function parseDocumentId(value: string): ParsedDocumentId | undefined {
  const m = /^([^,\s]+),(\d{4}\/\d{2}\/\d{2}|\d{4}),(\d{1,11})(?:\/([^,\s]+))?$/u.exec(value);
  if (!m) return undefined;
  const [, organId, date, codeNumber, codeNotation] = m;
  if (!checkAgencyCode(organId).ok) return undefined;
  if (date.length > 4 && !isValidDate(date)) return undefined;
  if (date.length === 4 && Number(date) < 1900) return undefined;
  if (codeNotation !== undefined && !NOTATION.test(codeNotation)) return undefined;
  return codeNotation === undefined ? { organId, date, codeNumber } : { organId, date, codeNumber, codeNotation };
}

/** Notation: letters (Vietnamese included: QĐ, TTg, QyĐ), digits, joined by '-', '/' or '.', no blanks. */
export const NOTATION = /^[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)*$/u;

/** `number/notation` as ResponseFor/Code writes it. */
export const NUMBER_AND_NOTATION = /^\d{1,11}\/[\p{L}\p{N}]+(?:[-/.][\p{L}\p{N}]+)*$/u;

const ORGANIZATION_LENGTHS: [keyof Organization, string, number][] = [
  ['organizationInCharge', 'OrganizationInCharge', 200],
  ['organName', 'OrganName', 200],
  ['organAdd', 'OrganAdd', 250],
  ['email', 'Email', 100],
  ['telephone', 'Telephone', 20],
  ['fax', 'Fax', 20],
];

export function checkOrganization(f: Faults, path: string, org: Organization): void {
  f.agencyCode(`${path}/OrganId`, org.organId);
  f.recommended(`${path}/OrganName`, org.organName);
  for (const [key, element, max] of ORGANIZATION_LENGTHS) f.maxLength(`${path}/${element}`, org[key], max);
}

/** A ResponseFor block that is present must identify a document; all-empty blocks (as in one sample) are only noted. */
export function checkResponseFor(f: Faults, path: string, rf: ResponseFor, mode: 'document' | 'status', now: Date): void {
  const values = [rf.organId, rf.code, rf.promulgationDate, rf.documentId];
  if (mode === 'document' && values.every((v) => v === undefined || v.trim() === '')) {
    f.add(path, 'empty_block', 'warning');
    return;
  }
  f.agencyCode(`${path}/OrganId`, rf.organId);
  if (rf.code !== undefined && rf.code !== '' && !NUMBER_AND_NOTATION.test(rf.code)) f.add(`${path}/Code`, 'invalid_code');
  f.issueDate(`${path}/PromulgationDate`, rf.promulgationDate, now);
  if (rf.documentId === undefined || rf.documentId === '') {
    // Matching falls back to number/notation + issue date (status-codes.md §6): those are then mandatory.
    if (rf.code === undefined || rf.code === '' || rf.promulgationDate === undefined || rf.promulgationDate === '') {
      f.add(`${path}/DocumentId`, 'required');
    }
  } else {
    f.documentId(`${path}/DocumentId`, rf.documentId);
  }
}
