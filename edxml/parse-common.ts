/** Blocks shared by document and status packages. */
import { normalizeDate } from './dates';
import type { Organization, ResponseFor, StaffInfo } from './model';
import type { ElementReader } from './parse-reader';

/** Sets `key` only when the value is present, so absent elements leave no `undefined` property behind. */
export function assignDefined<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function readOrganization(reader: ElementReader | undefined): Organization {
  if (!reader) return { organId: '' };
  const org: Organization = { organId: reader.mandatoryText('OrganId') };
  assignDefined(org, 'organizationInCharge', reader.text('OrganizationInCharge'));
  assignDefined(org, 'organName', reader.text('OrganName'));
  assignDefined(org, 'organAdd', reader.text('OrganAdd'));
  assignDefined(org, 'email', reader.text('Email'));
  assignDefined(org, 'telephone', reader.text('Telephone'));
  assignDefined(org, 'fax', reader.text('Fax'));
  assignDefined(org, 'website', reader.text('Website'));
  reader.finishContainer();
  return org;
}

export function readResponseFor(reader: ElementReader | undefined): ResponseFor {
  const rf: ResponseFor = {};
  if (!reader) return rf;
  assignDefined(rf, 'organId', reader.text('OrganId'));
  assignDefined(rf, 'code', reader.text('Code'));
  assignDefined(rf, 'promulgationDate', reader.text('PromulgationDate', normalizeDate));
  assignDefined(rf, 'documentId', reader.text('DocumentId'));
  reader.finishContainer();
  return rf;
}

export function readStaffInfo(reader: ElementReader | undefined): StaffInfo {
  const staff: StaffInfo = {};
  if (!reader) return staff;
  assignDefined(staff, 'department', reader.text('Department'));
  assignDefined(staff, 'staff', reader.text('Staff'));
  assignDefined(staff, 'email', reader.text('Email'));
  assignDefined(staff, 'mobile', reader.text('Mobile'));
  reader.finishContainer();
  return staff;
}
