import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The image (Dockerfile) is built from the repository minus .dockerignore, with `npm ci --omit=dev`. Docker cannot
 * run here, so this reads the same rules: every file the app, the worker's workflow bundle and the CLIs read at
 * run time must survive .dockerignore, and every package they import must be a runtime dependency.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
/** What the container runs: the app (CMD), the administration CLI and the edXML tool (`docker compose exec`). */
const ENTRIES = ['main.ts', 'cli/main.ts', 'edxml/cli.ts', 'workflows/index.ts'];
/** Read from disk at run time, beside the code (ui/render.ts, ui/routes.ts), not imported. */
const RUNTIME_FOLDERS = ['ui/views', 'ui/static'];

const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** .dockerignore as Docker reads it: patterns relative to the context root, later lines win, `!` re-includes. */
function dockerIgnore(): (file: string) => boolean {
  const rules = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = path.posix.normalize((include ? line.slice(1) : line).replace(/^\/+/, ''));
      const source = pattern
        .split('**')
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
        .join('.*');
      return { include, regex: new RegExp(`^${source}$`) };
    });
  return (file) => {
    const prefixes = file.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((prefix) => rule.regex.test(prefix))) ignored = !rule.include;
    return ignored;
  };
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) found.push(match[1]);
  for (const match of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) found.push(match[1] ?? match[2]);
  return found;
}

function resolveLocal(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidate = [base, `${base}.ts`, path.join(base, 'index.ts')].find((file) => existsSync(file) && file.endsWith('.ts'));
  if (!candidate) throw new Error(`${path.relative(ROOT, from)} imports '${specifier}', which does not resolve`);
  return candidate;
}

/** Every source file reachable from the entries, and every package (not built-in) they import. */
function runtimeClosure(): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = ENTRIES.map((entry) => path.join(ROOT, entry));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) queue.push(resolveLocal(file, specifier));
      else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
        packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
      }
    }
  }
  return { files, packages };
}

describe('the Docker image', () => {
  const ignored = dockerIgnore();
  const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

  it('is built from the whole context with runtime dependencies only, and runs what `npm start` runs', () => {
    expect(dockerfile).toMatch(/^COPY \. \.$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev\b/m);
    expect(dockerfile).toContain('CMD ["node", "--import", "tsx", "main.ts"]');
  });

  it('contains every file the app, the workflow bundle and the CLIs read at run time', () => {
    const { files } = runtimeClosure();
    expect(files.size).toBeGreaterThan(50);
    const needed = [
      ...[...files].map((file) => path.relative(ROOT, file)),
      ...tracked.filter((file) => RUNTIME_FOLDERS.some((folder) => file.startsWith(`${folder}/`))),
      'package.json',
      'package-lock.json',
      'tsconfig.json',
    ];
    expect(needed.some((file) => file.endsWith('.hbs'))).toBe(true);
    expect(needed.some((file) => file.startsWith('ui/static/'))).toBe(true);
    expect(needed.filter((file) => ignored(file))).toEqual([]);
  });

  it('has every package the running code imports (the PDF font included) among the runtime dependencies', () => {
    const { packages } = runtimeClosure();
    expect(packages).toContain('@temporalio/worker');
    const missing = [...packages].filter((name) => !(name in packageJson.dependencies)).sort();
    expect(missing).toEqual([]);
    // Fonts are read by file name (signing/pdf/fonts.ts), not imported: the package must be installed all the same.
    expect(packageJson.dependencies).toHaveProperty(['@fontsource/tinos']);
  });

  it('keeps secrets, local data and test material out', () => {
    for (const file of ['.env', '.env.compose', '.env.production', 'data/pg-password', 'data/pki/root/ca.key.pem', 'node_modules/x/index.js']) {
      expect(ignored(file), file).toBe(true);
    }
    expect(tracked.filter((file) => file.startsWith('test/')).every(ignored)).toBe(true);
  });
});
