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
