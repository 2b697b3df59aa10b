/**
 * A TiKV RawKV client over gRPC: requests are routed to the leader of the region
 * holding their keys (region cache filled from PD), batches are split by region,
 * scans walk region boundaries, and region errors are handled as TiKV's own
 * clients do:
 * - NotLeader: follow the new leader at once (or try the next peer with a short back-off when none is named);
 * - EpochNotMatch: replace the stale region with the current ones and re-split the keys;
 * - RegionNotFound, KeyNotInRegion, StoreNotMatch, others: drop the region (and store) and back off;
 * - ServerIsBusy: back off (at least what the server asks);
 * - StaleCommand: back off; RaftEntryTooLarge: fail;
 * - transport errors (UNAVAILABLE, DEADLINE_EXCEEDED): drop region and store, back off, retry flagged as a retry.
 * Every request has a total back-off budget; past it, it fails.
 *
 * Atomic mode (`atomic`, on by default): every write carries for_cas, which TiKV
 * requires of all writers of keys that RawCompareAndSwap touches.
 */
import * as grpc from '@grpc/grpc-js';
import { BACKOFF, Backoffer } from './backoff.ts';
import { PdClient } from './pd.ts';
import { RegionCache, type CachedRegion } from './region-cache.ts';
import { tikvClient, unary, type KvContext, type KvPair, type RegionError } from './wire.ts';

export interface RawKvOptions {
  /** PD endpoints, host:port (or http://host:port). */
  readonly pdEndpoints: readonly string[];
  /** Send for_cas on every write (needed when compareAndSwap is used). Default true. */
  readonly atomic?: boolean;
  /** Deadline of one RPC (ms). Default 10 000. */
  readonly timeoutMs?: number;
  /** Total back-off one request may sleep (ms). Default 20 000. */
  readonly backoffBudgetMs?: number;
}

export class TikvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TikvError';
  }
}

interface RawResponse {
  region_error: RegionError | null;
  error?: string;
}

const RETRYABLE_CODES = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.CANCELLED,
  grpc.status.UNKNOWN,
]);

const buf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export interface CasResult {
  readonly swapped: boolean;
  /** undefined when the key was absent. */
  readonly previous: Buffer | undefined;
}

export class RawKvClient {
  readonly pd: PdClient;
  readonly regions: RegionCache;
  private readonly clients = new Map<string, grpc.Client>();
  private readonly atomic: boolean;
  private readonly timeoutMs: number;
  private readonly budgetMs: number;
  /** Counts of region errors and retries seen, for tests and metrics. */
  readonly stats = { notLeader: 0, epochNotMatch: 0, regionNotFound: 0, serverIsBusy: 0, transport: 0, other: 0 };

  private constructor(options: RawKvOptions) {
    this.atomic = options.atomic ?? true;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.budgetMs = options.backoffBudgetMs ?? 20_000;
    this.pd = new PdClient(options.pdEndpoints, Math.min(this.timeoutMs, 5000), this.budgetMs);
    this.regions = new RegionCache(this.pd);
  }

  static async connect(options: RawKvOptions): Promise<RawKvClient> {
    const client = new RawKvClient(options);
    await client.pd.connect();
    return client;
  }

  private storeClient(address: string): grpc.Client {
    let client = this.clients.get(address);
    if (client === undefined) {
      client = tikvClient(address);
      this.clients.set(address, client);
    }
    return client;
  }

  private context(cached: CachedRegion, retry: boolean): KvContext {
    return {
      region_id: cached.region.id,
      region_epoch: cached.region.region_epoch,
      peer: cached.leader,
      is_retry_request: retry,
      api_version: 'V1',
    };
  }

  /**
   * Sends one request to a region and handles its region error. Resolves to the
   * response, or to undefined when the caller must locate the region(s) again and
   * retry (after any back-off already taken).
   */
  private async attempt<Res extends RawResponse>(
    cached: CachedRegion,
    method: string,
    body: object,
    bo: Backoffer,
    retry: boolean,
  ): Promise<Res | undefined> {
    let res: Res;
    const address = await this.regions.storeAddress(cached.leader.store_id);
    try {
      res = await unary<Res>(
        this.storeClient(address),
        method,
        { context: this.context(cached, retry), ...body },
        this.timeoutMs,
      );
    } catch (error) {
      const code = (error as grpc.ServiceError).code;
      if (code === undefined || !RETRYABLE_CODES.has(code)) throw error;
      this.stats.transport += 1;
      this.regions.invalidate(cached.region.id);
      this.regions.invalidateStore(cached.leader.store_id);
      this.clients.get(address)?.close();
      this.clients.delete(address);
      await bo.backoff(BACKOFF.rpc, error);
      return undefined;
    }
    const e = res.region_error;
    if (e === null || e === undefined) {
      if (res.error) throw new TikvError(`${method}: ${res.error}`);
      return res;
    }
    if (e.not_leader !== null) {
      this.stats.notLeader += 1;
      if (e.not_leader.leader !== null && e.not_leader.leader.id !== '0') {
        this.regions.updateLeader(cached.region.id, e.not_leader.leader);
      } else {
        this.regions.nextPeer(cached.region.id);
        await bo.backoff(BACKOFF.regionMiss, new TikvError(e.message));
      }
      return undefined;
    }
    if (e.epoch_not_match !== null) {
      this.stats.epochNotMatch += 1;
      if (e.epoch_not_match.current_regions.length > 0) this.regions.replace(cached, e.epoch_not_match.current_regions);
      else this.regions.invalidate(cached.region.id);
      return undefined;
    }
    if (e.server_is_busy !== null) {
      this.stats.serverIsBusy += 1;
      await bo.backoff(
        BACKOFF.serverBusy,
        new TikvError(`server is busy: ${e.server_is_busy.reason}`),
        Number(e.server_is_busy.backoff_ms),
      );
      return undefined;
    }
    if (e.raft_entry_too_large !== null) throw new TikvError(`${method}: the write is too large for one raft entry`);
    if (e.stale_command !== null) {
      await bo.backoff(BACKOFF.staleCommand, new TikvError(e.message));
      return undefined;
    }
    if (e.region_not_found !== null || e.key_not_in_region !== null) this.stats.regionNotFound += 1;
    else this.stats.other += 1;
    this.regions.invalidate(cached.region.id);
    if (e.store_not_match !== null) this.regions.invalidateStore(cached.leader.store_id);
    await bo.backoff(BACKOFF.regionMiss, new TikvError(`${method}: ${e.message}`));
    return undefined;
  }

  /** A single-key request, retried until it gets an answer or the back-off budget is spent. */
  private async single<Res extends RawResponse>(key: Uint8Array, method: string, body: object): Promise<Res> {
    const bo = new Backoffer(this.budgetMs);
    for (let retry = false; ; retry = true) {
      const cached = await this.regions.locate(key);
      const res = await this.attempt<Res>(cached, method, body, bo, retry);
      if (res !== undefined) return res;
    }
  }

  /** Groups keys (in order given) by the region that holds them. */
  private async group<T>(items: readonly T[], keyOf: (item: T) => Uint8Array): Promise<Map<CachedRegion, T[]>> {
    const groups = new Map<CachedRegion, T[]>();
    for (const item of items) {
      const cached = await this.regions.locate(keyOf(item));
      const list = groups.get(cached);
      if (list === undefined) groups.set(cached, [item]);
      else list.push(item);
    }
    return groups;
  }

  /** Sends one request per region for `items`, regrouping the items of a region that errs. */
  private async perRegion<T, Res extends RawResponse>(
    items: readonly T[],
    keyOf: (item: T) => Uint8Array,
    method: string,
    body: (items: T[]) => object,
  ): Promise<Res[]> {
    const bo = new Backoffer(this.budgetMs);
    const out: Res[] = [];
    let pending: readonly T[] = items;
    for (let retry = false; pending.length > 0; retry = true) {
      const groups = await this.group(pending, keyOf);
      const again: T[] = [];
      await Promise.all(
        [...groups].map(async ([cached, group]) => {
          const res = await this.attempt<Res>(cached, method, body(group), bo, retry);
          if (res === undefined) again.push(...group);
          else out.push(res);
        }),
      );
      pending = again;
    }
    return out;
  }

  async get(key: Uint8Array): Promise<Buffer | undefined> {
    const res = await this.single<RawResponse & { value: Buffer; not_found: boolean }>(key, 'RawGet', {
      key: buf(key),
      cf: '',
    });
    return res.not_found ? undefined : res.value;
  }

  /** Values of the keys present (keyed by hex of the key). */
  async batchGet(keys: readonly Uint8Array[]): Promise<Map<string, Buffer>> {
    const unique = [...new Map(keys.map((k) => [Buffer.from(k).toString('hex'), k])).values()];
    const found = new Map<string, Buffer>();
    if (unique.length === 0) return found;
    const responses = await this.perRegion<Uint8Array, RawResponse & { pairs: KvPair[] }>(
      unique,
      (k) => k,
      'RawBatchGet',
      (group) => ({ keys: group.map(buf), cf: '' }),
    );
    for (const res of responses) for (const pair of res.pairs) found.set(pair.key.toString('hex'), pair.value);
    return found;
  }

  async put(key: Uint8Array, value: Uint8Array): Promise<void> {
    await this.single(key, 'RawPut', { key: buf(key), value: buf(value), cf: '', for_cas: this.atomic });
  }

  async batchPut(pairs: readonly { key: Uint8Array; value: Uint8Array }[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.perRegion(
      pairs,
      (p) => p.key,
      'RawBatchPut',
      (group) => ({
        pairs: group.map((p) => ({ key: buf(p.key), value: buf(p.value) })),
        cf: '',
        for_cas: this.atomic,
      }),
    );
  }

  async delete(key: Uint8Array): Promise<void> {
    await this.single(key, 'RawDelete', { key: buf(key), cf: '', for_cas: this.atomic });
  }

  async batchDelete(keys: readonly Uint8Array[]): Promise<void> {
    if (keys.length === 0) return;
    await this.perRegion(
      keys,
      (k) => k,
      'RawBatchDelete',
      (group) => ({ keys: group.map(buf), cf: '', for_cas: this.atomic }),
    );
  }

  /**
   * Sets `key` to `next` if its value is `expected` (null: absent), atomically on
   * the server (RawCompareAndSwap has no delete: see the adapter's tombstones).
   * Requires atomic mode.
   */
  async compareAndSwap(key: Uint8Array, expected: Uint8Array | null, next: Uint8Array): Promise<CasResult> {
    if (!this.atomic) throw new TikvError('compareAndSwap needs atomic mode (for_cas on every write)');
    const res = await this.single<
      RawResponse & { succeed: boolean; previous_not_exist: boolean; previous_value: Buffer }
    >(key, 'RawCompareAndSwap', {
      key: buf(key),
      value: buf(next),
      previous_not_exist: expected === null,
      previous_value: expected === null ? Buffer.alloc(0) : buf(expected),
      cf: '',
    });
    return { swapped: res.succeed, previous: res.previous_not_exist ? undefined : res.previous_value };
  }

  /** Entries with start <= key < end (end empty: no bound), ascending, at most `limit`, across regions. */
  async scan(start: Uint8Array, end: Uint8Array, limit: number): Promise<KvPair[]> {
    const out: KvPair[] = [];
    const bo = new Backoffer(this.budgetMs);
    let cursor = buf(start);
    for (let retry = false; out.length < limit; ) {
      const cached = await this.regions.locate(cursor);
      const regionEnd = cached.region.end_key;
      const lastRegion = regionEnd.length === 0 || (end.length > 0 && Buffer.compare(end, regionEnd) <= 0);
      const res = await this.attempt<RawResponse & { kvs: KvPair[] }>(
        cached,
        'RawScan',
        { start_key: cursor, end_key: lastRegion ? buf(end) : regionEnd, limit: limit - out.length, cf: '' },
        bo,
        retry,
      );
      if (res === undefined) {
        retry = true;
        continue;
      }
      retry = false;
      out.push(...res.kvs);
      if (lastRegion) break;
      cursor = regionEnd;
    }
    return out;
  }

  /** Entries with start <= key < end, descending, at most `limit`, across regions. */
  async reverseScan(start: Uint8Array, end: Uint8Array, limit: number): Promise<KvPair[]> {
    if (end.length === 0) throw new RangeError('reverseScan needs an end key');
    const out: KvPair[] = [];
    const bo = new Backoffer(this.budgetMs);
    let cursor = buf(end);
    for (let retry = false; out.length < limit; ) {
      const cached = await this.regions.locateEnd(cursor, start);
      const regionStart = cached.region.start_key;
      const firstRegion = Buffer.compare(regionStart, start) <= 0;
      const res = await this.attempt<RawResponse & { kvs: KvPair[] }>(
        cached,
        'RawScan',
        {
          start_key: cursor,
          end_key: firstRegion ? buf(start) : regionStart,
          limit: limit - out.length,
          reverse: true,
          cf: '',
        },
        bo,
        retry,
      );
      if (res === undefined) {
        retry = true;
        continue;
      }
      retry = false;
      out.push(...res.kvs);
      if (firstRegion) break;
      cursor = regionStart;
    }
    return out;
  }

  /** Deletes every key in [start, end), region by region. */
  async deleteRange(start: Uint8Array, end: Uint8Array): Promise<void> {
    const bo = new Backoffer(this.budgetMs);
    let cursor = buf(start);
    for (let retry = false; ; ) {
      const cached = await this.regions.locate(cursor);
      const regionEnd = cached.region.end_key;
      const lastRegion = regionEnd.length === 0 || (end.length > 0 && Buffer.compare(end, regionEnd) <= 0);
      const res = await this.attempt(
        cached,
        'RawDeleteRange',
        { start_key: cursor, end_key: lastRegion ? buf(end) : regionEnd, cf: '' },
        bo,
        retry,
      );
      if (res === undefined) {
        retry = true;
        continue;
      }
      retry = false;
      if (lastRegion) return;
      cursor = regionEnd;
    }
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    this.pd.close();
  }
}
