import { createHash } from 'node:crypto';

/**
 * Whether a person is in a journey's holdout group: a SHA-256 of journey id and person
 * id mapped to [0, 100). Deterministic and independent of the version, so a person stays
 * in the same group when the journey is edited; independent across journeys.
 *
 * @example isHoldout('p_42', 'cart_abandonment', 10) // same answer on every call
 */
export function isHoldout(profileId: string, journeyId: string, percent: number): boolean {
  if (percent <= 0) return false;
  if (percent >= 100) return true;
  const digest = createHash('sha256').update(`${journeyId}\u0000${profileId}`).digest();
  return (digest.readUInt32BE(0) / 2 ** 32) * 100 < percent;
}
