import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Ready-made journeys are "recipes"; "template" means a message template everywhere.
  await sql`ALTER TABLE journeys RENAME COLUMN template TO recipe`.execute(db);
}
