import { Readable } from 'node:stream';
import { z } from 'zod';
import {
  assertSegmentExists,
  membersCsv,
  MembersCsvQuery,
  createSegment,
  deleteSegment,
  getSegment,
  listMembers,
  listSegments,
  MemberPage,
  MembersQuery,
  previewSegment,
  PreviewInput,
  PreviewResult,
  Segment,
  SegmentInput,
  SegmentList,
  unseenEventWarnings,
  updateSegment,
} from '../../segments/index.js';
import { audited, beforeOf } from '../audited.js';
import { assertSegmentSensitive } from '../sensitive-guard.js';
import type { AppContext } from '../context.js';
import { defineRoute, type RouteDef } from '../route.js';

const IdParams = z.object({ id: z.string().min(1).max(200) });

export function segmentRoutes(ctx: AppContext): RouteDef[] {
  const wake = () => {
    ctx.wakeSegmentBackfill();
  };
  // Read after the save's transaction: a warning never stops or rolls back a save.
  const withWarnings = async (workspaceId: string, segment: Segment): Promise<Segment> => ({
    ...segment,
    warnings: await unseenEventWarnings(ctx.store.db, workspaceId, segment.definition),
  });
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/segments',
      summary: 'Create a segment; its members are back-filled from history',
      tag: 'segments',
      auth: 'admin',
      body: SegmentInput,
      responses: { 201: Segment },
      handler: async ({ body, principal, request, reply }) => {
        const segment = await audited(
          ctx,
          principal,
          request,
          { action: 'segment.create', kind: 'segment' },
          async ({ db }) => {
            await assertSegmentSensitive(db, principal.workspaceId, body.definition);
            const after = await createSegment(db, ctx.clock, principal.workspaceId, body);
            return { result: after, targetId: after.id, after };
          },
        );
        wake();
        reply.code(201);
        return withWarnings(principal.workspaceId, segment);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/segments',
      summary: 'All segments with their member counts',
      tag: 'segments',
      auth: 'read',
      responses: { 200: SegmentList },
      handler: async ({ principal }) => ({
        segments: await listSegments(ctx.store.db, principal.workspaceId),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/segments/preview',
      summary: 'Count and sample who a definition selects now, without saving it',
      tag: 'segments',
      auth: 'read',
      rateLimit: 'preview',
      body: PreviewInput,
      responses: { 200: PreviewResult },
      handler: async ({ body, principal }) => {
        await assertSegmentSensitive(ctx.store.db, principal.workspaceId, body.definition);
        return previewSegment(
          ctx.store.db,
          principal.workspaceId,
          body.definition,
          body.sample,
          ctx.clock.now(),
          await ctx.models.get(principal.workspaceId),
        );
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/segments/:id',
      summary: 'One segment',
      tag: 'segments',
      auth: 'read',
      params: IdParams,
      responses: { 200: Segment, 404: z.unknown() },
      handler: ({ params, principal }) =>
        getSegment(ctx.store.db, principal.workspaceId, params.id),
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/segments/:id',
      summary: 'Change a segment; a new definition is a new version and is back-filled',
      tag: 'segments',
      auth: 'admin',
      params: IdParams,
      body: SegmentInput,
      responses: { 200: Segment, 404: z.unknown(), 409: z.unknown() },
      handler: async ({ params, body, principal, request }) => {
        const segment = await audited(
          ctx,
          principal,
          request,
          { action: 'segment.update', kind: 'segment', id: params.id },
          async ({ db }) => {
            const before = await beforeOf(getSegment(db, principal.workspaceId, params.id));
            await assertSegmentSensitive(db, principal.workspaceId, body.definition);
            const after = await updateSegment(
              db,
              ctx.clock,
              principal.workspaceId,
              params.id,
              body,
            );
            return { result: after, before, after };
          },
        );
        wake();
        return withWarnings(principal.workspaceId, segment);
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/segments/:id',
      summary: 'Delete a segment no other segment refers to',
      tag: 'segments',
      auth: 'admin',
      params: IdParams,
      responses: { 204: z.null(), 404: z.unknown(), 409: z.unknown() },
      handler: async ({ params, principal, request, reply }) => {
        await audited(
          ctx,
          principal,
          request,
          { action: 'segment.delete', kind: 'segment', id: params.id },
          async ({ db }) => {
            const before = await beforeOf(getSegment(db, principal.workspaceId, params.id));
            await deleteSegment(db, ctx.clock, principal.workspaceId, params.id);
            return { result: null, before, after: null };
          },
        );
        reply.code(204);
        return null;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/segments/:id/members',
      summary: "A segment's members, cursor-paged",
      tag: 'segments',
      auth: 'read',
      params: IdParams,
      query: MembersQuery,
      responses: { 200: MemberPage, 404: z.unknown() },
      handler: ({ params, query, principal }) =>
        listMembers(ctx.store.db, principal.workspaceId, params.id, query),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/segments/:id/members.csv',
      summary: "A segment's members as CSV (streamed; audited as a personal-data export)",
      tag: 'segments',
      auth: 'read',
      params: IdParams,
      query: MembersCsvQuery,
      produces: 'text/csv',
      responses: { 200: z.string() },
      handler: async ({ params, query, principal, request, reply }) => {
        const ws = principal.workspaceId;
        // The entry is written before the first row leaves: an export cut short by the
        // client is still on record, as it may already hold personal data.
        await audited(
          ctx,
          principal,
          request,
          { action: 'segment.export', kind: 'segment', id: params.id },
          async ({ db }) => {
            await assertSegmentExists(db, ws, params.id);
            return { result: null, after: { format: 'csv', limit: query.limit } };
          },
        );
        const rows = membersCsv(ctx.store.db, ws, params.id, {
          limit: query.limit,
          now: ctx.clock.now(),
          model: await ctx.models.get(ws),
        });
        reply.type('text/csv; charset=utf-8');
        reply.header(
          'content-disposition',
          `attachment; filename="segment-${params.id.replace(/[^A-Za-z0-9_-]/g, '_')}.csv"`,
        );
        reply.header('cache-control', 'no-store');
        reply.header('x-rapport-row-limit', String(query.limit));
        return reply.send(Readable.from(rows));
      },
    }),
  ];
}
