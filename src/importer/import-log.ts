import type { Logger } from 'pino';
import { basename } from 'node:path';
import { redactContacts } from '../shared/index.js';
import type { ImportKind, ImportSummary } from './run-import.js';

/** Rows (or events folded) between two `import.progress` lines. */
export const PROGRESS_EVERY = 100_000;

/**
 * The structured lines of one import run: `import.started`, `import.progress` every
 * 100,000 rows read and events folded (`logEvery`), `import.finished` with the counts, or
 * `import.failed`. File names are logged without their folder; rows never are (a
 * rejected row's text goes to the rejects file only).
 */
export class ImportLog {
  private readonly base: Record<string, unknown>;

  constructor(
    private readonly logger: Logger | undefined,
    workspace: string,
    kind: ImportKind,
    private readonly every = PROGRESS_EVERY,
  ) {
    this.base = { workspace, kind };
  }

  started(files: readonly string[], bytes: number, preset: string | undefined): void {
    this.logger?.info(
      {
        event: 'import.started',
        ...this.base,
        files: files.map((f) => basename(f)),
        bytes,
        preset,
      },
      'import started',
    );
  }

  /** Call with running totals; logs when `done` crosses a multiple of `every`. */
  progress(phase: 'read' | 'profiles', done: number, before: number, extra: () => object): void {
    if (!this.logger || Math.floor(done / this.every) === Math.floor(before / this.every)) return;
    this.logger.info(
      { event: 'import.progress', ...this.base, phase, done, ...extra() },
      'import progress',
    );
  }

  finished(summary: ImportSummary): void {
    const { rows, events, duplicates, items, rejected, skipped, processed, pending } = summary;
    this.logger?.info(
      {
        event: 'import.finished',
        ...this.base,
        rows,
        events,
        duplicates,
        items,
        rejected,
        skipped,
        processed,
        pending,
        shiftedDays: summary.shiftedDays,
        durationMs: Math.round(summary.seconds * 1000),
      },
      'import finished',
    );
  }

  failed(error: unknown, rows: number, durationMs: number): void {
    const message = error instanceof Error ? error.message : String(error);
    this.logger?.error(
      { event: 'import.failed', ...this.base, rows, durationMs, error: redactContacts(message) },
      'import failed',
    );
  }
}
