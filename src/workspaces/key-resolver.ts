import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { Clock } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from './workspaces.js';
import { hashKey, type KeyScope } from './keys.js';

export interface Principal {
  workspaceId: string;
  scope: KeyScope;
  keyId: string;
}

interface CacheEntry {
  principal: Principal | null;
  expiresAt: number;
}

const POSITIVE_TTL_MS = 60_000;
const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolves presented API keys to a workspace and scope. Hits are cached briefly so
 * ingestion does not read the keys table per request; misses are cached too so a
 * client retrying with a bad key cannot hammer the store.
 */
export class KeyResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly adminKeyHash: string | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    adminKey?: string,
  ) {
    this.adminKeyHash = adminKey ? hashKey(adminKey) : undefined;
  }

  async resolve(key: string): Promise<Principal | null> {
    const hash = hashKey(key);
    if (hash === this.adminKeyHash) {
      return { workspaceId: DEFAULT_WORKSPACE_ID, scope: 'admin', keyId: 'env:RAPPORT_ADMIN_KEY' };
    }
    const now = this.clock.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.principal;

    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'workspace_id', 'scope'])
      .where('key_hash', '=', hash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const principal = row
      ? { workspaceId: row.workspace_id, scope: row.scope, keyId: row.id }
      : null;
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, {
      principal,
      expiresAt: now + (principal ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS),
    });
    return principal;
  }

  /** Forget cached keys, e.g. after a revocation. */
  invalidate(): void {
    this.cache.clear();
  }
}
