import { AppError } from '../shared/index.js';

/** Prints an error the way a person can act on it, and exits non-zero. */
export function fail(error: unknown): never {
  if (error instanceof AppError) {
    process.stderr.write(`rapport: ${error.message}\n`);
    for (const d of error.details.slice(1)) {
      process.stderr.write(`  ${d.path}: ${d.problem}\n`);
    }
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`rapport: ${message}\n`);
  if (/ECONNREFUSED|ENOTFOUND/.test(message)) {
    process.stderr.write('  Is the PostgreSQL server in DATABASE_URL running and reachable?\n');
  }
  process.exit(1);
}

/** Prints rows as columns two spaces apart, the first row being the headings. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    process.stdout.write(
      `${r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
}
