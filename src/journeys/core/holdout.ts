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

/**
 * Where a person falls in [0, 1) for a split step: SHA-256 of journey id, step id and
 * person id, so a person takes the same arm on every visit, in every process, and the
 * measurement module (which hashes salt `<journey>\0<step>` with the person the same way)
 * records the arm the person really took.
 */
export function splitPoint(journeyId: string, stepId: string, profileId: string): number {
  const digest = createHash('sha256')
    .update(`${journeyId}\u0000${stepId}\u0000${profileId}`)
    .digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}
