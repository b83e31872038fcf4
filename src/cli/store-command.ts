import { loadConfig } from '../config/index.js';
import { NotFoundError, systemClock, ValidationError } from '../shared/index.js';
import { openStore, type Store } from '../store/index.js';
import {
  DEFAULT_WORKSPACE_ID,
  ensureDefaultWorkspace,
  listWorkspaceIds,
  WorkspaceId,
} from '../workspaces/index.js';

/** Opens the store of `--data` with the default workspace in place, runs `fn`, closes the store. */
export async function withStore<T>(
  flags: { data?: string | undefined },
  fn: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore(loadConfig({ dataDir: flags.data }));
  try {
    await ensureDefaultWorkspace(store.db, systemClock);
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The workspace a command acts on: `--workspace ID`, else the default one. An id that is
 * malformed or names no workspace stops the command before it changes anything.
 */
export async function workspaceOf(store: Store, id: string | undefined): Promise<string> {
  if (id === undefined) return DEFAULT_WORKSPACE_ID;
  const parsed = WorkspaceId.safeParse(id);
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message ?? 'is not a workspace id';
    throw new ValidationError(`--workspace: ${problem}.`, [{ path: '--workspace', problem }]);
  }
  if (!(await listWorkspaceIds(store.db)).includes(parsed.data)) {
    throw new NotFoundError(
      `No workspace "${parsed.data}" (\`rapport workspaces list\` shows them; \`rapport workspaces create\` makes one).`,
    );
  }
  return parsed.data;
}
