import type { Unit } from '../../db/schema';
import type { AgencyView } from '../../db/repositories/agencies';
import type { UserView } from '../../db/repositories/users';
import type { ApiTokenView } from '../../db/repositories/api-tokens';
import type { AuthenticatedUser } from '../auth/request-user';

/** JSON shapes of the API: camelCase, ISO timestamps, never a password hash or token hash. */
export function agencyJson(agency: AgencyView) {
  return {
    id: agency.id,
    code: agency.code,
    name: agency.name,
    parentCode: agency.parent_code,
    hub: agency.hub,
    active: agency.active,
    createdAt: agency.created_at.toISOString(),
    updatedAt: agency.updated_at.toISOString(),
  };
}

export function unitJson(unit: Unit) {
  return { id: unit.id, agencyId: unit.agency_id, name: unit.name, code: unit.code };
}

export function userJson(user: UserView) {
  return {
    id: user.id,
    agencyCode: user.agency_code,
    unitId: user.unit_id,
    username: user.username,
    fullName: user.full_name,
    roles: user.roles,
    active: user.active,
    createdAt: user.created_at.toISOString(),
    updatedAt: user.updated_at.toISOString(),
  };
}

export function meJson(user: AuthenticatedUser) {
  return {
    id: user.id,
    username: user.username,
    fullName: user.fullName,
    roles: user.roles,
    agency: { id: user.agencyId, code: user.agencyCode, name: user.agencyName },
  };
}

export function apiTokenJson(token: ApiTokenView) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    userId: token.user_id,
    roles: token.roles,
    createdAt: token.created_at.toISOString(),
    expiresAt: token.expires_at?.toISOString() ?? null,
    lastUsedAt: token.last_used_at?.toISOString() ?? null,
    revokedAt: token.revoked_at?.toISOString() ?? null,
  };
}
