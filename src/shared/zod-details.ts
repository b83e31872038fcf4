import type { z } from 'zod';
import type { ErrorDetail } from './errors.js';

/** Turns zod issues into `{path, problem}` details with dotted paths. */
export function zodDetails(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.'),
    problem: issue.message,
  }));
}
