// Grouping into a Map of lists: the "get the list or create it, then push" loop, written
// once. Maps keep insertion order, so groups come out in order of their first item and
// each group keeps its items' order.

/**
 * Appends `value` to the list under `key`, creating the list on first use; returns it.
 *
 * @example const byUser = new Map<string, Order[]>(); pushTo(byUser, order.userId, order);
 */
export function pushTo<K, V>(groups: Map<K, V[]>, key: K, value: V): V[] {
  let list = groups.get(key);
  if (list === undefined) groups.set(key, (list = []));
  list.push(value);
  return list;
}

/**
 * The items grouped by `keyOf`, groups in order of first appearance, items in order.
 *
 * @example groupBy([{ n: 1 }, { n: 2 }, { n: 3 }], (x) => x.n % 2) // Map { 1 => [n1, n3], 0 => [n2] }
 */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) pushTo(groups, keyOf(item), item);
  return groups;
}
