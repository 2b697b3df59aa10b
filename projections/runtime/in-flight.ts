/**
 * Writes a projection target issued to its store and that are not known to be committed yet.
 * The runtime projects a batch while the store commits the one before it (projections/runtime/runner.ts,
 * docs/adr/0350): the transactions of the next batch read through these writes, newest first,
 * so they see the previous batch's rows before the store does. A write is listed from the moment
 * it is issued until its store call settles (committed: the store answers it; failed: it never
 * landed, and the runtime projects again what it projected meanwhile).
 */
/** One write's values by key (a Map will do). */
export interface InFlightBatch<V> {
  get(key: string): V | undefined;
  entries(): IterableIterator<[string, V]>;
}

export class InFlightWrites<V> {
  private readonly batches: InFlightBatch<V>[] = [];

  /** The newest in-flight value of `key` (a store-specific value, e.g. null for a delete), or undefined. */
  get(key: string): V | undefined {
    for (let i = this.batches.length - 1; i >= 0; i--) {
      const v = this.batches[i]!.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Every in-flight write, oldest first (a later write of a key comes after an earlier one). */
  *entries(): IterableIterator<[string, V]> {
    for (const batch of this.batches) yield* batch.entries();
  }

  get empty(): boolean {
    return this.batches.length === 0;
  }

  /** Lists `batch` while `write` runs (listed before `write` is called, removed once it settles). */
  async during<T>(batch: InFlightBatch<V>, write: () => Promise<T>): Promise<T> {
    this.batches.push(batch);
    try {
      return await write();
    } finally {
      this.batches.splice(this.batches.indexOf(batch), 1);
    }
  }
}

const byStore = new WeakMap<object, InFlightWrites<unknown>>();

/** The in-flight writes to `store` (one list per store, shared by every target that writes it). */
export function inFlightOf<V>(store: object): InFlightWrites<V> {
  let found = byStore.get(store);
  if (found === undefined) {
    found = new InFlightWrites<unknown>();
    byStore.set(store, found);
  }
  return found as InFlightWrites<V>;
}
