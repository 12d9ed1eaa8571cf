import { ERROR_STATUS } from './errors';

/** OpenAPI path items keyed by path; v1 paths are relative to the /api/v1 mount (e.g. `/agencies`). */
export type OpenApiPaths = Record<string, Record<string, unknown>>;

/** `$ref` that API route descriptions use for every error answer. */
export const PROBLEM_RESPONSE_REF = '#/components/responses/Problem';
export const PROBLEM_SCHEMA_REF = '#/components/schemas/Problem';

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details with a stable machine-readable code and per-field faults.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', examples: ['urn:lien-thong:problem:validation_failed'] },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'Identifies the request in the server logs.' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: { type: 'string', examples: ['agencyCode'] },
          reason: { type: 'string', examples: ['bad_format'] },
          message: { type: 'string', description: 'Vietnamese explanation for people.' },
        },
      },
    },
  },
} as const;

const problem = { description: 'Error', content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA_REF } } } };

const platformPaths: OpenApiPaths = {
  '/healthz': {
    get: {
      tags: ['operations'],
      summary: 'Liveness: the process is serving HTTP',
      security: [],
      responses: { '200': { description: 'Alive', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
  '/readyz': {
    get: {
      tags: ['operations'],
      summary: 'Readiness: the database and the workflow engine answer',
      security: [],
      responses: {
        '200': { description: 'Ready', content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } },
        '503': { description: 'A dependency failed', content: { 'application/json': { schema: { $ref: '#/components/schemas/Readiness' } } } },
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['operations'],
      summary: 'Prometheus metrics',
      description:
        'For a Prometheus scraper presenting METRICS_TOKEN as its bearer token, or for a user holding the `operator` role (API token or session).',
      security: [{ metricsToken: [] }, { bearerToken: [] }, { sessionCookie: [] }],
      responses: {
        '200': { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } },
        '401': { $ref: PROBLEM_RESPONSE_REF },
        '403': { $ref: PROBLEM_RESPONSE_REF },
      },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      tags: ['operations'],
      summary: 'This document',
      security: [],
      responses: { '200': { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } } },
    },
  },
};

/** Schemes of the platform's own paths; those of /api/v1 come with its paths. */
const platformSecuritySchemes = {
  metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN of this installation, for a Prometheus scraper (/metrics only).' },
} as const;

/** The API description served at /api/v1/openapi.json: the platform's paths plus those of /api/v1. */
export function buildOpenApiDocument(
  v1Paths: OpenApiPaths = {},
  securitySchemes: Record<string, unknown> = {},
): Record<string, unknown> {
  const paths: OpenApiPaths = { ...platformPaths };
  for (const [path, item] of Object.entries(v1Paths)) paths[`/api/v1${path}`] = item;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Liên Thông API',
      version: '1',
      description: 'Document workflow and exchange system. Errors are application/problem+json with a stable `code`.',
    },
    paths,
    components: {
      schemas: {
        Problem: problemSchema,
        Readiness: {
          type: 'object',
          required: ['status', 'failed', 'checks'],
          properties: {
            status: { type: 'string', enum: ['ok', 'unavailable'] },
            failed: { type: 'array', items: { type: 'string', enum: ['database', 'engine'] } },
            checks: {
              type: 'object',
              properties: {
                database: { type: 'string', enum: ['ok', 'failed'] },
                engine: { type: 'string', enum: ['ok', 'failed'] },
              },
            },
          },
        },
      },
      responses: { Problem: problem },
      securitySchemes: { ...platformSecuritySchemes, ...securitySchemes },
    },
  };
}
