import { writeFileSync } from 'node:fs';
import { openApp } from '../app/index.js';
import { ProfileKind } from '../profiles/index.js';
import { NotFoundError } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { auditedCommand } from './audited.js';

function kindOf(kind: string): ProfileKind {
  const parsed = ProfileKind.safeParse(kind);
  if (!parsed.success) {
    throw new Error(`KIND must be one of ${ProfileKind.options.join(', ')}; got "${kind}".`);
  }
  return parsed.data;
}

/** `rapport profiles export KIND VALUE [--out FILE]`: the person's bundle as JSON. */
export async function runProfilesExport(
  kind: string,
  value: string,
  flags: { data?: string; out?: string },
): Promise<void> {
  const k = kindOf(kind);
  const app = await openApp({ data: flags.data });
  try {
    const bundle = await auditedCommand(
      app.ctx.store,
      'profiles export',
      { action: 'profile.export', kind: 'profile' },
      async ({ db }) => {
        const b = await app.ctx.exportPerson(db, DEFAULT_WORKSPACE_ID, k, value);
        if (!b) return { result: null, targetId: '', changed: false };
        const ids = b.profileIds as string[];
        return { result: b, targetId: ids[0]!, after: { exported: true } };
      },
    );
    if (!bundle) {
      process.stderr.write(
        `No profile with ${k} "${value}" (rapport profiles export KIND VALUE).\n`,
      );
      process.exitCode = 1;
      return;
    }
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (flags.out) {
      writeFileSync(flags.out, text, { mode: 0o600 });
      process.stderr.write(`Wrote the export of ${k} "${value}" to ${flags.out}.\n`);
    } else process.stdout.write(text);
  } finally {
    await app.close();
  }
}

/**
 * `rapport profiles erase KIND VALUE`: starts the erasure and, unless `--no-wait`, works
 * it here to the end, printing each step as it finishes (a running worker would too).
 */
export async function runProfilesErase(
  kind: string,
  value: string,
  flags: { data?: string; wait?: boolean; batch?: string },
): Promise<void> {
  const k = kindOf(kind);
  const batch = flags.batch === undefined ? undefined : Number(flags.batch);
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1 || batch > 100_000)) {
    throw new Error(`--batch must be a whole number from 1 to 100000; got "${flags.batch}".`);
  }
  const app = await openApp({ data: flags.data, ...(batch ? { erasureBatch: batch } : {}) });
  try {
    const { job } = await auditedCommand(
      app.ctx.store,
      'profiles erase',
      { action: 'profile.erase', kind: 'erasure' },
      async ({ db }) => {
        const r = await app.ctx.erasure.request(db, DEFAULT_WORKSPACE_ID, k, value);
        return {
          result: r,
          targetId: r.job.id,
          after: { status: r.job.status },
          changed: r.created,
        };
      },
    ).catch((error: unknown) => {
      if (error instanceof NotFoundError) {
        throw new Error(`${error.message} Nothing to erase (check KIND and VALUE).`);
      }
      throw error;
    });
    process.stderr.write(`Erasure ${job.id}: ${job.status}.\n`);
    if (flags.wait === false || job.status === 'done') {
      process.stdout.write(`${JSON.stringify(job)}\n`);
      return;
    }
    while (await app.ctx.erasure.step());
    const done = await app.ctx.erasureStatus(DEFAULT_WORKSPACE_ID, job.id);
    process.stdout.write(`${JSON.stringify(done)}\n`);
  } finally {
    await app.close();
  }
}
