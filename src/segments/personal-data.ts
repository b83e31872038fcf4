import type { Kysely } from 'kysely';
import type { PersonRef, Removed } from '../shared/index.js';
import type { Database } from '../store/index.js';

/** The person's segment memberships (with since when) and due checks. */
export async function exportPersonSegments(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Record<string, unknown>> {
  const members = await db
    .selectFrom('segment_members')
    .select(['segment_id', 'profile_id', 'since'])
    .where('workspace_id', '=', person.workspaceId)
    .where('profile_id', 'in', person.profileIds)
    .execute();
  return {
    segmentMemberships: members.map((m) => ({
      segmentId: m.segment_id,
      profileId: m.profile_id,
      since: new Date(m.since).toISOString(),
    })),
  };
}

/** Removes the person from every segment and drops their due checks. */
export async function erasePersonSegments(
  db: Kysely<Database>,
  person: PersonRef,
): Promise<Removed> {
  const members = await db
    .deleteFrom('segment_members')
    .where('workspace_id', '=', person.workspaceId)
    .where('profile_id', 'in', person.profileIds)
    .executeTakeFirst();
  const checks = await db
    .deleteFrom('segment_checks')
    .where('workspace_id', '=', person.workspaceId)
    .where('profile_id', 'in', person.profileIds)
    .executeTakeFirst();
  return {
    segment_members: Number(members.numDeletedRows),
    segment_checks: Number(checks.numDeletedRows),
  };
}
