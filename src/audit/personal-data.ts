import { sql, type Kysely } from 'kysely';
import { identifierValues, type PersonRef, type Removed } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** What an erased person's identifiers become in the audit log. */
export const ERASED = '[erased]';

/** `value` as it appears inside JSON text (quotes and backslashes escaped). */
const inJson = (value: string) => JSON.stringify(value).slice(1, -1);
const like = (value: string) => `%${inJson(value).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function naming(db: Kysely<Database>, person: PersonRef, values: readonly string[]) {
  return db
    .selectFrom('audit_log')
    .where('workspace_id', '=', person.workspaceId)
    .where((eb) =>
      eb.or([
        eb('target_id', 'in', [...values, ...person.profileIds]),
        ...values.flatMap((v) => [
          sql<boolean>`${sql.ref('before')} LIKE ${like(v)} ESCAPE '\\'`,
          sql<boolean>`${sql.ref('after')} LIKE ${like(v)} ESCAPE '\\'`,
        ]),
      ]),
    );
}

/** The audit entries about the person (admin actions on their profile or consent). */
export async function exportPersonAudit(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Record<string, unknown>> {
  const rows = await naming(db, person, identifierValues(person))
    .select(['id', 'at', 'action', 'target_kind', 'target_id'])
    .orderBy('id')
    .execute();
  return {
    auditEntries: rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      action: r.action,
      target: { kind: r.target_kind, id: r.target_id },
    })),
  };
}

function scrub(text: string | null, values: readonly string[]): string | null {
  if (text === null) return null;
  let out = text;
  for (const v of values) out = out.split(inJson(v)).join(ERASED);
  return out;
}

/**
 * The audit log is append-only for the API, but it may not keep what erasure removes:
 * entries naming the person keep their action, time and key, with each of the person's
 * identifiers (and profile ids) replaced by "[erased]" wherever they appear.
 */
export async function erasePersonAudit(
  db: Kysely<Database>,
  person: PersonRef,
  limit: number,
): Promise<Removed> {
  const values = [...identifierValues(person), ...person.profileIds];
  const rows = await naming(db, person, identifierValues(person))
    .select(['id', 'target_id', 'before', 'after'])
    .orderBy('id')
    .limit(limit)
    .execute();
  for (const r of rows) {
    await db
      .updateTable('audit_log')
      .set({
        target_id: values.includes(r.target_id) ? ERASED : scrub(r.target_id, values)!,
        before: scrub(r.before, values),
        after: scrub(r.after, values),
      })
      .where('id', '=', r.id)
      .execute();
  }
  return { audit_log: rows.length };
}
