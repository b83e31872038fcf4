// `npm run bench -- <name> [args]` runs bench/<name>.ts; with no name, lists them.
// Each benchmark measures Rapport and its reference side by side in one run, writes
// bench/results/<name>.json and prints a one-line summary.
import { readdirSync } from 'node:fs';

const here = new URL('.', import.meta.url);
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !['run.ts'].includes(f) && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(
    `${name ? `Unknown benchmark "${name}". ` : ''}Usage: npm run bench -- <name> [options]\n` +
      `Benchmarks: ${available.join(', ') || '(none yet)'}`,
  );
  process.exit(name ? 2 : 0);
}
const mod = (await import(new URL(`./${name}.ts`, here).href)) as {
  main(args: string[]): Promise<void>;
};
await mod.main(rest);
