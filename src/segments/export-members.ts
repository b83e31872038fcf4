import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  deriveTraits,
  identitiesOf,
  liveFactsOf,
  personName,
  type WorkspaceModel,
} from '../profiles/index.js';
import { csvLine, NotFoundError } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** Members read per query: one page's facts are in memory at a time, never the segment. */
const PAGE = 500;

export const MembersCsvQuery = z.object({
  /** Rows at most; the export stops there (the `x-rapport-row-limit` header says so). */
  limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
});
export type MembersCsvQuery = z.infer<typeof MembersCsvQuery>;

export const MEMBER_CSV_COLUMNS = [
  'profile_id',
  'user_id',
  'email',
  'name',
  'order_count',
  'revenue',
  'last_order_at',
  'lifecycle',
  'last_seen',
  'member_since',
] as const;

const iso = (ms: number | null | undefined) =>
  typeof ms === 'number' ? new Date(ms).toISOString() : null;

/** Fails with 404 before any byte of an export is sent: a missing segment is not an empty file. */
export async function assertSegmentExists(
  db: Kysely<Database>,
  workspaceId: string,
  segmentId: string,
): Promise<void> {
  const row = await db
    .selectFrom('segments')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', segmentId)
    .executeTakeFirst();
  if (!row) throw new NotFoundError(`No segment "${segmentId}".`);
}

/**
 * A segment's members as CSV lines (header first), read in pages of 500 by profile id so
 * a segment of millions streams in constant memory. Computed traits are derived as of
 * `now`, as the profile API shows them. Cells are quoted and defused (`csvLine`).
 */
export async function* membersCsv(
  db: Kysely<Database>,
  workspaceId: string,
  segmentId: string,
  options: { limit: number; now: number; model: WorkspaceModel },
): AsyncGenerator<string> {
  yield csvLine(MEMBER_CSV_COLUMNS);
  let cursor: string | null = null;
  let written = 0;
  while (written < options.limit) {
    let q = db
      .selectFrom('segment_members')
      .select(['profile_id', 'since'])
      .where('workspace_id', '=', workspaceId)
      .where('segment_id', '=', segmentId);
    if (cursor !== null) q = q.where('profile_id', '>', cursor);
    const wanted = Math.min(PAGE, options.limit - written);
    const page = await q.orderBy('profile_id').limit(wanted).execute();
    if (page.length === 0) return;
    const ids = page.map((m) => m.profile_id);
    const [facts, identities] = await Promise.all([
      liveFactsOf(db, ids),
      identitiesOf(db, workspaceId, ids),
    ]);
    let chunk = '';
    for (const member of page) {
      const f = facts.get(member.profile_id);
      if (!f) continue; // merged away since: its winner is a member in its own right
      const { traits, ...computed } = deriveTraits(f, options.now, options.model);
      const known = identities.get(member.profile_id) ?? [];
      const first = (kind: string) => known.find((i) => i.kind === kind)?.value ?? null;
      const email = first('email') ?? (typeof traits.email === 'string' ? traits.email : null);
      chunk += csvLine([
        member.profile_id,
        first('user_id'),
        email,
        personName(traits),
        computed.order_count,
        computed.revenue,
        iso(computed.last_order_at),
        computed.lifecycle,
        iso(computed.last_seen),
        iso(member.since),
      ]);
      written++;
    }
    yield chunk;
    cursor = page[page.length - 1]!.profile_id;
    if (page.length < wanted) return;
  }
}
