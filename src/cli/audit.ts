import { AuditQuery, listAudit } from '../audit/index.js';
import { ValidationError, zodDetails } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';
import { printTable } from './output.js';
import { withStore } from './store-command.js';

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
  const page = await withStore({ data }, (store) =>
    listAudit(store.db, DEFAULT_WORKSPACE_ID, parsed.data),
  );
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
  printTable(rows);
  if (page.entries.length === 0) process.stderr.write('No audit entries.\n');
  else if (page.nextCursor) {
    process.stderr.write('More entries: raise --limit (at most 500) or narrow with --since.\n');
  }
}
