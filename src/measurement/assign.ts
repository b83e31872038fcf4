import { createHash } from 'node:crypto';

/** One arm of an experiment; `variant` names what the arm gets (a template id, an offer). */
export interface ArmWeight {
  name: string;
  weight: number;
  variant?: string | undefined;
}

/**
 * A person's place in [0, 1) for one experiment: the first 32 bits of SHA-256 of salt
 * and person id. The same in every process and on every call; independent across salts.
 * A journey's holdout uses the journey id as salt, so this gives what `isHoldout` gives.
 */
export function hashUnit(salt: string, profileId: string): number {
  const digest = createHash('sha256').update(`${salt}\u0000${profileId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The arm a point in [0, 1) falls in, arms laid end to end in their order by weight. */
export function armAt(arms: readonly ArmWeight[], u: number): string {
  const total = arms.reduce((sum, a) => sum + a.weight, 0);
  let x = u * total;
  for (const arm of arms) {
    if (x < arm.weight) return arm.name;
    x -= arm.weight;
  }
  return arms[arms.length - 1]!.name;
}

/** The arm a person gets when first exposed: `armAt(arms, hashUnit(salt, profileId))`. */
export function assignArm(salt: string, profileId: string, arms: readonly ArmWeight[]): string {
  return armAt(arms, hashUnit(salt, profileId));
}

/** The salt of a workspace's global control group: per workspace, so groups differ. */
export const globalControlSalt = (workspaceId: string) => `global_control:${workspaceId}`;

/** The global control group's arms for a share in percent: control first, as holdouts. */
export function globalControlArms(percent: number): ArmWeight[] {
  return [
    { name: 'control', weight: percent },
    { name: 'treatment', weight: 100 - percent },
  ];
}

/** The arms of a journey's holdout experiment (journey id as salt, as `isHoldout`). */
export function holdoutArms(percent: number): ArmWeight[] {
  return globalControlArms(percent);
}
