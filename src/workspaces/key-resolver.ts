import type { Kysely } from 'kysely';
import type { ChangeFeed, Database } from '../store/index.js';
import type { Clock } from '../shared/index.js';
import { DEFAULT_WORKSPACE_ID } from './workspaces.js';
import { hashKey, type KeyScope } from './keys.js';

export interface Principal {
  workspaceId: string;
  scope: KeyScope;
  keyId: string;
}

/**
 * The holder of the platform key (RAPPORT_PLATFORM_KEY): it creates and lists workspaces
 * and belongs to none, so it can read or change no workspace's data.
 */
export interface PlatformPrincipal {
  scope: 'platform';
  keyId: string;
}

/** Whoever a working key belongs to. */
export type Caller = Principal | PlatformPrincipal;

/** What a presented key turned out to be; only `ok` authenticates. */
export type KeyResolution =
  | { kind: 'ok'; principal: Caller }
  | { kind: 'unknown' }
  | { kind: 'revoked'; at: number }
  | { kind: 'expired'; at: number };

type Refusal = Exclude<KeyResolution, { kind: 'ok' }>;

interface CacheEntry {
  refusal: Refusal;
  expiresAt: number;
}

const REFUSAL_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

/**
 * Resolves presented API keys to a workspace and scope.
 *
 * Revoking a key, or its expiry, must take effect on the very next request in every
 * process sharing the store (an API process and a worker on one PostgreSQL; the CLI
 * beside a server on SQLite). Working keys are cached with their expiry, and every
 * resolution first syncs the store's change feed: a revocation or rotation announces
 * itself in its transaction (`key-admin.ts`), so it drops the cached key before the next
 * request anywhere is resolved. Syncing is also what lets the request's other caches
 * (people's consent) trust what they hold. Without a feed (tests of this class alone),
 * working keys are read from the store every time.
 *
 * Refusals are cached briefly, so a client retrying with a bad key cannot hammer the
 * store. That is safe because none of them can become valid: keys are 192-bit random
 * and known only once stored, a revocation is final, and an expiry never moves later.
 */
export class KeyResolver {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly working = new Map<string, { principal: Principal; expiresAt: number | null }>();
  /** Bumped by every drop: a read that overlapped one may be stale and is not kept. */
  private epoch = 0;
  private readonly adminKeyHash: string | undefined;
  private readonly platformKeyHash: string | undefined;

  /**
   * `adminKey` (RAPPORT_ADMIN_KEY) is an admin key of the default workspace;
   * `platformKey` (RAPPORT_PLATFORM_KEY) manages workspaces. Neither is stored. Without a
   * platform key nothing can create workspaces over HTTP.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    adminKey?: string,
    platformKey?: string,
    private readonly feed?: ChangeFeed,
  ) {
    this.adminKeyHash = adminKey ? hashKey(adminKey) : undefined;
    this.platformKeyHash = platformKey ? hashKey(platformKey) : undefined;
    feed?.subscribe('key', (change) => {
      this.epoch++;
      if (change === null) this.working.clear();
      else
        for (const [hash, w] of this.working)
          if (w.principal.keyId === change.subject) this.working.delete(hash);
    });
  }

  async resolve(key: string): Promise<KeyResolution> {
    return this.resolveHash(hashKey(key));
  }

  /** As `resolve`, from the key's hash: a session re-checks the key that opened it. */
  async resolveHash(hash: string): Promise<KeyResolution> {
    if (this.feed) await this.feed.sync();
    if (hash === this.platformKeyHash) {
      return { kind: 'ok', principal: { scope: 'platform', keyId: 'env:RAPPORT_PLATFORM_KEY' } };
    }
    if (hash === this.adminKeyHash) {
      const principal: Principal = {
        workspaceId: DEFAULT_WORKSPACE_ID,
        scope: 'admin',
        keyId: 'env:RAPPORT_ADMIN_KEY',
      };
      return { kind: 'ok', principal };
    }
    const now = this.clock.now();
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > now) return cached.refusal;
    const known = this.working.get(hash);
    if (known && (known.expiresAt === null || known.expiresAt > now))
      return { kind: 'ok', principal: known.principal };
    const epoch = this.epoch;

    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'workspace_id', 'scope', 'revoked_at', 'expires_at'])
      .where('key_hash', '=', hash)
      .executeTakeFirst();
    let refusal: Refusal;
    if (!row) refusal = { kind: 'unknown' };
    else if (row.revoked_at !== null) refusal = { kind: 'revoked', at: row.revoked_at };
    else if (row.expires_at !== null && row.expires_at <= now) {
      refusal = { kind: 'expired', at: row.expires_at };
    } else {
      const principal = { workspaceId: row.workspace_id, scope: row.scope, keyId: row.id };
      if (this.feed && epoch === this.epoch) {
        if (this.working.size >= MAX_ENTRIES) this.working.clear();
        this.working.set(hash, { principal, expiresAt: row.expires_at });
      }
      return { kind: 'ok', principal };
    }
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(hash, { refusal, expiresAt: now + REFUSAL_TTL_MS });
    return refusal;
  }
}
