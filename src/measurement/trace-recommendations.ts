// Recommendations in the trace: those rendered into a message (its payload keeps the
// blocks it showed) and those served over HTTP (recommendation_exposures), each with
// the strategy and the reason of every item.

import type { MessageOut } from '../messaging/index.js';
import type { ExtraTraceEntry } from './core/trace/trace-entry.js';
import type { RecommendationExposure } from './recommendation-exposures.js';

const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown) => (typeof v === 'string' ? v : null);

interface Item {
  itemId: string;
  title: string | null;
  strategy: string | null;
  reason: string | null;
  reasonCode: string | null;
}

function describe(items: readonly Item[]): string {
  return items.map((i) => `"${i.title ?? i.itemId}"${i.reason ? ` (${i.reason})` : ''}`).join(', ');
}

/** One entry per `{% recommend %}` block a sent message showed, caused by the message. */
export function messageRecommendations(m: MessageOut): ExtraTraceEntry[] {
  const payload = obj(m.payload);
  const blocks = Array.isArray(payload.blocks) ? payload.blocks : [];
  const sent = m.history.find((h) => h.status === 'sent');
  const at = Date.parse(sent?.at ?? m.createdAt);
  const out: ExtraTraceEntry[] = [];
  blocks.forEach((b, n) => {
    const block = obj(b);
    if (block.kind !== 'recommend') return;
    const request = obj(block.request);
    const items: Item[] = (Array.isArray(block.items) ? block.items : []).map((x) => {
      const i = obj(x);
      return {
        itemId: str(i.id) ?? '',
        title: str(i.title),
        strategy: str(i.strategy),
        reason: str(i.reason),
        reasonCode: str(i.reason_code),
      };
    });
    const asked = str(request.strategy) ?? 'auto';
    out.push({
      id: `message:${m.id}:recommend:${n}`,
      at,
      kind: 'recommendation',
      summary:
        items.length === 0
          ? `The message asked for "${asked}" recommendations and showed none.`
          : `The message recommended ${describe(items)}, asked for "${asked}".`,
      causeId: `message:${m.id}`,
      refs: {
        messageId: m.id,
        ...(m.journeyId ? { journeyId: m.journeyId } : {}),
        ...(m.runId ? { runId: m.runId } : {}),
        ...(m.stepId ? { stepId: m.stepId } : {}),
      },
      detail: { source: 'message', request, personalized: request.personalized, items },
    });
  });
  return out;
}

/** One entry per recorded HTTP answer (GET /v1/recommendations) for the person. */
export function servedRecommendations(
  exposures: readonly RecommendationExposure[],
): ExtraTraceEntry[] {
  return exposures.map((e) => {
    const items: Item[] = e.items.map((i) => ({
      itemId: i.itemId,
      title: i.title ?? null,
      strategy: i.strategy,
      reason: i.reason.text,
      reasonCode: i.reason.code,
    }));
    return {
      id: `recommendations:${e.id}`,
      at: e.servedAt,
      kind: 'recommendation',
      summary:
        items.length === 0
          ? 'Asked for recommendations (GET /v1/recommendations); none were shown.'
          : `Recommended ${describe(items)} (GET /v1/recommendations).`,
      causeId: null,
      detail: { source: e.source, request: e.request, items },
    };
  });
}
