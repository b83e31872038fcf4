const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : null;

/**
 * A person's name from their stated traits, as Segment's identify spec names it: `name`,
 * else `first_name`/`last_name` (or `firstName`/`lastName`) joined; null when none.
 *
 * @example personName({ first_name: 'Ada', last_name: 'Lovelace' }) // 'Ada Lovelace'
 */
export function personName(traits: Record<string, unknown>): string | null {
  const full = text(traits.name);
  if (full) return full;
  const parts = [
    text(traits.first_name) ?? text(traits.firstName),
    text(traits.last_name) ?? text(traits.lastName),
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' ') : null;
}

/** Lower-cased words of a name, accents kept: what a name search compares against. */
export function nameWords(name: string): string[] {
  return name
    .toLocaleLowerCase('en')
    .split(/[\s,.'’-]+/)
    .filter((w) => w !== '');
}

/**
 * Whether every word of the query starts a word of the name, in any order: "ada" and
 * "love ada" find "Ada Lovelace"; "lace" does not.
 */
export function nameMatches(name: string, query: string): boolean {
  const words = nameWords(name);
  const wanted = nameWords(query);
  return wanted.length > 0 && wanted.every((q) => words.some((w) => w.startsWith(q)));
}
