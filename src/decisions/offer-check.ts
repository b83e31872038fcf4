import type { Kysely } from 'kysely';
import { z } from 'zod';
import { NotFoundError, ValidationError, type ErrorDetail } from '../shared/index.js';
import type { Database } from '../store/index.js';
import { checked } from './offers-repo.js';

export const OfferCheckInput = z.strictObject({
  /** The offer as POST /v1/offers (with `id`) or PUT /v1/offers/{id} (without) takes it. */
  offer: z.unknown(),
  /** Check it as a change of this existing offer; absent: as a new offer. */
  id: z.string().min(1).max(200).optional(),
});

export const OfferCheck = z.object({
  ok: z.boolean(),
  /** What the create or change would answer 400 with: each field and its problem. */
  problems: z.array(z.object({ path: z.string(), problem: z.string() })),
});
export type OfferCheck = z.infer<typeof OfferCheck>;

/**
 * `POST /v1/offers/validate`: the problems a create or change would be refused for, as
 * a 200 answer, so a form can show them by their fields before it saves (a refused save
 * is a 400 the browser reports as an error). Writes nothing.
 */
export async function checkOffer(
  db: Kysely<Database>,
  workspaceId: string,
  input: z.output<typeof OfferCheckInput>,
): Promise<OfferCheck> {
  const problems: ErrorDetail[] = [];
  try {
    const offer = await checked(db, workspaceId, input.offer, input.id === undefined);
    const id = input.id ?? offer.id!;
    const row = await db
      .selectFrom('offers')
      .select(['spent_count', 'spent_amount'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (input.id === undefined) {
      if (row) problems.push({ path: 'id', problem: 'already exists' });
    } else {
      if (!row) throw new NotFoundError(`No offer "${id}".`);
      const { count, spend } = offer.budget ?? {};
      if (count !== undefined && count < row.spent_count)
        problems.push({
          path: 'budget.count',
          problem: `is below what was already spent (${row.spent_count})`,
        });
      if (spend !== undefined && spend < row.spent_amount)
        problems.push({
          path: 'budget.spend',
          problem: `is below what was already spent (${row.spent_amount})`,
        });
    }
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...error.details);
  }
  return { ok: problems.length === 0, problems };
}
