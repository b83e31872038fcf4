import { createHash } from 'node:crypto';

/**
 * The id of the decision a `decide` step visit makes: derived from the run, step and
 * visit, so the run can keep it before the decision is made, a replayed step logs the
 * same decision, and tracked links can carry it (short, like every decision id).
 */
export function decisionIdOf(runId: string, stepId: string, visit: number): string {
  const digest = createHash('sha256').update(`${runId}\u0000${stepId}\u0000${visit}`).digest();
  return `dec_${digest.subarray(0, 12).toString('base64url')}`;
}
