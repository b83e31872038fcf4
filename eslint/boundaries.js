// @ts-check
/**
 * The module boundaries that lint enforces, built from the folders of `src/` when the
 * config loads. ARCHITECTURE.md's module table states the same thing in prose; this
 * file is the one that is checked. `test/lint/boundaries.test.ts` lints probe files
 * against these rules, so a rule that stops firing fails the tests.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import { modules } from './modules.js';
import { tableOwnership } from './tables.js';

/** Pure cores besides every `<module>/core`: plain data in, plain data out. */
const otherPureCores = ['profiles/computed', 'privacy'];

/**
 * What a pure core may not import even though it is not a project module: the
 * file system, the network, processes, threads, databases, mail, logs. Hashing
 * (`node:crypto`) stays allowed; tests beside a core may read fixture files.
 */
const ioBuiltins =
  'fs|fs/promises|net|http|https|http2|tls|dgram|dns|child_process|cluster|worker_threads|readline';
const ioLibraries = ['kysely', 'better-sqlite3', 'pg', 'fastify', 'nodemailer', 'web-push', 'pino'];

/**
 * Reads the module list from `src/` and checks it against the table: a folder the
 * table does not know fails loudly, so a new module is never silently unchecked.
 * @param {string} srcDir
 * @returns {string[]}
 */
export function readModules(srcDir) {
  const entries = readdirSync(srcDir, { withFileTypes: true });
  const loose = entries.filter((e) => !e.isDirectory()).map((e) => e.name);
  if (loose.length > 0) {
    throw new Error(
      `${srcDir}: ${loose.join(', ')} must live inside a module folder: files directly in src/ belong to no module.`,
    );
  }
  assertLayered(modules);
  const names = entries.map((e) => e.name).sort();
  const unknown = names.filter((n) => !Object.hasOwn(modules, n));
  if (unknown.length > 0) {
    throw new Error(
      `src/${unknown.join('/, src/')}/ not in the module table (eslint/modules.js): ` +
        'add a row saying which modules it may import, and the same to ARCHITECTURE.md.',
    );
  }
  return names;
}

/**
 * The boundary rules for the project whose root is `root` (its code in `root/src`).
 * Returns flat-config objects for `.ts` files; the caller supplies the parser.
 * @param {string} root
 * @returns {import('eslint').Linter.Config[]}
 */
export function boundaries(root) {
  const src = path.join(root, 'src');
  const names = readModules(src);
  const dir = (/** @type {string} */ m) => path.join(src, m);
  const see = 'see ARCHITECTURE.md, "Modules".';

  /** @type {{ target: string | string[]; from: string; except?: string[]; message: string }[]} */
  const zones = [];
  for (const importer of names) {
    const allowed = new Set(modules[importer]);
    for (const other of names) {
      if (other === importer || allowed.has(other)) continue;
      zones.push({
        target: dir(importer),
        from: dir(other),
        message: `${importer} may not import ${other}: ${see}`,
      });
    }
  }
  for (const owner of names) {
    const others = names.filter((n) => n !== owner).map(dir);
    if (others.length === 0) continue;
    zones.push({
      target: others,
      from: dir(owner),
      except: ['./index.ts'],
      message: `Import ${owner} through its index.ts: its other files are private to it.`,
    });
  }
  const cores = [...names.map((m) => `${m}/core`), ...otherPureCores].filter((c) =>
    isDirectory(path.join(src, c)),
  );
  for (const core of cores) {
    // A core that is a whole module (privacy) is already held to `shared` by the table.
    if (!core.includes('/')) continue;
    zones.push({
      target: path.join(src, core),
      from: src,
      except: [`./${core}`, './shared'],
      message: `${core} is a pure core: it imports only shared and its own files; ${see}`,
    });
  }

  return [
    ...tableOwnership(names),
    {
      files: ['**/*.ts'],
      plugins: { 'import-x': importX },
      settings: {
        'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
        'import-x/external-module-folders': ['node_modules'],
        // We write `./x.js` for `./x.ts` (NodeNext); without the alias nothing resolves,
        // and no-cycle and no-restricted-paths silently pass every file.
        'import-x/resolver-next': [
          createNodeResolver({
            extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.node'],
            extensionAlias: { '.js': ['.ts', '.js'] },
            conditionNames: ['node', 'import', 'default'],
          }),
        ],
      },
      rules: {
        // An import that does not resolve is invisible to the rules below: fail it.
        'import-x/no-unresolved': 'error',
        'import-x/no-cycle': ['error', { ignoreExternal: true }],
      },
    },
    {
      files: ['src/**/*.ts'],
      rules: { 'import-x/no-restricted-paths': ['error', { basePath: root, zones }] },
    },
    {
      files: ['src/**/*.ts', 'test/**/*.ts'],
      rules: {
        // Counted like `wc -l`, blank lines and comments included: they are read too,
        // and the count is the one anybody can check without ESLint.
        'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      },
    },
    {
      files: cores.map((c) => `src/${c}/**/*.ts`),
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: ioLibraries.map((name) => ({
              name,
              message: `A pure core does no I/O: take what ${name} gives as a parameter; ${see}`,
            })),
            patterns: [
              {
                regex: `^(node:)?(${ioBuiltins})$`,
                message: `A pure core does no I/O: take the data as a parameter; ${see}`,
              },
            ],
          },
        ],
      },
    },
  ];
}

/**
 * The table itself must not allow a cycle between modules, or the layers mean nothing.
 * @param {Readonly<Record<string, readonly string[]>>} table
 */
function assertLayered(table) {
  /** @type {Map<string, 'visiting' | 'done'>} */
  const state = new Map();
  /** @param {string} m @param {string[]} trail */
  const visit = (m, trail) => {
    if (state.get(m) === 'done') return;
    if (state.get(m) === 'visiting') {
      throw new Error(`eslint/modules.js allows a cycle: ${[...trail, m].join(' -> ')}`);
    }
    state.set(m, 'visiting');
    for (const dep of table[m] ?? []) visit(dep, [...trail, m]);
    state.set(m, 'done');
  };
  for (const m of Object.keys(table)) visit(m, []);
}

/** @param {string} p */
function isDirectory(p) {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
