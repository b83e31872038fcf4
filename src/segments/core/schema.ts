import { z } from 'zod';
import { checkDefinition } from './check-definition.js';
import { SEGMENT_LIMITS } from './limits.js';
import type { SegmentDefinition as Definition } from './types.js';

const EXAMPLE = {
  all: [
    {
      event: 'Product Viewed',
      where: { 'properties.category': { eq: 'shoes' } },
      count: { gte: 2 },
      within: 'P7D',
    },
    { not: { event: 'Order Completed', within: 'P7D' } },
  ],
};

/**
 * A segment definition: a condition keyed by its kind (`trait`, `computed`, `event`,
 * `segment`, `all`, `any`, `not`), nested through all/any/not. The language is
 * documented in docs/segments.md.
 *
 * The condition kind is told by which key is present rather than by a tag field, so the
 * schema dispatches on that key itself (check-definition.ts): a union of object schemas
 * would report "no variant matched" at the top instead of the exact path and problem
 * (`definition.all.0.where.properties.category: has no operator; ...`). Size limits are
 * checked before the recursive walk.
 *
 * @example
 * SegmentDefinition.parse({ trait: 'plan', eq: 'pro' });
 */
export const SegmentDefinition = z
  .unknown()
  .transform((input, ctx): Definition => {
    const issues = checkDefinition(input);
    for (const issue of issues) {
      ctx.addIssue({ code: 'custom', message: issue.problem, path: issue.path });
    }
    return issues.length > 0 ? z.NEVER : (input as Definition);
  })
  .meta({
    type: 'object',
    description:
      'A segment condition: one of trait, computed, event, segment, all, any or not. See docs/segments.md.',
    example: EXAMPLE,
  });
export type SegmentDefinition = Definition;

/** The body that creates (or replaces) a segment. */
export const CreateSegment = z.strictObject({
  name: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(SEGMENT_LIMITS.maxNameLength, {
      error: `must be at most ${SEGMENT_LIMITS.maxNameLength} characters`,
    }),
  description: z
    .string({ error: 'must be a string' })
    .max(2000, { error: 'must be at most 2000 characters' })
    .nullish(),
  definition: SegmentDefinition,
});
export type CreateSegment = z.infer<typeof CreateSegment>;
