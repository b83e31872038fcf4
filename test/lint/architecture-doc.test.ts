import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

/**
 * ARCHITECTURE.md's "may import" table is what a reader trusts; eslint/modules.js is what
 * lint enforces. This keeps the two saying the same thing.
 */

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** Rows of the "| module | may import |" table: `all but x, y` means every other module but those. */
function documentedTable(): Map<string, string[]> {
  const text = readFileSync(path.join(repo, 'ARCHITECTURE.md'), 'utf8');
  const start = text.search(/^\| module +\| may import +\|$/m);
  expect(start, 'the "may import" table in ARCHITECTURE.md').toBeGreaterThan(-1);
  const rows = text.slice(start).split('\n\n')[0]!.split('\n').slice(2);
  const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const table = new Map<string, string[]>();
  for (const row of rows) {
    const [module, cell] = row
      .split('|')
      .slice(1, 3)
      .map((c) => c.trim());
    table.set(
      names(module!)[0]!,
      cell!.startsWith('all but') ? ['*', ...names(cell!)] : names(cell!),
    );
  }
  return table;
}

it("ARCHITECTURE.md's import table says what eslint/modules.js enforces", async () => {
  const url = pathToFileURL(path.join(repo, 'eslint/modules.js')).href;
  const { modules } = (await import(url)) as { modules: Record<string, readonly string[]> };
  const all = Object.keys(modules);
  const documented = new Map(
    [...documentedTable()].map(([module, allowed]) => [
      module,
      allowed[0] === '*' ? all.filter((m) => m !== module && !allowed.includes(m)) : allowed,
    ]),
  );
  expect([...documented.keys()].sort()).toEqual([...all].sort());
  for (const module of all) {
    expect([...documented.get(module)!].sort(), module).toEqual([...modules[module]!].sort());
  }
});

it('every table has an owner, and ARCHITECTURE.md names the owners eslint/tables.js enforces', async () => {
  const url = pathToFileURL(path.join(repo, 'eslint/tables.js')).href;
  const { tableOwners } = (await import(url)) as {
    tableOwners: Record<string, readonly string[]>;
  };
  const schema = readFileSync(path.join(repo, 'src/store/database.ts'), 'utf8');
  const body = /export interface Database \{([^}]*)\}/.exec(schema)?.[1] ?? '';
  const tables = [...body.matchAll(/^\s*(\w+):/gm)].map((m) => m[1]!);
  expect(tables.length).toBeGreaterThan(20);
  expect(Object.keys(tableOwners).sort()).toEqual([...tables].sort());

  const text = readFileSync(path.join(repo, 'ARCHITECTURE.md'), 'utf8');
  const start = text.search(/^\| module +\| owns +\|$/m);
  expect(start, 'the "owns" table in ARCHITECTURE.md').toBeGreaterThan(-1);
  const documented = new Map<string, string[]>();
  for (const row of text.slice(start).split('\n\n')[0]!.split('\n').slice(2)) {
    const [module, cell] = row
      .split('|')
      .slice(1, 3)
      .map((c) => c.trim());
    const names = [...cell!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    documented.set(module!.replaceAll('`', ''), names.sort());
  }
  const enforced = new Map<string, string[]>();
  for (const [table, owners] of Object.entries(tableOwners)) {
    for (const owner of owners) enforced.set(owner, [...(enforced.get(owner) ?? []), table]);
  }
  expect(new Map([...enforced].map(([m, t]) => [m, t.sort()]))).toEqual(documented);
});
