import type { FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/index.js';
import { CorruptDataError } from '../shared/index.js';
import { storeInTransaction, withRetriedTransaction, type Store } from '../store/index.js';
import type { Principal } from '../workspaces/index.js';
import type { AppContext } from './context.js';

/** What an audited change did, for its entry in the audit log. */
export interface AuditedChange<T> {
  /** What the route answers. */
  result: T;
  /** The target's id when only the change knows it (a created segment's). */
  targetId?: string;
  /** The target before and after (undefined or null: it did not exist). Never secrets. */
  before?: unknown;
  after?: unknown;
  /** False when the call changed nothing (revoking a revoked key): no entry. */
  changed?: boolean;
}

/** The action (`segment.update`) and its target. */
export interface AuditAction {
  action: string;
  kind: string;
  id?: string;
}

/**
 * Runs an admin action and appends its audit entry in one transaction: a change that
 * fails (a 404, a 409, a crash) leaves no entry, and a change that commits has one. A
 * race the store reports (a unique key, a deadlock, a busy SQLite) runs `change` again.
 * `change` must do all its reads and writes through the store it is given, whose
 * `withTransaction` joins this transaction. Adding an audited route is one call:
 * `audited(ctx, principal, request, { action: 'offer.update', kind: 'offer', id }, ...)`.
 */
export async function audited<T>(
  ctx: AppContext,
  principal: Principal,
  request: FastifyRequest,
  what: AuditAction,
  change: (store: Store) => Promise<AuditedChange<T>>,
): Promise<T> {
  return withRetriedTransaction(ctx.store, async (tx) => {
    const done = await change(storeInTransaction(ctx.store, tx));
    if (done.changed === false) return done.result;
    await recordAudit(tx, {
      workspaceId: principal.workspaceId,
      at: ctx.clock.now(),
      keyId: principal.keyId,
      action: what.action,
      target: { kind: what.kind, id: done.targetId ?? what.id ?? '' },
      before: done.before,
      after: done.after,
      requestId: request.id,
      route: `${request.method} ${request.routeOptions.url ?? request.url}`,
    });
    return done.result;
  });
}

/**
 * The target before a change, for its entry. A stored value that no longer decodes is
 * what some changes exist to repair (a PUT replaces it), so it is recorded as unreadable
 * rather than refusing the change.
 */
export async function beforeOf<T>(read: Promise<T>): Promise<T | { unreadable: string }> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof CorruptDataError) return { unreadable: error.message };
    throw error;
  }
}
