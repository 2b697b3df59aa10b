/**
 * The ordered key-value port under a fixed key prefix: every key the caller gives is
 * stored as prefix + key and handed back without the prefix, so several deployments (or
 * test Guardyns) can share one TiKV cluster without seeing each other's keys
 * (GUARDYN_DATABASE__TIKV_KEY_PREFIX). Scans stay inside the prefix: a key between
 * prefix + start and prefix + end always begins with the prefix.
 *
 * Arguments of the wrong type are passed through unchanged, so the wrapped adapter
 * rejects them with its own error; empty keys are refused here (prefixed they would
 * no longer be empty).
 */
import type { Bytes, KvCondition, KvEntry, KvStore, KvWrite, ScanOptions } from './port.ts';

export class PrefixedKvStore implements KvStore {
  private readonly prefix: Buffer;

  get versionedWrites(): boolean {
    return this.inner.versionedWrites === true;
  }

  constructor(
    private readonly inner: KvStore,
    prefix: Uint8Array,
  ) {
    if (!(prefix instanceof Uint8Array) || prefix.length === 0)
      throw new RangeError('a key prefix must be a non-empty Uint8Array');
    this.prefix = Buffer.from(prefix);
  }

  /** prefix + key; anything else than a non-empty Uint8Array goes through as it is (or is refused when empty). */
  private in<T>(key: T, field: string): T {
    if (!(key instanceof Uint8Array)) return key;
    if (key.length === 0) throw new RangeError(`${field} must not be empty`);
    return new Uint8Array(Buffer.concat([this.prefix, key])) as T;
  }

  private out(key: Uint8Array): Uint8Array {
    return key.subarray(this.prefix.length);
  }

  async get(key: Bytes): Promise<Bytes | undefined> {
    return this.inner.get(this.in(key, 'key'));
  }

  async getMany(keys: readonly Bytes[]): Promise<(Bytes | undefined)[]> {
    return this.inner.getMany(Array.isArray(keys) ? keys.map((k, i) => this.in(k, `keys[${i}]`)) : keys);
  }

  async put(key: Bytes, value: Bytes): Promise<void> {
    return this.inner.put(this.in(key, 'key'), value);
  }

  async delete(key: Bytes): Promise<void> {
    return this.inner.delete(this.in(key, 'key'));
  }

  async batch(writes: readonly KvWrite[], conditions: readonly KvCondition[] = []): Promise<boolean> {
    const w = Array.isArray(writes)
      ? writes.map((x, i) =>
          x === null || typeof x !== 'object' ? x : { ...x, key: this.in(x.key, `writes[${i}].key`) },
        )
      : writes;
    const c = Array.isArray(conditions)
      ? conditions.map((x, i) =>
          x === null || typeof x !== 'object'
            ? x
            : { key: this.in(x.key, `conditions[${i}].key`), expected: x.expected },
        )
      : conditions;
    return this.inner.batch(w, c);
  }

  async scan(options: ScanOptions): Promise<KvEntry[]> {
    if (options === null || typeof options !== 'object') return this.inner.scan(options);
    const start =
      options.start instanceof Uint8Array ? new Uint8Array(Buffer.concat([this.prefix, options.start])) : options.start;
    // An empty end selects nothing on every adapter; prefixed it would not be empty.
    const end =
      options.end instanceof Uint8Array && options.end.length > 0
        ? new Uint8Array(Buffer.concat([this.prefix, options.end]))
        : options.end;
    const rows = await this.inner.scan({ ...options, start, end });
    return rows.map((r) => ({ key: this.out(r.key), value: r.value }));
  }

  async compareAndSwap(
    key: Bytes,
    expected: Bytes | null,
    next: Bytes | null,
  ): Promise<{ swapped: boolean; previous: Bytes | undefined }> {
    return this.inner.compareAndSwap(this.in(key, 'key'), expected, next);
  }

  async close(): Promise<void> {
    return this.inner.close();
  }
}
