import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

/**
 * A module's `index.ts` is its public face: it exports what other modules import and no
 * more, so everything else can change without anyone outside noticing. ESLint cannot
 * check this (its unused-exports rule is a no-op on ESLint 10), so this test parses the
 * sources and compares. Files in test/, bench/ and scripts/ import internals directly.
 */

const repo = fileURLToPath(new URL('../..', import.meta.url));
const src = path.join(repo, 'src');

/** Reached without naming the export: `recommend/train-worker-entry.ts` imports the store dynamically. */
const usedDynamically = new Set(['store:openStoreAt']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const parse = (file: string) =>
  ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

const hasExport = (node: ts.Node) =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names an index exports; `export *` is refused, since it exports whatever appears. */
function exportsOf(index: ts.SourceFile): { names: Set<string>; stars: string[] } {
  const names = new Set<string>();
  const stars: string[] = [];
  for (const node of index.statements) {
    if (ts.isExportDeclaration(node)) {
      if (!node.exportClause) stars.push(node.moduleSpecifier?.getText() ?? '?');
      else if (ts.isNamedExports(node.exportClause)) {
        for (const el of node.exportClause.elements) names.add(el.name.text);
      } else stars.push(node.exportClause.name.text);
    } else if (hasExport(node)) {
      if (ts.isVariableStatement(node)) {
        for (const d of node.declarationList.declarations) names.add(d.name.getText());
      } else if ('name' in node && node.name && ts.isIdentifier(node.name as ts.Node)) {
        names.add((node.name as ts.Identifier).text);
      }
    }
  }
  return { names, stars };
}

/** `module:name` for every name a file imports from another module's index. */
function importsOf(file: string, moduleOf: (abs: string) => string | undefined): string[] {
  const own = path.relative(src, file).split(path.sep)[0];
  const found: string[] = [];
  const target = (spec: string) => {
    if (!spec.startsWith('.')) return undefined;
    const abs = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
    const m = moduleOf(abs);
    return m && m !== own ? m : undefined;
  };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const m = target(node.moduleSpecifier.text);
      if (m) {
        const named = ts.isImportDeclaration(node)
          ? node.importClause?.namedBindings
          : node.exportClause;
        if (named && (ts.isNamedImports(named) || ts.isNamedExports(named))) {
          for (const el of named.elements) found.push(`${m}:${(el.propertyName ?? el.name).text}`);
        }
      }
    }
    if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      const m = ts.isStringLiteral(lit) ? target(lit.text) : undefined;
      if (m && node.qualifier) found.push(`${m}:${node.qualifier.getText().split('.')[0]}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(parse(file));
  return found;
}

it("each module's index.ts exports exactly what other modules import", () => {
  const modules = readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  const indexes = new Map(
    modules
      .map((m) => [path.join(src, m, 'index.ts'), m] as const)
      .filter(([file]) => sourceFiles(path.dirname(file)).includes(file)),
  );
  expect(indexes.size).toBeGreaterThan(10);

  const used = new Set(usedDynamically);
  for (const file of sourceFiles(src)) {
    for (const name of importsOf(file, (abs) => indexes.get(abs))) used.add(name);
  }

  const unused: string[] = [];
  const missing: string[] = [];
  for (const [file, m] of indexes) {
    const { names, stars } = exportsOf(parse(file));
    expect(stars, `${m}/index.ts re-exports with *`).toEqual([]);
    for (const name of names) if (!used.has(`${m}:${name}`)) unused.push(`${m}:${name}`);
  }
  for (const key of used) {
    const [m, name] = key.split(':') as [string, string];
    const file = [...indexes].find(([, mod]) => mod === m)?.[0];
    if (file && !exportsOf(parse(file)).names.has(name)) missing.push(key);
  }
  // An export nobody outside imports belongs to the module's own files, not its face.
  expect(unused, 'exported by an index.ts but imported by no other module').toEqual([]);
  expect(missing, 'imported from an index.ts that does not export it').toEqual([]);
});

it("no module's file imports its own index.ts", () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(src)) {
    const own = path.relative(src, file).split(path.sep)[0]!;
    const ownIndex = path.join(src, own, 'index.ts');
    if (file === ownIndex) continue;
    for (const node of parse(file).statements) {
      if (
        (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
        node.moduleSpecifier &&
        ts.isStringLiteral(node.moduleSpecifier) &&
        node.moduleSpecifier.text.startsWith('.') &&
        path.resolve(path.dirname(file), node.moduleSpecifier.text).replace(/\.js$/, '.ts') ===
          ownIndex
      ) {
        offenders.push(path.relative(repo, file));
      }
    }
  }
  expect(offenders).toEqual([]);
});
