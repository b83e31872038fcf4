/**
 * Keeps the k best (index, score) pairs seen so far in a bounded min-heap: O(log k) per
 * push, so selecting from n scores costs O(n log k) instead of a full sort. Ties on score
 * go to the lower index, which keeps every ranking deterministic.
 */
export class TopK {
  private readonly idx: Int32Array;
  private readonly score: Float64Array;
  private size = 0;

  constructor(readonly k: number) {
    this.idx = new Int32Array(Math.max(0, k));
    this.score = new Float64Array(Math.max(0, k));
  }

  get length(): number {
    return this.size;
  }

  /** True when (sa, ia) ranks below (sb, ib). */
  private static worse(sa: number, ia: number, sb: number, ib: number): boolean {
    return sa < sb || (sa === sb && ia > ib);
  }

  /** The score an item must beat to enter (−Infinity while not full). */
  threshold(): number {
    return this.size < this.k ? -Infinity : this.score[0]!;
  }

  push(index: number, score: number): void {
    if (this.k === 0) return;
    const { idx, score: sc } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopK.worse(score, index, sc[parent]!, idx[parent]!)) break;
        idx[i] = idx[parent]!;
        sc[i] = sc[parent]!;
        i = parent;
      }
      idx[i] = index;
      sc[i] = score;
      return;
    }
    if (!TopK.worse(sc[0]!, idx[0]!, score, index)) return;
    this.siftDown(index, score);
  }

  private siftDown(index: number, score: number): void {
    const { idx, score: sc, size } = this;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      let c = l;
      if (r < size && TopK.worse(sc[r]!, idx[r]!, sc[l]!, idx[l]!)) c = r;
      if (!TopK.worse(sc[c]!, idx[c]!, score, index)) break;
      idx[i] = idx[c]!;
      sc[i] = sc[c]!;
      i = c;
    }
    idx[i] = index;
    sc[i] = score;
  }

  /** The kept pairs, best first. */
  sorted(): { index: number; score: number }[] {
    const out: { index: number; score: number }[] = [];
    for (let i = 0; i < this.size; i++) out.push({ index: this.idx[i]!, score: this.score[i]! });
    out.sort((a, b) => b.score - a.score || a.index - b.index);
    return out;
  }
}
