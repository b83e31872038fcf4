import type { z } from 'zod';
import { ensureDefaultTemplates } from '../messaging/index.js';
import { ensureBuiltIns } from '../segments/index.js';
import { ConflictError, systemClock, ValidationError } from '../shared/index.js';
import {
  createWorkspace,
  listWorkspaces,
  WorkspaceId,
  WorkspaceName,
} from '../workspaces/index.js';
import { printTable } from './output.js';
import { withStore } from './store-command.js';

type Flags = { data?: string; json?: boolean };

function checked<T>(schema: z.ZodType<T>, flag: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problem = parsed.error.issues[0]?.message ?? 'is invalid';
  throw new ValidationError(`${flag}: ${problem}.`, [{ path: flag, problem }]);
}

/**
 * `rapport workspaces create`: a workspace with its own secrets, built-in segments and
 * default templates, and its first admin key, printed once. Like POST /v1/admin/workspaces,
 * without needing a platform key: whoever runs it can open the store anyway.
 */
export async function runWorkspacesCreate(
  options: Flags & { id?: string; name: string },
): Promise<void> {
  const id = options.id === undefined ? undefined : checked(WorkspaceId, '--id', options.id);
  const name = checked(WorkspaceName, '--name', options.name);
  await withStore(options, async (store) => {
    const r = await createWorkspace(store, systemClock, { id, name });
    if (r.kind === 'exists') {
      throw new ConflictError(
        `A workspace "${id ?? ''}" exists already (\`rapport workspaces list\`); choose another --id.`,
      );
    }
    const { workspace, adminKey } = r;
    await ensureBuiltIns(store.db, systemClock, workspace.id);
    await ensureDefaultTemplates(store.db, systemClock, workspace.id);
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ ...workspace, adminKey: adminKey.key, adminKeyId: adminKey.id })}\n`,
      );
      return;
    }
    process.stdout.write(`${adminKey.key}\n`);
    process.stderr.write(
      `Created workspace "${workspace.id}" (${workspace.name}) with admin key ${adminKey.id}. ` +
        'The key is shown only once.\n',
    );
  });
}

/** `rapport workspaces list`: every workspace, in id order. */
export async function runWorkspacesList(flags: Flags): Promise<void> {
  const all = await withStore(flags, async (store) => {
    const out = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listWorkspaces(store.db, { limit: 1000, cursor });
      out.push(...page.workspaces);
      if (page.nextCursor === null) return out;
      cursor = page.nextCursor;
    }
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(all)}\n`);
    return;
  }
  const rows = [['ID', 'CREATED', 'NAME'], ...all.map((w) => [w.id, w.createdAt, w.name])];
  printTable(rows);
}
