import { describe, expect, it } from 'vitest';
import { ProfileFacts, emptyFacts } from './facts-schema.js';
import { factsShapeProblem } from './facts-shape.js';

/** Every field down to the second level, as a path: what the shape check covers. */
function fieldPaths(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, v]) =>
    prefix === '' && typeof v === 'object' && v !== null && !Array.isArray(v)
      ? [key, ...fieldPaths(v as Record<string, unknown>, `${key}.`)]
      : [`${prefix}${key}`],
  );
}

function withField(path: string, value: unknown): Record<string, unknown> {
  const facts: Record<string, unknown> = emptyFacts();
  const [top = '', inner] = path.split('.');
  if (inner === undefined) facts[top] = value;
  else facts[top] = { ...(facts[top] as Record<string, unknown>), [inner]: value };
  return facts;
}

describe('factsShapeProblem', () => {
  it('accepts what the fold writes', () => {
    expect(factsShapeProblem(emptyFacts())).toBeNull();
    expect(factsShapeProblem(JSON.parse(JSON.stringify(emptyFacts())))).toBeNull();
  });

  it.each([null, [], 'facts', 1])('refuses %j at the top', (value) => {
    expect(factsShapeProblem(value)).toBe('not an object');
  });

  it('refuses another version', () => {
    expect(factsShapeProblem({ ...emptyFacts(), version: 2 })).toBe('version: must be 1');
  });

  // Each field given a value of the wrong kind is refused by the schema and named by the
  // check: the cheap decoder agrees with ProfileFacts on the shape it checks.
  it.each(fieldPaths(emptyFacts()).filter((p) => p !== 'version'))(
    'names %s when it has the wrong kind',
    (path) => {
      const broken = withField(path, 'text');
      expect(ProfileFacts.safeParse(broken).success).toBe(false);
      expect(factsShapeProblem(broken)).toMatch(
        new RegExp(`^${path.replace('.', '\\.')}: must be`),
      );
    },
  );
});
