import { mkdirSync, writeFileSync } from 'node:fs';

/** Writes bench/results/<name>.json and prints the one-line summary. */
export function report(name: string, result: Record<string, unknown>, summary: string): void {
  const dir = new URL('./results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}.json`, dir);
  writeFileSync(
    file,
    `${JSON.stringify({ name, at: new Date().toISOString(), ...result }, null, 2)}\n`,
  );
  console.log(summary);
}
