import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Workflow code runs in the SDK's deterministic sandbox and is replayed from history: it may import only the
 * workflow API, other workflow modules and pure shared rules. Everything else (the database, HTTP, crypto,
 * XML, the clock of the host) belongs in activities, imported as types only.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKFLOWS = path.join(ROOT, 'workflows');
const DOMAIN = path.join(ROOT, 'domain');
const ACTIVITIES = path.join(ROOT, 'activities');

const inside = (dir: string, file: string) => file === dir || file.startsWith(dir + path.sep);

/** Whether `from`, imported by `file`, is allowed in workflow code. */
function allowed(file: string, from: string, typeOnly: boolean): boolean {
  if (from === '@temporalio/workflow') return true;
  if (from === '@temporalio/common') return typeOnly;
  if (!from.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), from);
  return inside(WORKFLOWS, target) || inside(DOMAIN, target) || (typeOnly && inside(ACTIVITIES, target));
}

function workflowFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? workflowFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

function imports(source: string): { from: string; typeOnly: boolean }[] {
  const found: { from: string; typeOnly: boolean }[] = [];
  for (const match of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    found.push({ from: match[3], typeOnly: Boolean(match[2]) });
  }
  for (const match of source.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    found.push({ from: match[1] ?? match[2], typeOnly: false });
  }
  return found;
}

describe('workflow code', () => {
  it('imports only the workflow API, other workflow modules, pure domain rules, and types', () => {
    const files = workflowFiles(WORKFLOWS);
    expect(files.length).toBeGreaterThan(0);
    const offending = files.flatMap((file) =>
      imports(readFileSync(file, 'utf8'))
        .filter(({ from, typeOnly }) => !allowed(file, from, typeOnly))
        .map(({ from, typeOnly }) => `${path.relative(ROOT, file)}: ${typeOnly ? 'import type' : 'import'} '${from}'`),
    );
    expect(offending).toEqual([]);
  });

  it('the check catches a workflow that reaches for the database or a Node built-in', () => {
    const bad = [
      "import { createDb } from '../../db/database';",
      "import { randomUUID } from 'node:crypto';",
      "import { createMaintenanceActivities } from '../../activities/maintenance';",
      "import type { X } from '@temporalio/common';",
      "import { PERIODIC_DATABASE_HOUSEKEEPING } from '../activity-options';",
      "import { checkAgencyCode } from '../../domain/agency-code';",
    ].join('\n');
    const file = path.join(WORKFLOWS, 'documents', 'incoming.ts');
    const flagged = imports(bad).filter(({ from, typeOnly }) => !allowed(file, from, typeOnly));
    expect(flagged.map((i) => i.from)).toEqual(['../../db/database', 'node:crypto', '../../activities/maintenance']);
  });
});
