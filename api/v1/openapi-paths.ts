import { PROBLEM_RESPONSE_REF, type OpenApiPaths } from '../openapi';
import { ROLES } from '../../db/schema';

/**
 * OpenAPI 3.1 description of the identity routes under /api/v1 (paths relative to the mount). Security
 * schemes named here: `sessionCookie` (plus the X-CSRF-Token header on state-changing calls) and `bearerToken`.
 */
export const apiV1SecuritySchemes = {
  sessionCookie: { type: 'apiKey', in: 'cookie', name: 'lt_session', description: '`__Host-lt_session` when cookies are Secure. State-changing calls also send the session\'s CSRF token in X-CSRF-Token.' },
  bearerToken: { type: 'http', scheme: 'bearer', description: 'API token (`lt_…`) created at POST /api/v1/api-tokens.' },
} as const;

const authenticated = [{ sessionCookie: [] }, { bearerToken: [] }];
const problem = { $ref: PROBLEM_RESPONSE_REF };
const str = (extra: Record<string, unknown> = {}) => ({ type: 'string', ...extra });
const uuid = str({ format: 'uuid' });
const dateTime = str({ format: 'date-time' });
const roles = { type: 'array', items: { type: 'string', enum: [...ROLES] }, minItems: 1, uniqueItems: true };
const agencyCode = str({ maxLength: 35, pattern: '^[0-9A-Z.]+$', examples: ['000.00.01.H49', 'G09.01'] });

const schemas = {
  agency: {
    type: 'object',
    required: ['id', 'code', 'name', 'parentCode', 'hub', 'active'],
    properties: { id: uuid, code: agencyCode, name: str(), parentCode: { type: ['string', 'null'] }, hub: { type: ['string', 'null'] }, active: { type: 'boolean' }, createdAt: dateTime, updatedAt: dateTime },
  },
  unit: {
    type: 'object',
    required: ['id', 'agencyId', 'name', 'code'],
    properties: { id: uuid, agencyId: uuid, name: str(), code: { type: ['string', 'null'] } },
  },
  user: {
    type: 'object',
    required: ['id', 'agencyCode', 'username', 'fullName', 'roles', 'active'],
    properties: { id: uuid, agencyCode: agencyCode, unitId: { type: ['string', 'null'], format: 'uuid' }, username: str(), fullName: str(), roles, active: { type: 'boolean' }, createdAt: dateTime, updatedAt: dateTime },
  },
  me: {
    type: 'object',
    required: ['id', 'username', 'fullName', 'roles', 'agency'],
    properties: {
      id: uuid,
      username: str(),
      fullName: str(),
      roles,
      agency: { type: 'object', properties: { id: uuid, code: agencyCode, name: str() } },
      csrfToken: str({ description: 'Present for cookie sessions: send it as X-CSRF-Token on state-changing calls.' }),
    },
  },
  apiToken: {
    type: 'object',
    required: ['id', 'name', 'prefix', 'roles', 'createdAt'],
    properties: { id: uuid, name: str(), prefix: str(), userId: uuid, roles, createdAt: dateTime, expiresAt: { type: ['string', 'null'], format: 'date-time' }, lastUsedAt: { type: ['string', 'null'], format: 'date-time' }, revokedAt: { type: ['string', 'null'], format: 'date-time' } },
  },
};

const list = (item: unknown) => ({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: item } } });
const json = (schema: unknown, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (properties: Record<string, unknown>, required: string[] = []) => ({
  required: true,
  content: { 'application/json': { schema: { type: 'object', properties, required, additionalProperties: false } } },
});
const pathParam = (name: string, schema: unknown, description: string) => ({ name, in: 'path', required: true, schema, description });
const codeParam = pathParam('code', agencyCode, 'Agency code; an agency outside the caller\'s own tree reads as 404.');
const userIdParam = pathParam('userId', uuid, 'A user of the caller\'s agency; others read as 404.');
const unitIdParam = pathParam('unitId', uuid, 'A unit of the agency in the path.');
const tokenIdParam = pathParam('tokenId', uuid, 'An API token of the caller (any of the agency for an admin).');

/** Every error answer is problem+json; listing the statuses a route can give keeps clients honest. */
function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [String(s), problem]));
}

function op(spec: {
  summary: string;
  tags: string[];
  description?: string;
  adminOnly?: boolean;
  anonymous?: boolean;
  parameters?: unknown[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}) {
  const { adminOnly, anonymous, ...rest } = spec;
  const statuses = anonymous ? [400] : adminOnly ? [400, 401, 403, 404, 409] : [400, 401, 404];
  return {
    ...rest,
    description: [spec.description, adminOnly ? 'Needs the `admin` role.' : undefined].filter(Boolean).join(' ') || undefined,
    security: anonymous ? [] : authenticated,
    responses: { ...errors(...statuses), ...spec.responses },
  };
}

export const apiV1Paths: OpenApiPaths = {
  '/session': {
    post: op({
      summary: 'Log in with username and password; sets the session cookie',
      tags: ['identity'],
      anonymous: true,
      description:
        'Repeated failures for a username make the next attempt wait (429, Retry-After) and 5 failures within 15 minutes lock it for 15 minutes (423, Retry-After). Unknown usernames are treated the same way.',
      requestBody: body({ username: str({ maxLength: 64 }), password: str({ maxLength: 256 }) }, ['username', 'password']),
      responses: {
        '201': json({ type: 'object', required: ['user', 'csrfToken'], properties: { user: schemas.me, csrfToken: str() } }, 'Logged in'),
        '401': problem,
        '423': problem,
        '429': problem,
      },
    }),
    delete: op({ summary: 'Log out: ends the cookie session', tags: ['identity'], responses: { '204': { description: 'Logged out' }, '403': problem } }),
  },
  '/me': { get: op({ summary: 'The caller, their agency and roles', tags: ['identity'], responses: { '200': json(schemas.me) } }) },
  '/me/password': {
    put: op({
      summary: 'Change your own password; your other sessions end',
      tags: ['identity'],
      description: 'A wrong current password counts as a failed login (same delays and lockout: 423, 429).',
      requestBody: body({ currentPassword: str({ maxLength: 256 }), newPassword: str({ minLength: 12, maxLength: 256 }) }, ['currentPassword', 'newPassword']),
      responses: { '204': { description: 'Changed' }, '403': problem, '423': problem, '429': problem },
    }),
  },
  '/agencies': {
    get: op({ summary: "The caller's agency and every agency below it", tags: ['agencies'], responses: { '200': json(list(schemas.agency)) } }),
    post: op({
      summary: "Register an agency under the caller's agency or one below it",
      tags: ['agencies'],
      adminOnly: true,
      requestBody: body({ code: agencyCode, name: str({ maxLength: 300 }), parentCode: agencyCode, hub: str({ maxLength: 300 }) }, ['code', 'name', 'parentCode']),
      responses: { '201': json(schemas.agency, 'Created') },
    }),
  },
  '/agencies/{code}': {
    get: op({ summary: 'One agency', tags: ['agencies'], parameters: [codeParam], responses: { '200': json(schemas.agency) } }),
    patch: op({
      summary: 'Rename an agency, set its axis hub or (de)activate it',
      tags: ['agencies'],
      adminOnly: true,
      parameters: [codeParam],
      requestBody: body({ name: str({ maxLength: 300 }), hub: { type: ['string', 'null'], maxLength: 300 }, active: { type: 'boolean' } }),
      responses: { '200': json(schemas.agency) },
    }),
  },
  '/agencies/{code}/units': {
    get: op({ summary: "An agency's units (departments)", tags: ['agencies'], parameters: [codeParam], responses: { '200': json(list(schemas.unit)) } }),
    post: op({
      summary: 'Add a unit to an agency',
      tags: ['agencies'],
      adminOnly: true,
      parameters: [codeParam],
      requestBody: body({ name: str({ maxLength: 300 }), code: str({ maxLength: 35 }) }, ['name']),
      responses: { '201': json(schemas.unit, 'Created') },
    }),
  },
  '/agencies/{code}/units/{unitId}': {
    get: op({ summary: 'One unit', tags: ['agencies'], parameters: [codeParam, unitIdParam], responses: { '200': json(schemas.unit) } }),
    patch: op({
      summary: 'Rename a unit or change its code',
      tags: ['agencies'],
      adminOnly: true,
      parameters: [codeParam, unitIdParam],
      requestBody: body({ name: str({ maxLength: 300 }), code: { type: ['string', 'null'], maxLength: 35 } }),
      responses: { '200': json(schemas.unit) },
    }),
  },
  '/users': {
    get: op({ summary: "People of the caller's agency", tags: ['users'], responses: { '200': json(list(schemas.user)) } }),
    post: op({
      summary: "Create a person in the caller's agency; the generated password is in the answer, once",
      tags: ['users'],
      adminOnly: true,
      requestBody: body({ username: str({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }), fullName: str({ maxLength: 200 }), roles, unitId: uuid }, ['username', 'fullName', 'roles']),
      responses: { '201': json({ type: 'object', required: ['user', 'password'], properties: { user: schemas.user, password: str() } }, 'Created') },
    }),
  },
  '/users/{userId}': {
    get: op({ summary: 'One person', tags: ['users'], parameters: [userIdParam], responses: { '200': json(schemas.user) } }),
    patch: op({
      summary: "Change a person's name, roles, unit or active flag",
      tags: ['users'],
      adminOnly: true,
      parameters: [userIdParam],
      requestBody: body({ fullName: str({ maxLength: 200 }), roles, unitId: { type: ['string', 'null'], format: 'uuid' }, active: { type: 'boolean' } }),
      responses: { '200': json(schemas.user) },
    }),
  },
  '/users/{userId}/password-reset': {
    post: op({
      summary: 'Give a person a new generated password (in the answer, once); ends their sessions',
      tags: ['users'],
      adminOnly: true,
      parameters: [userIdParam],
      responses: { '200': json({ type: 'object', required: ['username', 'password'], properties: { username: str(), password: str() } }) },
    }),
  },
  '/users/{userId}/unlock': {
    post: op({
      summary: "Lift a login lockout by forgetting the person's failed logins",
      tags: ['users'],
      adminOnly: true,
      parameters: [userIdParam],
      responses: { '200': json({ type: 'object', required: ['clearedFailures'], properties: { clearedFailures: { type: 'integer' } } }) },
    }),
  },
  '/api-tokens': {
    get: op({ summary: "API tokens without their secrets: the caller's own (an admin sees the agency's)", tags: ['api-tokens'], responses: { '200': json(list(schemas.apiToken)) } }),
    post: op({
      summary: "Create an API token acting as the caller within their agency and roles; the token is in the answer, once",
      tags: ['api-tokens'],
      requestBody: body({ name: str({ maxLength: 100 }), roles, expiresInDays: { type: 'integer', minimum: 1, maximum: 3650 } }, ['name']),
      responses: {
        '201': json({ ...schemas.apiToken, required: [...schemas.apiToken.required, 'token'], properties: { ...schemas.apiToken.properties, token: str() } }, 'Created'),
      },
    }),
  },
  '/api-tokens/{tokenId}': {
    delete: op({ summary: 'Revoke an API token at once', tags: ['api-tokens'], parameters: [tokenIdParam], responses: { '204': { description: 'Revoked' } } }),
  },
};
