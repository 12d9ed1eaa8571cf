import { AppError, type FieldFault } from '../../errors';
import { ROLES, type Role } from '../../../db/schema';
import { AGENCY_CODE_REASON_VI, checkAgencyCode } from '../../../domain/agency-code';

/** Collects every fault of one input so the caller hears about all of them at once. */
export class FaultList {
  readonly faults: FieldFault[] = [];

  add(field: string, reason: string, message: string): void {
    this.faults.push({ field, reason, message });
  }

  throwIfAny(): void {
    if (this.faults.length > 0) throw AppError.validation(this.faults);
  }
}

/** A trimmed NFC string of bounded length; undefined (with a fault when required) when absent. */
export function readText(
  faults: FaultList,
  field: string,
  value: unknown,
  options: { required: boolean; max: number; label: string },
): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    if (options.required) faults.add(field, 'required', `${options.label} không được để trống`);
    return undefined;
  }
  if (typeof value !== 'string') {
    faults.add(field, 'bad_type', `${options.label} phải là chuỗi ký tự`);
    return undefined;
  }
  const text = value.normalize('NFC').trim();
  if (text.length > options.max) {
    faults.add(field, 'too_long', `${options.label} dài quá ${options.max} ký tự`);
    return undefined;
  }
  return text;
}

export function readAgencyCode(faults: FaultList, field: string, value: unknown, required = true): string | undefined {
  const text = readText(faults, field, value, { required, max: 100, label: 'Mã định danh' });
  if (text === undefined) return undefined;
  const check = checkAgencyCode(text);
  if (!check.ok) {
    faults.add(field, check.reason, AGENCY_CODE_REASON_VI[check.reason]);
    return undefined;
  }
  return check.code;
}

const ROLE_NAMES_VI: Record<Role, string> = {
  clerk: 'văn thư',
  leader: 'lãnh đạo',
  officer: 'chuyên viên',
  admin: 'quản trị',
  operator: 'vận hành',
};

/** A non-empty list of known roles, without duplicates; accepts an array or a comma-separated string. */
export function readRoles(faults: FaultList, field: string, value: unknown, required = true): Role[] | undefined {
  if (value === undefined && !required) return undefined;
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  if (!Array.isArray(items) || items.length === 0) {
    faults.add(field, 'required', 'Cần chọn ít nhất một vai trò');
    return undefined;
  }
  const unknown = items.filter((r) => !(ROLES as readonly unknown[]).includes(r));
  if (unknown.length > 0) {
    faults.add(
      field,
      'unknown_role',
      `Vai trò không hợp lệ: ${unknown.map(String).join(', ')} (chỉ gồm ${ROLES.map((r) => `${r} – ${ROLE_NAMES_VI[r]}`).join('; ')})`,
    );
    return undefined;
  }
  return [...new Set(items as Role[])];
}

export function readBoolean(faults: FaultList, field: string, value: unknown, label: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    faults.add(field, 'bad_type', `${label} phải là true hoặc false`);
    return undefined;
  }
  return value;
}

export function readUuid(faults: FaultList, field: string, value: unknown, label: string): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'string' || !isUuid(value)) {
    faults.add(field, 'bad_format', `${label} không hợp lệ`);
    return undefined;
  }
  return value.toLowerCase();
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** PostgreSQL unique_violation on the named constraint (or any, when no name is given). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
