import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../api/openapi';
import { apiV1Paths, apiV1SecuritySchemes } from '../../api/v1/index';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOURCE_FOLDERS = ['api', 'ui', 'cli', 'system', 'activities', 'workflows', 'db', 'signing', 'edxml', 'domain'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

describe('the /api/v1 description', () => {
  it('comes whole from the api/v1 entry: every security requirement names a scheme the document declares', () => {
    const document = buildOpenApiDocument(apiV1Paths, apiV1SecuritySchemes) as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    const declared = Object.keys(document.components.securitySchemes);
    const required = Object.values(document.paths)
      .flatMap((item) => Object.values(item))
      .flatMap((operation) => operation.security ?? [])
      .flatMap((requirement) => Object.keys(requirement));
    expect(required.length).toBeGreaterThan(0);
    expect([...new Set(required)].filter((name) => !declared.includes(name))).toEqual([]);
  });

  it('is imported by the rest of the code through api/v1/index only', () => {
    const v1 = path.join(ROOT, 'api', 'v1');
    const offending = SOURCE_FOLDERS.flatMap((folder) => sourceFiles(path.join(ROOT, folder)))
      .filter((file) => !file.startsWith(v1 + path.sep))
      .filter((file) =>
        [...readFileSync(file, 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].some(
          (match) => match[1].startsWith('.') && path.resolve(path.dirname(file), match[1]) === path.join(v1, 'openapi-paths'),
        ),
      )
      .map((file) => path.relative(ROOT, file));
    expect(offending).toEqual([]);
  });
});
