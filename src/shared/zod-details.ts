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

/** Stored JSON after decoding: the value, or what is wrong with it (`path: problem`). */
export type Decoded<T> = { kind: 'ok'; value: T } | { kind: 'corrupt'; problem: string };

/**
 * Decodes stored JSON text through the schema of its shape. Never throws: text that is
 * not JSON, or JSON that does not fit, comes back as `corrupt` with the first problem
 * and its path, and the caller applies its own rule for a corrupt row.
 *
 * @example
 * const run = decodeJson(RunState, row.state);
 * if (run.kind === 'corrupt') return endUnreadable(row, run.problem);
 */
export function decodeJson<S extends z.ZodType>(schema: S, text: string): Decoded<z.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { kind: 'corrupt', problem: `not JSON (${reason})` };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { kind: 'ok', value: parsed.data };
  return { kind: 'corrupt', problem: firstProblem(parsed.error) };
}

/** The first issue of a zod error as `path: problem` (just the problem at the top). */
export function firstProblem(error: z.ZodError): string {
  const [first] = zodDetails(error);
  if (!first) return 'does not match its schema';
  return first.path ? `${first.path}: ${first.problem}` : first.problem;
}
