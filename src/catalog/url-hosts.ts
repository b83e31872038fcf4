import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../store/index.js';

const hostOf = (url: string): string | null => {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.hostname.replace(/\.$/, '') : null;
  } catch {
    return null;
  }
};

/**
 * Whether a live item of the workspace's catalog has a URL on `host` (a lower-case host
 * name, as `new URL().hostname` gives it). The prefix LIKE only narrows the rows (no
 * index serves it: it reads the workspace's items); the URL parser decides, so
 * `https://host.evil.test/` or `https://host@evil.test/` never count for `host`. Only a
 * few candidates are parsed: a miss errs towards "no".
 */
export async function catalogHasUrlHost(
  db: Kysely<Database>,
  workspaceId: string,
  host: string,
): Promise<boolean> {
  const wanted = host.toLowerCase();
  const escaped = wanted.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await db
    .selectFrom('catalog_items')
    .select('url')
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where(
      sql<SqlBool>`(lower(url) LIKE ${`http://${escaped}%`} ESCAPE '\\' OR lower(url) LIKE ${`https://${escaped}%`} ESCAPE '\\')`,
    )
    .limit(20)
    .execute();
  return rows.some((r) => r.url !== null && hostOf(r.url) === wanted);
}
