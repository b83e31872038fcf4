import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';

/** A message that went out, as the measurement scorecards read it. */
export interface SentMessage {
  id: string;
  profileId: string;
  journeyId: string | null;
  channel: string;
  sentAt: number;
  /** Rendered with the person's data (personalization allowed). */
  personalized: boolean;
  /** Kinds of the blocks its template used: `recommend`, `offer`. */
  blockKinds: string[];
  /** Its step asked for the person's best send hour. */
  sendTimeOptimized: boolean;
  /** The first open or click; null when the person did neither. */
  engagedAt: number | null;
}

const SENT = ['sent', 'delivered', 'opened', 'clicked'];

function readPayload(text: string) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const o = typeof value === 'object' && value !== null ? value : {};
  const personalized = 'personalized' in o && o.personalized === true;
  const blocks: unknown[] = 'blocks' in o && Array.isArray(o.blocks) ? o.blocks : [];
  const blockKinds = blocks.flatMap((b) =>
    typeof b === 'object' && b !== null && 'kind' in b && typeof b.kind === 'string'
      ? [b.kind]
      : [],
  );
  const timing = 'timing' in o && typeof o.timing === 'object' && o.timing !== null ? o.timing : {};
  const sendTimeOptimized = 'bestHourWithin' in timing && typeof timing.bestHourWithin === 'string';
  return { personalized, blockKinds, sendTimeOptimized };
}

/** A workspace's messages sent in `[from, to)`, with their first engagement. */
export async function sentMessagesBetween(
  db: Kysely<Database>,
  workspaceId: string,
  from: number,
  to: number,
): Promise<SentMessage[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'profile_id', 'journey_id', 'channel', 'sent_at', 'payload'])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'send')
    .where('status', 'in', SENT)
    .where('sent_at', '>=', from)
    .where('sent_at', '<', to)
    .orderBy('sent_at')
    .execute();
  const engaged = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 500) {
    const ids = rows.slice(i, i + 500).map((r) => r.id);
    const events = await db
      .selectFrom('message_events')
      .select((eb) => ['message_id', eb.fn.min<number | string>('at').as('at')])
      .where('message_id', 'in', ids)
      .where('status', 'in', ['opened', 'clicked'])
      .groupBy('message_id')
      .execute();
    for (const e of events) engaged.set(e.message_id, Number(e.at));
  }
  return rows.map((r) => ({
    id: r.id,
    profileId: r.profile_id,
    journeyId: r.journey_id,
    channel: r.channel,
    sentAt: r.sent_at ?? 0,
    ...readPayload(r.payload),
    engagedAt: engaged.get(r.id) ?? null,
  }));
}
