import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The boundary rules once passed every file because nothing resolved `./x.js` to
 * `./x.ts`. These tests lint probe files that break each rule and expect each to fail,
 * so a rule that goes quiet again fails here first.
 */

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = fileURLToPath(new URL('fixtures', import.meta.url));
const fixtureLint = new ESLint({ cwd: fixtures, overrideConfigFile: 'eslint.config.js' });

interface Problem {
  rule: string | null;
  message: string;
}

async function lint(files: string[]): Promise<Map<string, Problem[]>> {
  const results = await fixtureLint.lintFiles(files.map((f) => path.join(fixtures, 'src', f)));
  return new Map(
    results.map((r) => [
      path.relative(path.join(fixtures, 'src'), r.filePath),
      r.messages.map((m) => ({ rule: m.ruleId, message: m.message })),
    ]),
  );
}

const probes: [what: string, file: string, rule: string, message: string][] = [
  [
    'an upward import',
    'store/upward.ts',
    'import-x/no-restricted-paths',
    'store may not import profiles: see ARCHITECTURE.md',
  ],
  ['a cycle (one side)', 'profiles/cycle-a.ts', 'import-x/no-cycle', 'Dependency cycle detected'],
  ['a cycle (other side)', 'profiles/cycle-b.ts', 'import-x/no-cycle', 'Dependency cycle detected'],
  [
    'a deep import',
    'segments/deep.ts',
    'import-x/no-restricted-paths',
    'Import profiles through its index.ts',
  ],
  [
    'cli importing server',
    'cli/starts-server.ts',
    'import-x/no-restricted-paths',
    'cli may not import server',
  ],
  [
    'workspaces importing channels',
    'workspaces/sends-mail.ts',
    'import-x/no-restricted-paths',
    'workspaces may not import channels',
  ],
  [
    'a pure core importing the store',
    'segments/core/store-import.ts',
    'import-x/no-restricted-paths',
    'segments/core is a pure core: it imports only shared',
  ],
  [
    'a pure core reading files',
    'segments/core/reads-files.ts',
    'no-restricted-imports',
    'A pure core does no I/O',
  ],
  [
    'a query of a table another module owns',
    'segments/reads-profiles.ts',
    'rapport/table-owner',
    'segments may not query profiles: it belongs to profiles',
  ],
  [
    'a join with a table another module owns',
    'segments/joins-identities.ts',
    'rapport/table-owner',
    'segments may not query identities: it belongs to profiles',
  ],
  [
    'an import that does not resolve',
    'shared/unresolved.ts',
    'import-x/no-unresolved',
    "Unable to resolve path to module './missing.js'",
  ],
];

describe('lint boundaries on the fixture tree', () => {
  it.each(probes)('fails %s', async (_what, file, rule, message) => {
    const found = await lint([file]);
    expect(found.get(file)).toEqual([{ rule, message: expect.stringContaining(message) }]);
  });

  it('passes every file that is not a probe', async () => {
    const found = await lint(['.']);
    const probeFiles = new Set(probes.map(([, file]) => file));
    const clean = [...found].filter(([file]) => !probeFiles.has(file));
    // The clean files import across modules through index.ts, the right way round.
    expect(clean.map(([file]) => file)).toContain('cli/index.ts');
    expect(clean.length).toBeGreaterThanOrEqual(10);
    expect(clean.filter(([, problems]) => problems.length > 0)).toEqual([]);
  });

  it('fails a file over 400 lines and passes one of 400', async () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const n${i} = ${i};`);
    const filePath = path.join(fixtures, 'src/shared/long.ts');
    const [over] = await fixtureLint.lintText(`${lines(401).join('\n')}\n`, { filePath });
    const [at] = await fixtureLint.lintText(`${lines(400).join('\n')}\n`, { filePath });
    expect(over?.messages.map((m) => m.ruleId)).toEqual(['max-lines']);
    expect(at?.messages).toEqual([]);
  });
});

describe('the module list comes from the folders of src/', () => {
  type Boundaries = (root: string) => unknown;
  const boundariesUrl = pathToFileURL(path.join(repo, 'eslint/boundaries.js')).href;
  const loadBoundaries = async () =>
    ((await import(boundariesUrl)) as { boundaries: Boundaries }).boundaries;
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });
  const tree = (entries: string[]) => {
    const root = mkdtempSync(path.join(tmpdir(), 'rapport-lint-'));
    roots.push(root);
    for (const entry of entries) {
      const full = path.join(root, 'src', entry);
      if (entry.endsWith('/')) mkdirSync(full, { recursive: true });
      else writeFileSync(full, '');
    }
    return root;
  };

  it('refuses a folder the module table does not know', async () => {
    const boundaries = await loadBoundaries();
    expect(() => boundaries(tree(['shared/', 'store/', 'newfangled/']))).toThrow(
      'src/newfangled/ not in the module table (eslint/modules.js)',
    );
  });

  it('refuses a file outside every module folder', async () => {
    const boundaries = await loadBoundaries();
    expect(() => boundaries(tree(['shared/', 'main.ts']))).toThrow(
      'main.ts must live inside a module folder',
    );
  });
});

describe("the project's own config", () => {
  const projectLint = new ESLint({ cwd: repo });
  const configFor = async (file: string) =>
    (await projectLint.calculateConfigForFile(path.join(repo, file))) as {
      rules: Record<string, [number, ...unknown[]] | undefined>;
      settings: Record<string, unknown>;
    };

  it.each(['src/store/index.ts', 'test/lint/boundaries.test.ts', 'bench/run.ts'])(
    'resolves imports and forbids cycles in %s',
    async (file) => {
      const config = await configFor(file);
      expect(config.settings['import-x/resolver-next']).toBeDefined();
      expect(config.rules['import-x/no-unresolved']?.[0]).toBe(2);
      expect(config.rules['import-x/no-cycle']?.[0]).toBe(2);
    },
  );

  it('holds src to the module table and to 400 lines a file', async () => {
    const config = await configFor('src/store/index.ts');
    const [, options] = config.rules['import-x/no-restricted-paths'] ?? [];
    const zones = (options as { zones: { message: string }[] }).zones.map((z) => z.message);
    expect(zones).toContain('store may not import profiles: see ARCHITECTURE.md, "Modules".');
    expect(zones).toContain('cli may not import server: see ARCHITECTURE.md, "Modules".');
    expect(config.rules['max-lines']).toEqual([
      2,
      { max: 400, skipBlankLines: false, skipComments: false },
    ]);
  });
});
