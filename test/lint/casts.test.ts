import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/**
 * Stored JSON is decoded through its schema or a typed decoder, never cast, and a double
 * cast (`as unknown as`) stays only where a `// Cast:` comment right above says why it is
 * safe. These keep `src/` that way.
 */

const src = fileURLToPath(new URL('../../src', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const files = sourceFiles(src).map((file) => ({
  name: path.relative(src, file),
  lines: readFileSync(file, 'utf8').split('\n'),
}));

it('explains every `as unknown as` in src/ with a `// Cast:` comment right above', () => {
  const unexplained: string[] = [];
  for (const { name, lines } of files) {
    lines.forEach((line, i) => {
      if (!line.includes('as unknown as')) return;
      // The comment block directly above the line (a comment may run over lines).
      let j = i - 1;
      while (j >= 0 && lines[j]!.trim().startsWith('//') && !lines[j]!.includes('// Cast:')) j--;
      if (j < 0 || !lines[j]!.trim().startsWith('// Cast:')) unexplained.push(`${name}:${i + 1}`);
    });
  }
  expect(unexplained).toEqual([]);
});

// Reading package.json's version is not stored data.
const PARSE_CAST_ALLOWED = new Set(['shared/version.ts']);

it('casts the result of no JSON.parse in src/ (tests aside): stored JSON goes through a decoder', () => {
  const casts = files.flatMap(({ name, lines }) =>
    PARSE_CAST_ALLOWED.has(name) || name.endsWith('.test.ts')
      ? []
      : lines.flatMap((line, i) =>
          /JSON\.parse\(.*\)\s+as\s+(?!unknown\b)/.test(line) ? [`${name}:${i + 1}`] : [],
        ),
  );
  expect(casts).toEqual([]);
});
