import { z } from 'zod';
import { SegmentDefinition } from './core/index.js';
import { DefinitionWarning } from './typos.js';

/** A segment as the API shows it. */
export const Segment = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  definition: SegmentDefinition,
  /** 'custom' for yours; 'lifecycle' or 'rfm' for the built-in, read-only ones. */
  kind: z.string(),
  version: z.number().int(),
  /** False until members from history have been computed for this version. */
  ready: z.boolean(),
  members: z.number().int().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /**
   * On create and update: what is worth knowing but did not stop the save, such as an
   * event name this workspace has never received ("did you mean ...").
   */
  warnings: z.array(DefinitionWarning).optional(),
});
export type Segment = z.infer<typeof Segment>;

export const SegmentInput = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).nullish(),
  definition: z.unknown(),
});

export const SegmentList = z.object({ segments: z.array(Segment) });

export const MembersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).optional(),
});
export type MembersQuery = z.infer<typeof MembersQuery>;

export const MemberPage = z.object({
  members: z.array(
    z.object({
      profileId: z.string(),
      since: z.string(),
      identities: z.array(z.object({ kind: z.string(), value: z.string() })),
    }),
  ),
  nextCursor: z.string().nullable(),
});
export type MemberPage = z.infer<typeof MemberPage>;

export const PreviewInput = z.object({
  definition: z.unknown(),
  sample: z.number().int().min(0).max(100).default(10),
});
export const PreviewResult = z.object({
  count: z.number().int(),
  profiles: z.number().int(),
  sample: z.array(
    z.object({
      profileId: z.string(),
      identities: z.array(z.object({ kind: z.string(), value: z.string() })),
    }),
  ),
  tookMs: z.number(),
  /** Event names never received, with the closest seen name (see `Segment.warnings`). */
  warnings: z.array(DefinitionWarning),
});
export type PreviewResult = z.infer<typeof PreviewResult>;
