import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SOURCES } from '../../src/config/schema.js';
import { ROOT } from '../helpers/cli.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The text of a README section: from its `## ` heading to the next. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "## ${title}" section`).toBeGreaterThan(-1);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every environment variable the code reads: `process.env.X` outside comments, and the config's. */
function variablesRead(): Set<string> {
  const names = new Set(Object.values(CONFIG_SOURCES).map((s) => s.env));
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const code = line.trim();
      if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) continue;
      for (const m of code.matchAll(
        /process\.env(?:\.([A-Z0-9_]+)|\[\s*['"]([A-Z0-9_]+)['"]\s*\])/g,
      ))
        names.add(m[1] ?? m[2]!);
    }
  }
  return names;
}

/** The first column(s) of a section's table rows, where the names are. */
function tableText(text: string): string {
  return text
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .join('\n');
}

/** `/v1/segments/{id}` -> `/v1/segments`; `/v1/admin/keys/{id}` -> `/v1/admin/keys`; `/t/o/{token}` -> `/t`. */
function groupOf(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  if (parts[0] !== 'v1') return `/${parts[0]}`;
  if (parts[1] === 'admin') return `/v1/admin/${parts[2]}`;
  return `/v1/${parts[1]}`;
}

describe('README tables', () => {
  it('list every environment variable the code reads', () => {
    const tables = tableText(section('Configuration')) + tableText(section('Limits'));
    const missing = [...variablesRead()].filter((name) => !tables.includes(`\`${name}\``));
    expect(missing, 'add these to the README configuration table').toEqual([]);
    // The ones the first run needs are in the configuration table itself.
    for (const name of ['SMTP_URL', 'RAPPORT_PUBLIC_URL', 'RAPPORT_OUTBOX_LEASE_MS'])
      expect(tableText(section('Configuration'))).toContain(`\`${name}\``);
  });

  it('cover every route group of the OpenAPI document', () => {
    const doc = JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8')) as {
      paths: Record<string, unknown>;
    };
    const endpoints = tableText(section('API overview'))
      .split('\n')
      .map((row) => row.split('|')[1] ?? '');
    const listed = new Set(
      endpoints.flatMap((cell) =>
        [...cell.matchAll(/\/[A-Za-z0-9_.{}/-]+/g)].map((m) => groupOf(m[0])),
      ),
    );
    const groups = new Set(
      Object.keys(doc.paths).map((p) => groupOf(p.replace(/:(\w+)/g, '{$1}'))),
    );
    const missing = [...groups].filter((g) => !listed.has(g)).sort();
    expect(missing, 'add rows for these route groups to the README API table').toEqual([]);
  });

  it('groups paths the way the table is read', () => {
    expect(groupOf('/v1/segments/{id}/members')).toBe('/v1/segments');
    expect(groupOf('/v1/admin/keys/{id}/rotate')).toBe('/v1/admin/keys');
    expect(groupOf('/t/c/{token}')).toBe('/t');
    expect(groupOf('/health')).toBe('/health');
  });
});
