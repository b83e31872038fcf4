import type { Kysely } from 'kysely';
import { oldestDueTimer } from '../journeys/index.js';
import { outboxBacklog } from '../messaging/index.js';
import { pipelineBacklog } from '../profiles/index.js';
import { oldestDueCheck } from '../segments/index.js';
import type { Backlog } from '../server/index.js';
import type { Database } from '../store/index.js';

/**
 * The whole store's backlog for `/metrics`: each owner's indexed query (the pending
 * events' partial index, the due indexes of the outbox, timers and checks), so it is
 * cheap and the same whichever process is scraped.
 */
export async function readBacklog(db: Kysely<Database>, now: number): Promise<Backlog> {
  const age = (since: number | null) => (since === null ? 0 : Math.max(0, now - since));
  const events = await pipelineBacklog(db);
  const outbox = await outboxBacklog(db, now);
  return {
    outbox: outbox.depth,
    pendingEvents: events.pending,
    lagMs: {
      profiles: age(events.oldestReceivedAt),
      outbox: age(outbox.oldestDueAt),
      journeys: age(await oldestDueTimer(db, now)),
      segments: age(await oldestDueCheck(db, now)),
    },
  };
}
