import type { ProfileFacts } from './computed/index.js';

/**
 * A person's stated traits and time zone straight from their facts, without deriving
 * every computed trait: what date triggers need for each of many people.
 */
export function statedTraits(facts: ProfileFacts): {
  traits: Record<string, unknown>;
  timezone: string | null;
} {
  const traits: Record<string, unknown> = {};
  for (const [key, stamped] of facts.traits) {
    if (stamped.value === null) continue;
    Object.defineProperty(traits, key, {
      value: stamped.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return { traits, timezone: facts.timezone?.value ?? null };
}
