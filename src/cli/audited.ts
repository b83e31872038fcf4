import { recordAudit } from '../audit/index.js';
import { systemClock } from '../shared/index.js';
import { storeInTransaction, withRetriedTransaction, type Store } from '../store/index.js';
import { DEFAULT_WORKSPACE_ID } from '../workspaces/index.js';

/** What a command changed, for its audit entry; `changed: false` records nothing. */
export interface CliChange<T> {
  result: T;
  targetId: string;
  before?: unknown;
  after?: unknown;
  changed?: boolean;
}

/**
 * Runs an admin command's change and appends its audit entry in one transaction, as the
 * API's `audited` does. No key made it: the entry's key id is null and its route the
 * command (`rapport keys revoke`). Never pass secrets as before or after.
 */
export async function auditedCommand<T>(
  store: Store,
  command: string,
  /** `workspaceId`: whose log records it (the command's --workspace); the default one if absent. */
  what: { action: string; kind: string; workspaceId?: string },
  change: (store: Store) => Promise<CliChange<T>>,
): Promise<T> {
  return withRetriedTransaction(store, async (tx) => {
    const done = await change(storeInTransaction(store, tx));
    if (done.changed === false) return done.result;
    await recordAudit(tx, {
      workspaceId: what.workspaceId ?? DEFAULT_WORKSPACE_ID,
      at: systemClock.now(),
      keyId: null,
      action: what.action,
      target: { kind: what.kind, id: done.targetId },
      before: done.before,
      after: done.after,
      route: `rapport ${command}`,
    });
    return done.result;
  });
}
