import { readFile } from 'node:fs/promises';
import { importCodes } from '../decisions/index.js';
import { systemClock, ValidationError } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { auditedCommand } from './audited.js';
import { withStore } from './store-command.js';

type Flags = { data?: string; json?: boolean };

const CODE = /^\S{1,200}$/;
const CHUNK = 10_000;

/** The codes of a file: one a line, blank lines skipped; a bad line is named by number. */
async function readCodes(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ValidationError(`Cannot read ${file}: give a file with one code a line.`, [
      { path: 'file', problem: 'cannot be read' },
    ]);
  }
  const codes: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const code = line.trim();
    if (code === '') return;
    if (!CODE.test(code))
      throw new ValidationError(
        `${file} line ${i + 1}: a code is 1-200 characters without spaces.`,
        [{ path: `line ${i + 1}`, problem: 'is not a code (1-200 characters, no spaces)' }],
      );
    codes.push(code);
  });
  if (codes.length === 0)
    throw new ValidationError(`${file} holds no codes.`, [{ path: 'file', problem: 'is empty' }]);
  return codes;
}

/** `rapport offers import-codes <offer> <file>`: adds codes to an offer's pool. */
export async function runOffersImportCodes(
  offerId: string,
  file: string,
  flags: Flags,
): Promise<void> {
  const codes = await readCodes(file);
  const total = { imported: 0, duplicates: 0, free: 0 };
  await withStore(flags, async (store) => {
    for (let i = 0; i < codes.length; i += CHUNK) {
      const part = codes.slice(i, i + CHUNK);
      const r = await auditedCommand(
        store,
        'offers import-codes',
        { action: 'offer.codes.import', kind: 'offer' },
        async ({ db }) => {
          const result = await importCodes(
            db,
            DEFAULT_WORKSPACE_ID,
            offerId,
            part,
            systemClock.now(),
          );
          return { result, targetId: offerId, after: result, changed: result.imported > 0 };
        },
      );
      total.imported += r.imported;
      total.duplicates += r.duplicates;
      total.free = r.free;
      if (codes.length > CHUNK)
        process.stderr.write(
          `  ${Math.min(i + CHUNK, codes.length).toLocaleString('en')} / ${codes.length.toLocaleString('en')} codes\n`,
        );
    }
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(total)}\n`);
    return;
  }
  process.stdout.write(
    `Imported ${total.imported} codes into offer "${offerId}" (${total.duplicates} already there); ${total.free} free.\n`,
  );
}
