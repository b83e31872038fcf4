import { createProgress } from '../importer/index.js';
import { ensureBuiltIns, getSegment, listSegments, recomputeSegments } from '../segments/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { openApp } from '../app/index.js';

type Flags = { data?: string; json?: boolean };

export async function runSegmentsList(flags: Flags): Promise<void> {
  const app = await openApp({ data: flags.data });
  try {
    await ensureBuiltIns(app.ctx.store.db, app.ctx.clock, DEFAULT_WORKSPACE_ID);
    const segments = await listSegments(app.ctx.store.db, DEFAULT_WORKSPACE_ID);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(segments)}\n`);
      return;
    }
    const width = Math.max(4, ...segments.map((s) => s.id.length));
    process.stdout.write(`${'ID'.padEnd(width)}  ${'MEMBERS'.padStart(8)}  NAME\n`);
    for (const s of segments) {
      process.stdout.write(
        `${s.id.padEnd(width)}  ${String(s.members ?? 0).padStart(8)}  ${s.name}${s.ready ? '' : ' (back-filling)'}\n`,
      );
    }
  } finally {
    await app.close();
  }
}

export async function runSegmentsShow(id: string, flags: Flags): Promise<void> {
  const app = await openApp({ data: flags.data });
  try {
    const segment = await getSegment(app.ctx.store.db, DEFAULT_WORKSPACE_ID, id);
    process.stdout.write(`${JSON.stringify(segment, null, 2)}\n`);
  } finally {
    await app.close();
  }
}

export async function runSegmentsRecompute(flags: Flags & { check?: boolean }): Promise<void> {
  const app = await openApp({ data: flags.data });
  try {
    const { ctx } = app;
    await ensureBuiltIns(ctx.store.db, ctx.clock, DEFAULT_WORKSPACE_ID);
    // Settle the pipeline first: pending events, back-fills and due time checks.
    await ctx.profiles.drain();
    const bar = createProgress('segments', 1, {});
    await ctx.segments.backfillAll();
    while (await ctx.segments.runDueChecks()) {
      // drain due checks
    }
    const result = await recomputeSegments(
      ctx.store,
      ctx.clock,
      ctx.segmentRegistry,
      ctx.models,
      DEFAULT_WORKSPACE_ID,
      {
        repair: !flags.check,
      },
    );
    bar.update(1);
    bar.stop();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      process.stdout.write(
        `Evaluated ${result.segments} segments for ${result.profiles.toLocaleString('en')} profiles: ` +
          `${result.differences.length} memberships differed from the incremental ones` +
          `${result.repaired ? ' (repaired)' : ''}.\n`,
      );
    }
    if (flags.check && result.differences.length > 0) process.exitCode = 1;
  } finally {
    await app.close();
  }
}
