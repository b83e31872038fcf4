import { z } from 'zod';

/**
 * One person as export and erasure see them: every profile id they were known by (the
 * live one and those merged into it), every identifier those profiles held, and their
 * e-mail addresses. Each module that keeps personal data exports an `exportPerson…` and
 * an `erasePerson…` taking this, for its own tables (docs/privacy.md).
 */
export const PersonRef = z.object({
  workspaceId: z.string(),
  profileIds: z.array(z.string()),
  identifiers: z.array(z.object({ kind: z.string(), value: z.string() })),
  emails: z.array(z.string()),
});
export type PersonRef = z.infer<typeof PersonRef>;

/** An erase step's answer: rows removed (or rewritten) by this call, per table. */
export type Removed = Record<string, number>;

/** Total rows of a step's answer: 0 means there was nothing left to do. */
export function removedCount(removed: Removed): number {
  let n = 0;
  for (const v of Object.values(removed)) n += v;
  return n;
}

/** The person's identifier values (user ids, anonymous ids, e-mails, phones), distinct. */
export function identifierValues(person: PersonRef): string[] {
  return [...new Set([...person.identifiers.map((i) => i.value), ...person.emails])];
}
