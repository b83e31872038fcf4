/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two
 * neighbouring letters (optimal string alignment), the usual shapes of a typo.
 */
export function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      next[j] = d;
    }
    before = row;
    row = next;
  }
  return row[b.length]!;
}

/**
 * The known name closest to a misspelt one, when it is close enough to be the likely
 * intent: at most a third of the longer name's letters differ (case ignored), so
 * `odrer_count` finds `order_count` and `zzz` finds nothing. Ties go to the earlier name.
 */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    // Only names within the threshold can win, so a length gap past it skips the work.
    const limit = Math.max(1, Math.floor(Math.max(wanted.length, candidate.length) / 3));
    if (Math.abs(candidate.length - wanted.length) > limit) continue;
    const d = editDistance(wanted, candidate.toLowerCase());
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
