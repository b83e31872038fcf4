import { ConfigError, CorruptDataError, newId } from '../../shared/index.js';
import {
  blindIndex,
  KeyMismatchError,
  masterKeyId,
  newDataKey,
  open,
  seal,
  sealedKeyId,
  unwrapKey,
  wrapKey,
  type DataKey,
} from '../core/envelope.js';

/** The master keys a process was given: the current one, and others that still open data keys. */
export interface MasterKeys {
  current: Buffer;
  previous: readonly Buffer[];
}

export interface KeyRow {
  id: string;
  purpose: string;
  wrapped: string;
  created_at: number;
  retired_at: number | null;
}

/** How the keyring reads and writes `encryption_keys` (raw handles: never inside a caller's transaction). */
export interface KeyTable {
  all(): Promise<KeyRow[]>;
  one(id: string): Promise<KeyRow | undefined>;
  insert(row: KeyRow): Promise<void>;
  rewrap(id: string, wrapped: string): Promise<void>;
}

const INDEX_KEY_ID = 'bik_1';

/** How often a process looks for a data key another process made current. */
const REFRESH_MS = 30_000;

/**
 * The open keys of one store: seals under the newest data key, opens under any data key
 * the table holds, and computes blind indexes. Unknown key ids (made by a rotation in
 * another process) are loaded on demand.
 */
export class Keyring {
  private readonly keys = new Map<string, DataKey>();
  private current!: DataKey;
  private indexKey!: Buffer;
  private checkedAt = Date.now();

  private constructor(
    private readonly masters: MasterKeys,
    private readonly table: KeyTable,
  ) {}

  /** Opens every key in the table, creating the first data and index keys on a new database. */
  static async open(masters: MasterKeys, table: KeyTable, now: number): Promise<Keyring> {
    const ring = new Keyring(masters, table);
    let rows = await table.all();
    for (const purpose of ['index', 'data'])
      if (!rows.some((r) => r.purpose === purpose)) await ring.create(purpose, now);
    rows = await table.all();
    for (const row of rows) ring.adopt(row);
    return ring;
  }

  get masterKeys(): MasterKeys {
    return this.masters;
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** Makes a new data key the one new values are sealed under; returns its id. */
  async create(purpose: string, now: number): Promise<string> {
    // One index key per database, whoever starts first: a second would split lookups.
    const id = purpose === 'index' ? INDEX_KEY_ID : newId('dek');
    const row = {
      id,
      purpose,
      wrapped: wrapKey(this.masters.current, id, newDataKey()),
      created_at: now,
      retired_at: null,
    };
    await this.table.insert(row);
    // The index key is adopted from the table (another process may have won the race to
    // make it); a data key made by a rotation becomes current here at once.
    if (this.current !== undefined && purpose === 'data') this.adopt(row);
    return id;
  }

  /** Re-wraps every key under the current master key; returns how many changed. */
  async rewrapAll(): Promise<number> {
    const id = masterKeyId(this.masters.current);
    let changed = 0;
    for (const row of await this.table.all()) {
      if (row.wrapped.startsWith(`kw:v1:${id}:`)) continue;
      const key = this.unwrap(row);
      await this.table.rewrap(row.id, wrapKey(this.masters.current, row.id, key));
      changed += 1;
    }
    return changed;
  }

  seal(text: string): string {
    this.maybeRefresh();
    return seal(this.current, text);
  }

  /** Opens a sealed value whose key is loaded (see `load`); throws CorruptDataError otherwise. */
  open(text: string, where: string): string {
    const id = sealedKeyId(text);
    const key = id === null ? undefined : this.keys.get(id);
    if (!key)
      throw new CorruptDataError(
        `${where} is sealed under data key ${id ?? '?'}, which is unknown`,
        [{ path: where, problem: 'sealed under a data key this database does not hold' }],
      );
    try {
      return open(key, text);
    } catch (error) {
      const problem = error instanceof KeyMismatchError ? error.message : String(error);
      throw new CorruptDataError(`${where} does not decrypt: ${problem}`, [
        { path: where, problem },
      ]);
    }
  }

  knows(id: string): boolean {
    return this.keys.has(id);
  }

  /** Loads a data key made after this process started (a rotation elsewhere). */
  async load(id: string): Promise<void> {
    if (this.keys.has(id)) return;
    const row = await this.table.one(id);
    if (row) this.adopt(row);
  }

  blindIndex(kind: string, normalized: string): string {
    return blindIndex(this.indexKey, kind, normalized);
  }

  private adopt(row: KeyRow): void {
    const key = this.unwrap(row);
    if (row.purpose === 'index') {
      this.indexKey ??= key;
      return;
    }
    this.keys.set(row.id, { id: row.id, key });
    if (row.retired_at === null && (this.current === undefined || row.created_at >= this.createdAt))
      this.setCurrent(row.id, row.created_at);
  }

  private createdAt = -Infinity;
  private setCurrent(id: string, at: number): void {
    this.current = this.keys.get(id)!;
    this.createdAt = at;
  }

  private unwrap(row: KeyRow): Buffer {
    try {
      return unwrapKey([this.masters.current, ...this.masters.previous], row.id, row.wrapped);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new ConfigError(
        `RAPPORT_ENCRYPTION_KEY does not open this database's keys (${why}). Set the master key the data was encrypted with; during a rotation put the old one in RAPPORT_ENCRYPTION_KEY_PREVIOUS.`,
        [{ path: 'encryptionKey', problem: why }],
      );
    }
  }

  private maybeRefresh(): void {
    const now = Date.now();
    if (now - this.checkedAt < REFRESH_MS) return;
    this.checkedAt = now;
    void this.refresh().catch(() => undefined);
  }

  /** Picks up a data key another process made current. */
  async refresh(): Promise<void> {
    for (const row of await this.table.all()) {
      if (row.purpose !== 'data') continue;
      if (!this.keys.has(row.id)) this.adopt(row);
      else if (row.retired_at === null && row.created_at > this.createdAt)
        this.setCurrent(row.id, row.created_at);
    }
  }
}
