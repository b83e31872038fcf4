import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { MigrationContext } from '../migration-context.js';

/**
 * A stored consents document, as 0006 wrote them; only what the back-fill reads. Frozen
 * here rather than imported: later schemas may change, this migration may not. A
 * document that does not fit moves no statements, as one that is not JSON.
 */
const Entry = z.object({ state: z.string(), source: z.string(), at: z.number() });
type Entry = z.infer<typeof Entry>;
const ConsentsDoc = z.object({
  channels: z.record(z.string(), Entry).optional(),
  topics: z.record(z.string(), Entry).optional(),
  personalization: Entry.optional(),
});

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  // Every consent statement, about a person (`profile:<id>`) or about an address
  // (`email:<address>`), kept so the effective consent can be folded from the history in
  // any arrival order (privacy foldStatements). `consents` stays as each person's folded
  // result.
  await ctx
    .idColumn(db.schema.createTable('consent_statements'))
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    // The profile that made the statement, kept when merges move it to another subject.
    .addColumn('origin_profile_id', 'text')
    .execute();
  await db.schema
    .createIndex('consent_statements_subject')
    .on('consent_statements')
    .columns(['workspace_id', 'subject', 'target'])
    .execute();

  // The consents recorded so far become each person's first statements; their e-mail
  // "no"s also become statements about their addresses.
  const { rows } = await sql<{
    workspace_id: string;
    profile_id: string;
    consents: string;
    updated_at: number | string;
  }>`SELECT workspace_id, profile_id, consents, updated_at FROM consents`.execute(db);
  for (const row of rows) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.consents);
    } catch {
      continue;
    }
    const decoded = ConsentsDoc.safeParse(parsed);
    if (!decoded.success) continue;
    const doc = decoded.data;
    const entries: [string, Entry][] = [
      ...Object.entries(doc.channels ?? {}).map(([c, e]): [string, Entry] => [`channel:${c}`, e]),
      ...Object.entries(doc.topics ?? {}).map(([t, e]): [string, Entry] => [`topic:${t}`, e]),
      ...(doc.personalization ? [['personalization', doc.personalization] as [string, Entry]] : []),
    ];
    const addresses =
      doc.channels?.email?.state === 'denied'
        ? (
            await sql<{ value: string }>`SELECT value FROM identities
              WHERE workspace_id = ${row.workspace_id} AND profile_id = ${row.profile_id}
              AND kind = 'email'`.execute(db)
          ).rows.map((r) => r.value)
        : [];
    const subjects = [`profile:${row.profile_id}`];
    for (const [target, e] of entries) {
      const about =
        target === 'channel:email' && e.state === 'denied'
          ? [...subjects, ...addresses.map((a) => `email:${a.trim().toLowerCase()}`)]
          : subjects;
      for (const subject of about) {
        await sql`INSERT INTO consent_statements
          (workspace_id, subject, target, state, source, at, recorded_at, origin_profile_id)
          VALUES (${row.workspace_id}, ${subject}, ${target}, ${e.state}, ${e.source}, ${e.at},
          ${Number(row.updated_at)}, ${row.profile_id})`.execute(db);
      }
    }
  }
}
