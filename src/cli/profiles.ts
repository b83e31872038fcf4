import { createProgress } from '../importer/index.js';
import { rebuildProfiles } from '../profiles/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { openApp } from '../app/index.js';

export async function runProfilesRebuild(flags: {
  data?: string;
  dryRun?: boolean;
}): Promise<void> {
  const app = await openApp({ data: flags.data });
  try {
    // Anything still queued is folded in first, so the comparison is with a settled state.
    await app.ctx.profiles.drain();
    let bar: ReturnType<typeof createProgress> | null = null;
    const result = await rebuildProfiles(app.ctx.store, app.ctx.clock, DEFAULT_WORKSPACE_ID, {
      dryRun: flags.dryRun ?? false,
      onProgress: (done, total) => {
        bar ??= createProgress('rebuild profiles', total, { unit: ' profiles' });
        bar.update(done);
      },
    });
    (bar as ReturnType<typeof createProgress> | null)?.stop();
    if (!flags.dryRun) await app.ctx.models.refresh(DEFAULT_WORKSPACE_ID);
    process.stdout.write(
      `${flags.dryRun ? 'Checked' : 'Rebuilt'} ${result.profiles.toLocaleString('en')} profiles from ` +
        `${result.events.toLocaleString('en')} events: ${result.changed.length} differed from the log` +
        `${result.changed.length && flags.dryRun ? ` (${result.changed.slice(0, 5).join(', ')}...)` : ''}.\n`,
    );
    if (flags.dryRun && result.changed.length > 0) process.exitCode = 1;
  } finally {
    await app.close();
  }
}
