import type { Clock } from './clock.js';

/**
 * A small map whose entries expire, for hot read paths that may be a few seconds stale
 * (who an identifier belongs to, workspace settings). Bounded: when full it starts over,
 * which is cheap and keeps memory flat under a flood of distinct keys.
 */
export class TtlCache<V> {
  private readonly map = new Map<string, { at: number; value: V }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly max = 50_000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.clock.now();
    const hit = this.map.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, { at: now, value });
    return value;
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}
