// One person's story in time order, each entry linked to its cause. Pure: the shell
// (../../trace.ts) reads the person's events, journey runs and messages through their
// owners' functions and hands them over as plain data.

import type { ExtraTraceEntry, TraceEntry, TraceKind } from './trace-entry.js';

export interface TraceEvent {
  readonly id: number;
  readonly messageId: string;
  readonly type: string;
  readonly event: string | null;
  readonly timestamp: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface TraceRun {
  readonly runId: string;
  readonly journeyId: string;
  readonly holdout: boolean;
  readonly status: string;
  readonly enteredAt: number;
  readonly endedAt: number | null;
  readonly endReason: string | null;
  readonly trigger: {
    readonly event: string;
    readonly timestamp: number;
    readonly messageId?: string | undefined;
  };
  readonly history: readonly {
    readonly stepId: string;
    readonly at: number;
    readonly outcome: string;
  }[];
}

export interface TraceMessage {
  readonly id: string;
  readonly journeyId: string | null;
  readonly runId: string | null;
  readonly stepId: string | null;
  readonly channel: string;
  readonly kind: string;
  readonly topic: string | null;
  readonly createdAt: number;
  readonly history: readonly {
    readonly status: string;
    readonly at: number;
    readonly detail: string | null;
  }[];
}

export interface TraceInputs {
  readonly events: readonly TraceEvent[];
  readonly runs: readonly TraceRun[];
  readonly messages: readonly TraceMessage[];
  /** Entries from other modules (decisions, recommendations): the extra-entries hook. */
  readonly extra?: readonly ExtraTraceEntry[];
}

const SEGMENT_ENTERED = 'Segment Entered';
const SEGMENT_EXITED = 'Segment Exited';
const ENGAGEMENT: Readonly<Record<string, string>> = {
  'Email Opened': 'opened',
  'Email Link Clicked': 'clicked',
};

interface Draft {
  id: string;
  at: number;
  kind: TraceKind;
  summary: string;
  causeId: string | null;
  refs: TraceEntry['refs'];
  detail: Record<string, unknown>;
}

const CALLS: Readonly<Record<string, string>> = {
  identify: 'Was identified (traits or identity sent).',
  page: 'Viewed a page.',
  screen: 'Viewed a screen.',
  group: 'Was added to a group.',
  alias: 'Had two identities linked (alias).',
};

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** A skip or a deferral names its gate in the reason: consent checks, or caps and quiet hours. */
function statusKind(status: string, detail: string | null): TraceKind {
  if (status === 'capped') return 'delivery_policy';
  const reason = detail ?? '';
  if (/quiet hours|quiet_hours|send hour|^cap /.test(reason)) return 'delivery_policy';
  if (status === 'skipped' || status === 'suppressed') {
    return /held.?out|holdout/.test(reason) ? 'message_status' : 'consent_check';
  }
  return 'message_status';
}

function eventEntries(events: readonly TraceEvent[], out: Draft[]): Map<string, string> {
  const byMessageId = new Map<string, string>();
  let lastOrdinary: TraceEvent | null = null;
  for (const e of [...events].sort((a, b) => a.id - b.id)) {
    const id = `event:${e.id}`;
    byMessageId.set(e.messageId, id);
    const segmentId = str(e.properties.segment_id);
    if (e.event === SEGMENT_ENTERED || e.event === SEGMENT_EXITED) {
      const entered = e.event === SEGMENT_ENTERED;
      // The segments stage appends the transition right after the event it evaluated, so
      // the person's latest ordinary event up to then is what moved them (null: a
      // time-driven re-check, such as "no order for 30 days", did).
      const cause = lastOrdinary && lastOrdinary.timestamp <= e.timestamp ? lastOrdinary : null;
      out.push({
        id,
        at: e.timestamp,
        kind: entered ? 'segment_entered' : 'segment_exited',
        summary: `${entered ? 'Entered' : 'Left'} segment "${segmentId ?? '?'}"${
          cause ? ` after "${cause.event ?? cause.type}"` : ' on a scheduled re-check'
        }.`,
        causeId: cause ? `event:${cause.id}` : null,
        refs: { eventId: e.id, ...(segmentId ? { segmentId } : {}) },
        detail: {},
      });
      continue;
    }
    const engagement = e.event ? ENGAGEMENT[e.event] : undefined;
    const messageId = str(e.properties.message_id);
    if (engagement && messageId) {
      out.push({
        id,
        at: e.timestamp,
        kind: 'engagement',
        summary: `The person ${engagement} the ${str(e.properties.channel) ?? ''} message${
          str(e.properties.url) ? ` (link ${str(e.properties.url)})` : ''
        }.`.replace('the  message', 'the message'),
        causeId: `message:${messageId}`,
        refs: { eventId: e.id, messageId },
        detail: { event: e.event, status: engagement },
      });
      continue;
    }
    if (messageId) {
      // Recorded about a message (`Email Sent`, a bounce): the message is its cause.
      out.push({
        id,
        at: e.timestamp,
        kind: 'event',
        summary: `Recorded "${e.event ?? e.type}" for the message.`,
        causeId: `message:${messageId}`,
        refs: { eventId: e.id, messageId },
        detail: { type: e.type, ...(e.event ? { event: e.event } : {}) },
      });
      continue;
    }
    lastOrdinary = e;
    out.push({
      id,
      at: e.timestamp,
      kind: 'event',
      summary:
        e.type === 'track' ? `Did "${e.event}".` : (CALLS[e.type] ?? `Sent a ${e.type} call.`),
      causeId: null,
      refs: { eventId: e.id },
      detail: { type: e.type, ...(e.event ? { event: e.event } : {}) },
    });
  }
  return byMessageId;
}

function runEntries(runs: readonly TraceRun[], events: Map<string, string>, out: Draft[]) {
  const steps = new Map<string, { id: string; stepId: string; at: number }[]>();
  for (const run of runs) {
    const runEntry = `run:${run.runId}`;
    const refs = { journeyId: run.journeyId, runId: run.runId };
    const trigger = run.trigger.messageId ? events.get(run.trigger.messageId) : undefined;
    out.push({
      id: runEntry,
      at: run.enteredAt,
      kind: 'journey_entered',
      summary: `Entered journey "${run.journeyId}" on "${run.trigger.event}"${
        run.holdout ? ', drawn into its holdout: it sends them nothing, to measure lift' : ''
      }.`,
      causeId: trigger ?? null,
      refs,
      detail: { holdout: run.holdout, trigger: run.trigger.event },
    });
    let previous = runEntry;
    const taken: { id: string; stepId: string; at: number }[] = [];
    [...run.history]
      .sort((a, b) => a.at - b.at)
      .forEach((h, n) => {
        const id = `${runEntry}:${n}`;
        out.push({
          id,
          at: h.at,
          kind: 'journey_step',
          summary: `Journey step "${h.stepId}": ${h.outcome.replace(/_/g, ' ')}.`,
          causeId: previous,
          refs: { ...refs, stepId: h.stepId },
          detail: { outcome: h.outcome },
        });
        taken.push({ id, stepId: h.stepId, at: h.at });
        previous = id;
      });
    steps.set(run.runId, taken);
    if (run.endedAt !== null) {
      out.push({
        id: `${runEntry}:end`,
        at: run.endedAt,
        kind: 'journey_ended',
        summary: `Left journey "${run.journeyId}": ${run.status}${run.endReason ? ` (${run.endReason})` : ''}.`,
        causeId: previous,
        refs,
        detail: { status: run.status, reason: run.endReason },
      });
    }
  }
  return steps;
}

function messageEntries(
  messages: readonly TraceMessage[],
  steps: Map<string, { id: string; stepId: string; at: number }[]>,
  engaged: Set<string>,
  out: Draft[],
) {
  for (const m of messages) {
    const entry = `message:${m.id}`;
    const step = m.runId
      ? (steps.get(m.runId) ?? []).filter((s) => s.stepId === m.stepId && s.at <= m.createdAt).pop()
      : undefined;
    const refs = {
      messageId: m.id,
      ...(m.journeyId ? { journeyId: m.journeyId } : {}),
      ...(m.runId ? { runId: m.runId } : {}),
      ...(m.stepId ? { stepId: m.stepId } : {}),
    };
    out.push({
      id: entry,
      at: m.createdAt,
      kind: 'message',
      summary: `${m.kind === 'send' ? `An ${m.channel}` : `A ${m.kind}`} message${
        m.topic ? ` on topic "${m.topic}"` : ''
      } was written${m.journeyId ? ` by journey "${m.journeyId}"` : ''}${
        m.stepId ? ` at step "${m.stepId}"` : ''
      }.`,
      causeId: step?.id ?? (m.runId ? `run:${m.runId}` : null),
      refs,
      detail: { channel: m.channel, kind: m.kind, topic: m.topic },
    });
    m.history.forEach((h, n) => {
      // An open or click is told once, by its engagement event, when there is one.
      if ((h.status === 'opened' || h.status === 'clicked') && engaged.has(`${m.id}:${h.status}`))
        return;
      const kind = statusKind(h.status, h.detail);
      // The sender checks consent and suppressions just before sending: a sent message
      // passed that check, told as its own entry so the trace shows it was made.
      if (h.status === 'sent' && m.kind === 'send')
        out.push({
          id: `${entry}:${n}:consent`,
          at: h.at,
          kind: 'consent_check',
          summary: `Consent checked before sending: the person may receive ${m.channel}${
            m.topic ? ` on topic "${m.topic}"` : ''
          }, and no suppression applies.`,
          causeId: entry,
          refs,
          detail: { outcome: 'allowed', channel: m.channel, topic: m.topic },
        });
      const gate =
        kind === 'consent_check'
          ? 'Not sent: consent or suppression said no'
          : kind === 'delivery_policy'
            ? h.status === 'queued'
              ? 'Held back by a delivery policy'
              : 'Not sent: a delivery policy (cap or quiet hours) stopped it'
            : h.status === 'sent'
              ? 'Sent: consent and delivery policies allowed it'
              : h.status === 'queued'
                ? 'Queued for delivery'
                : `Status ${h.status}`;
      out.push({
        id: `${entry}:${n}`,
        at: h.at,
        kind,
        summary: `${gate}${h.detail ? ` (${h.detail})` : ''}.`,
        causeId: entry,
        refs,
        detail: { status: h.status, reason: h.detail },
      });
    });
  }
}

/** The trace, oldest first; at equal times a cause comes before its effects. */
export function assembleTrace(inputs: TraceInputs): TraceEntry[] {
  const out: Draft[] = [];
  const byMessageId = eventEntries(inputs.events, out);
  const steps = runEntries(inputs.runs, byMessageId, out);
  const engaged = new Set(
    out
      .filter((d) => d.kind === 'engagement')
      .map((d) => `${d.refs.messageId}:${String(d.detail.status)}`),
  );
  messageEntries(inputs.messages, steps, engaged, out);
  for (const x of inputs.extra ?? []) {
    out.push({
      id: x.id,
      at: x.at,
      kind: x.kind,
      summary: x.summary,
      causeId: x.causeId ?? null,
      refs: x.refs ?? {},
      detail: x.detail ?? {},
    });
  }
  const byId = new Map(out.map((d) => [d.id, d]));
  const depth = new Map<string, number>();
  const depthOf = (d: Draft, seen = 0): number => {
    const known = depth.get(d.id);
    if (known !== undefined) return known;
    const cause = d.causeId ? byId.get(d.causeId) : undefined;
    const value = cause && seen < 1000 ? depthOf(cause, seen + 1) + 1 : 0;
    depth.set(d.id, value);
    return value;
  };
  const order = new Map(out.map((d, i) => [d.id, i]));
  return (
    [...out]
      // Within a millisecond: causes first, then what Rapport did before what was recorded of it.
      .sort(
        (a, b) =>
          a.at - b.at ||
          depthOf(a) - depthOf(b) ||
          Number(a.kind === 'event') - Number(b.kind === 'event') ||
          order.get(a.id)! - order.get(b.id)!,
      )
      .map((d) => ({
        id: d.id,
        at: new Date(d.at).toISOString(),
        kind: d.kind,
        summary: d.summary,
        causeId: d.causeId && byId.has(d.causeId) ? d.causeId : null,
        refs: d.refs,
        detail: d.detail,
      }))
  );
}
