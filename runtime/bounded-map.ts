/**
 * Sets `key` in a Map used as a least-recently-used store: the entry moves to
 * the newest end, and the oldest entries go beyond `max`.
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done === true) break;
    map.delete(oldest.value);
  }
}
