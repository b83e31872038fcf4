import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/**
 * Read-only access to the secrets that sign links in messages (unsubscribe, preference
 * center, tracking), for the public routes that verify them. Unlike
 * {@link workspaceSecrets} it never creates one: a link can only have been signed with a
 * secret that already exists, so a token naming a workspace without one is as false as
 * a bad signature, and a flood of forged tokens costs reads, never rows.
 *
 * Secrets found are kept in memory (they never change once written), so genuine links
 * cost no query. A miss is not remembered: the first message a workspace sends creates
 * its secret, possibly in another process, and its links must work at once. Only real
 * secrets enter the map, so forged workspace names cannot grow it.
 */
export class LinkSecrets {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly max = 10_000,
  ) {}

  /** The workspace's link secret, or null when it has none (or does not exist). */
  async get(workspaceId: string): Promise<string | null> {
    const hit = this.known.get(workspaceId);
    if (hit !== undefined) return hit;
    const row = await this.db
      .selectFrom('workspace_secrets')
      .select('value')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', 'link')
      .executeTakeFirst();
    if (!row) return null;
    if (this.known.size >= this.max) this.known.clear();
    this.known.set(workspaceId, row.value);
    return row.value;
  }
}
