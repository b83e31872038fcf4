import { z } from 'zod';
import type { ConsentChannel as Channel } from '../../privacy/index.js';
import { ConsentChannel } from '../../privacy/index.js';
import { pushTo } from '../../shared/index.js';
import { IsoDuration, durationMs } from './duration.js';

/** "At most `max` messages on `channel` in any window of `per`", across all journeys. */
export const FrequencyCap = z.strictObject({
  channel: ConsentChannel,
  max: z.number().int().min(1).max(10_000),
  per: IsoDuration,
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/** Journey priorities as in send steps; a number ranks finer (higher wins). */
export const Priority = z.union([z.enum(['low', 'normal', 'high']), z.number().int()]);
export type Priority = z.infer<typeof Priority>;

const RANK: Record<'low' | 'normal' | 'high', number> = { low: 0, normal: 1, high: 2 };

function rank(priority: Priority | undefined): number {
  if (priority === undefined) return RANK.normal;
  return typeof priority === 'number' ? priority : RANK[priority];
}

/** A message already sent to the person. */
export interface RecentSend {
  channel: Channel;
  at: number;
  /** Transactional messages neither count towards caps nor are capped. */
  transactional?: boolean;
}

/** A message that wants to go out now. */
export interface CapCandidate {
  id: string;
  channel: Channel;
  priority?: Priority;
  /** When it was queued: among equal priorities the older goes first. */
  createdAt?: number;
  transactional?: boolean;
}

export interface CappedMessage<C extends CapCandidate> {
  candidate: C;
  /** The first cap that refused it, and its index in the caps list. */
  cap: FrequencyCap;
  capIndex: number;
  /** The first instant every cap of its channel would admit it, given what is sent. */
  retryAt: number;
}

export interface CapDecision<C extends CapCandidate> {
  /** The winners, in the order they were admitted. */
  send: C[];
  capped: CappedMessage<C>[];
}

interface Window {
  cap: FrequencyCap;
  index: number;
  ms: number;
}

/**
 * Frequency caps across journeys. Given the person's recent sends and the candidates due
 * at `now`, admits candidates from the highest priority down (then oldest, then by id, so
 * the result is deterministic) while every cap on their channel still has room, and
 * marks the rest `capped` with the cap that refused them and when they would fit. A
 * send counts in a window `per` when it happened after `now − per`: with "1 per 16 h", a
 * send at 08:00 admits the next at 00:00. Transactional candidates are always sent and
 * transactional sends never count.
 *
 * @example
 * applyFrequencyCaps(
 *   [{ channel: 'email', max: 1, per: 'PT16H' }, { channel: 'email', max: 3, per: 'P7D' }],
 *   recentSends,
 *   [{ id: 'm1', channel: 'email', priority: 'high' }, { id: 'm2', channel: 'email', priority: 'low' }],
 *   now,
 * ) // { send: [m1], capped: [{ candidate: m2, cap: caps[0], capIndex: 0, retryAt: now + 16 h }] }
 */
export function applyFrequencyCaps<C extends CapCandidate>(
  caps: readonly FrequencyCap[],
  recent: readonly RecentSend[],
  candidates: readonly C[],
  now: number,
): CapDecision<C> {
  const windows = new Map<Channel, Window[]>();
  caps.forEach((cap, index) => {
    const ms = durationMs(cap.per);
    if (ms === null) throw new RangeError(`caps.${index}.per is not a duration: ${cap.per}`);
    pushTo(windows, cap.channel, { cap, index, ms });
  });
  // Per channel, the times of counted sends, most recent first; winners join at `now`.
  const sent = new Map<Channel, number[]>();
  for (const r of recent) if (!r.transactional) pushTo(sent, r.channel, r.at);
  for (const list of sent.values()) list.sort((a, b) => b - a);

  const ordered = [...candidates].sort(
    (a, b) =>
      rank(b.priority) - rank(a.priority) ||
      (a.createdAt ?? Infinity) - (b.createdAt ?? Infinity) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const decision: CapDecision<C> = { send: [], capped: [] };
  for (const candidate of ordered) {
    const list = windows.get(candidate.channel) ?? [];
    const times = sent.get(candidate.channel) ?? [];
    const refusing = candidate.transactional
      ? undefined
      : list.find((w) => times.filter((s) => s > now - w.ms).length >= w.cap.max);
    if (refusing === undefined) {
      decision.send.push(candidate);
      if (!candidate.transactional) {
        times.unshift(now);
        times.sort((a, b) => b - a);
        sent.set(candidate.channel, times);
      }
      continue;
    }
    // The max-th most recent send must leave each window: t − per ≥ that send.
    let retryAt = now;
    for (const w of list) {
      const inWindow = times.filter((s) => s > now - w.ms);
      if (inWindow.length >= w.cap.max)
        retryAt = Math.max(retryAt, inWindow[w.cap.max - 1]! + w.ms);
    }
    decision.capped.push({ candidate, cap: refusing.cap, capIndex: refusing.index, retryAt });
  }
  return decision;
}
