import { AuditQuery, listAudit } from '../audit/index.js';
import { loadConfig } from '../config/index.js';
import { ValidationError, zodDetails } from '../shared/index.js';
import { openStore } from '../store/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';

type Flags = {
  data?: string;
  json?: boolean;
  limit?: string;
  action?: string;
  target?: string;
  keyId?: string;
  since?: string;
  until?: string;
};

/** `rapport audit list`: the default workspace's audit log, newest first (read-only). */
export async function runAuditList(flags: Flags): Promise<void> {
  const { data, json, ...filters } = flags;
  const parsed = AuditQuery.safeParse(
    Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
  );
  if (!parsed.success) {
    const details = zodDetails(parsed.error, []);
    throw new ValidationError(
      `--${details[0]?.path ?? 'option'}: ${details[0]?.problem ?? 'invalid'}.`,
      details,
    );
  }
  const store = await openStore(loadConfig({ dataDir: data }));
  let page;
  try {
    page = await listAudit(store.db, DEFAULT_WORKSPACE_ID, parsed.data);
  } finally {
    await store.close();
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(page.entries)}\n`);
    return;
  }
  const rows = [
    ['AT', 'KEY', 'ACTION', 'TARGET', 'ROUTE'],
    ...page.entries.map((e) => [
      e.at,
      e.keyId ?? '-',
      e.action,
      `${e.target.kind}:${e.target.id}`,
      e.route ?? '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) {
    process.stdout.write(
      `${r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd()}\n`,
    );
  }
  if (page.entries.length === 0) process.stderr.write('No audit entries.\n');
  else if (page.nextCursor) {
    process.stderr.write('More entries: raise --limit (at most 500) or narrow with --since.\n');
  }
}
