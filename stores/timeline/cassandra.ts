/**
 * The timeline port on ScyllaDB (any CQL server: proven against Apache Cassandra 5.0),
 * through `cassandra-driver`.
 *
 * Schema (stores/timeline/cassandra-migrations.ts):
 * - `timeline_rows`, partitioned by (partition, time bucket), clustered by position
 *   newest first. A bucket is `floor(time / bucketMs)` (default one day), so a long
 *   conversation spreads over many bounded CQL partitions.
 * - `timeline_buckets`, one CQL partition per timeline partition listing its buckets with
 *   the highest and lowest position ever written into each. The bounds are kept without
 *   a read: `high` is written with the position as its write timestamp and `low` with
 *   2^53 - position, so last-write-wins keeps the maximum and the minimum. They only
 *   widen (dropPartition leaves them), so they never hide a row.
 * - `timeline_checkpoints`: the projections' checkpoints.
 *
 * A page reads the bucket list once (only the buckets of the time window, when one is
 * given), visits buckets by their highest position, newest first, and merges: a bucket
 * whose highest position cannot beat the page already gathered is not read. Buckets
 * inside the window are read with a LIMIT; the one or two buckets at its edges are read
 * page by page and filtered by time.
 *
 * Crash consistency of `write(rows, checkpoint)`: CQL has no multi-partition transaction
 * (a logged batch is eventually all-or-nothing but is limited in size). Instead every
 * row write is an idempotent upsert keyed by (partition, position), and the write goes
 * in this order: bucket bounds, rows, then the checkpoint, each step only after the
 * previous one was acknowledged. After a crash the checkpoint is never ahead of the
 * rows; rows ahead of the checkpoint are written again, identically, by the replay from
 * the checkpoint, so the view converges to what a rebuild gives. A row rewritten with a
 * time in another bucket is removed from the old bucket (found through the bounds).
 *
 * Driver settings: prepared statements for every data statement (which also gives the
 * driver the routing key), token-aware over DC-aware round-robin load balancing with the
 * configured local datacenter, statements marked idempotent (the driver may retry them
 * on another node), read and write consistency configurable (default LOCAL_QUORUM). The
 * rows of one CQL partition (partition, bucket) go in unlogged batches, one mutation each;
 * the bucket bounds stay one statement each (batched, an end-to-end suite read rows as
 * missing: docs/BENCHMARKS.md).
 *
 * Versions and write timestamps (partitioned projections, docs/adr/0220): every row, row
 * delete and checkpoint is written `USING TIMESTAMP`, so last-write-wins orders the versions of
 * a cell by stream position, whatever the order in which the writes arrive. A timestamp is
 * generation * 2^53 + offset: the offset is 2^52 + version for a versioned write (a row's or a
 * checkpoint's `version`, the stream position it is current as of), or the client's monotonic
 * microsecond clock for an unversioned one (below 2^52 until 2112, so older than any versioned
 * write of its generation). A stale owner's late write of an older position therefore never
 * replaces a newer row nor moves the checkpoint back. dropPartition deletes just below the next
 * generation and moves the store to it (`timeline_settings`, row `generation`, itself written
 * with the generation as its timestamp): a rebuild's rows, whose positions start again at 1,
 * are not hidden by the tombstones of the rows they replace. A reset costs one generation
 * (drops in a row share it); 1023 are available per keyspace. The owner epochs that fence
 * partitioned projections are `timeline_settings` rows `fence:<checkpoint>`, written with the
 * epoch as their timestamp (the highest epoch wins without a lightweight transaction); a write
 * reads its epoch first and is refused once a newer owner has claimed the checkpoint. That read
 * is not atomic with the rows: the timestamps cover the race.
 */
import cassandra from 'cassandra-driver';
import { inParallel } from '../../runtime/parallel.ts';
import type { Replication } from '../../runtime/config-scylladb.ts';
import { migrate, requireKeyspace } from './cassandra-migrations.ts';
import { CONSISTENCY_LEVELS, type ConsistencyLevel } from '../../runtime/config-scylladb.ts';
import {
  TimelineFenced,
  type Page,
  type PageOptions,
  type TimelineCheckpoint,
  type TimelineRow,
  type TimelineStore,
} from './port.ts';
import {
  requireCheckpoint,
  requireCheckpointName,
  requirePageOptions,
  requirePosition,
  requireRow,
} from './arguments.ts';

const { types, policies } = cassandra;
type Client = cassandra.Client;
type Long = cassandra.types.Long;

export { CONSISTENCY_LEVELS, type ConsistencyLevel };

const CONSISTENCY: Record<ConsistencyLevel, number> = {
  ONE: types.consistencies.one,
  TWO: types.consistencies.two,
  THREE: types.consistencies.three,
  QUORUM: types.consistencies.quorum,
  ALL: types.consistencies.all,
  LOCAL_QUORUM: types.consistencies.localQuorum,
  EACH_QUORUM: types.consistencies.eachQuorum,
  LOCAL_ONE: types.consistencies.localOne,
};

export const DEFAULT_BUCKET_MS = 86_400_000;
/** `low` bounds are written at timestamp LOW_BASE - position, so the smallest position wins. */
const LOW_BASE = 2 ** 53;
/** The timestamps of one generation (see the module comment). */
const GENERATION_SPAN = 2n ** 53n;
/** Offset of versioned writes within a generation: above every microsecond clock until 2112. */
const VERSIONED_OFFSET = 2n ** 52n;
/** Generations a keyspace can go through (timestamps are signed 64-bit). */
export const MAX_GENERATION = 1023;
const GENERATION_SETTING = 'generation';
const fenceSetting = (checkpoint: string) => `fence:${checkpoint}`;

/** Statements in flight at once for one write. */
const WRITE_CONCURRENCY = 32;
/**
 * Limits of one unlogged batch: the servers warn above 5 KiB and refuse above 50 KiB of batch
 * (batch_size_fail_threshold, ScyllaDB and Cassandra alike), so values are grouped up to 40 KiB
 * (a larger row goes alone).
 */
const BATCH_BYTES = 40 * 1024;
const BATCH_STATEMENTS = 64;
/** Rows fetched per round trip when a bucket at the edge of a time window is filtered. */
const EDGE_FETCH = 200;

export interface CassandraTimelineOptions {
  /** host or host:port of some nodes (the driver discovers the others). */
  readonly contactPoints: readonly string[];
  readonly localDataCenter: string;
  readonly keyspace: string;
  /** Used when the keyspace is created (an existing keyspace keeps its own). */
  readonly replication?: Replication;
  readonly readConsistency?: ConsistencyLevel;
  readonly writeConsistency?: ConsistencyLevel;
  /** Width of a time bucket; fixed by the first store that opens the keyspace. */
  readonly bucketMs?: number;
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Observes every request (tests, metrics). */
  readonly requestTracker?: cassandra.tracker.RequestTracker;
}

function requirePartition(partition: unknown, field = 'partition'): asserts partition is string {
  if (typeof partition !== 'string') throw new TypeError(`${field} must be a string, got ${typeof partition}`);
  if (partition.length === 0) throw new RangeError(`${field} must not be empty`);
  if (Buffer.byteLength(partition, 'utf8') > 16_384)
    throw new RangeError(`${field} is longer than 16384 bytes of UTF-8`);
}

const long = (n: number): Long => types.Long.fromNumber(n);
const num = (v: unknown): number => (v instanceof types.Long ? v.toNumber() : Number(v));

/** The driver's Host, with the shutdown the driver itself calls on its hosts (not in its typings). */
interface ShutdownableHost {
  shutdown(waitForPending: boolean): Promise<void>;
}

/** One statement of a write, with the size of what it writes (for batching). */
interface Statement {
  readonly query: string;
  readonly params: unknown[];
  readonly bytes: number;
}

interface BucketBounds {
  readonly bucket: number;
  readonly high: number;
  readonly low: number;
}

export class CassandraTimelineStore implements TimelineStore {
  private closed = false;
  private readonly read: cassandra.QueryOptions;
  private readonly writeOptions: cassandra.QueryOptions;
  private readonly q: ReturnType<typeof statements>;
  /** The timestamp generation this store writes in (see the module comment). */
  private generation = 0;
  /** A drop moved to a new generation and nothing was written since (the next drop shares it). */
  private freshGeneration = false;
  /** Last microsecond timestamp given to an unversioned write (monotonic within the process). */
  private lastMicros = 0;

  private constructor(
    private readonly client: Client,
    /** Hosts the driver dropped from its map (see `open`), shut down again on close. */
    private readonly dropped: ReadonlySet<ShutdownableHost>,
    keyspace: string,
    /** Width of a time bucket, ms. */
    readonly bucketMs: number,
    readConsistency: ConsistencyLevel,
    writeConsistency: ConsistencyLevel,
  ) {
    this.q = statements(keyspace);
    this.read = { prepare: true, isIdempotent: true, consistency: CONSISTENCY[readConsistency] };
    this.writeOptions = { prepare: true, isIdempotent: true, consistency: CONSISTENCY[writeConsistency] };
  }

  /** Connects, applies the schema migrations and fixes (or checks) the bucket width. */
  static async open(options: CassandraTimelineOptions): Promise<CassandraTimelineStore> {
    const keyspace = requireKeyspace(options.keyspace);
    const bucketMs = options.bucketMs ?? DEFAULT_BUCKET_MS;
    if (!Number.isSafeInteger(bucketMs) || bucketMs < 1000)
      throw new RangeError(`bucketMs must be an integer of at least 1000, got ${bucketMs}`);
    if (options.contactPoints.length === 0) throw new RangeError('contactPoints must name at least one node');
    const client = new cassandra.Client({
      contactPoints: [...options.contactPoints],
      localDataCenter: options.localDataCenter,
      policies: {
        loadBalancing: new policies.loadBalancing.TokenAwarePolicy(
          new policies.loadBalancing.DCAwareRoundRobinPolicy(options.localDataCenter),
        ),
        reconnection: new policies.reconnection.ExponentialReconnectionPolicy(200, 5000, false),
      },
      socketOptions: { connectTimeout: 5000, readTimeout: 12_000 },
      ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
      ...(options.requestTracker === undefined ? {} : { requestTracker: options.requestTracker }),
    });
    // cassandra-driver 4.10: when its control connection finds no usable connection (every node
    // down, e.g. across a restart of a one-node cluster) it initialises again and replaces each Host
    // object in its map by a new one without shutting the old one down. The old Host keeps a health
    // interval and its pool a reconnection timer, which keep the process alive after shutdown().
    // The old Host still serves: the token map (token-aware routing) keeps pointing at it, so it is
    // not shut down at once (a test did that: every write failed after the restart), only on close.
    const dropped = new Set<ShutdownableHost>();
    client.on('hostRemove', (host: unknown) => {
      dropped.add(host as ShutdownableHost);
    });
    try {
      await client.connect();
      await migrate(client, keyspace, options.replication ?? { class: 'SimpleStrategy', factor: 1 });
      const store = new CassandraTimelineStore(
        client,
        dropped,
        keyspace,
        bucketMs,
        options.readConsistency ?? 'LOCAL_QUORUM',
        options.writeConsistency ?? 'LOCAL_QUORUM',
      );
      await store.fixBucketWidth();
      store.generation = (await store.setting(GENERATION_SETTING)) ?? 0;
      return store;
    } catch (error) {
      await client.shutdown().catch(() => undefined);
      await Promise.all([...dropped].map((h) => h.shutdown(false).catch(() => undefined)));
      throw error;
    }
  }

  private async fixBucketWidth(): Promise<void> {
    // A lightweight transaction: the first store to open the keyspace sets the width for all.
    const result = await this.client.execute(this.q.setBucketWidth, ['bucket_ms', long(this.bucketMs)], {
      prepare: true,
      consistency: this.writeOptions.consistency!,
    });
    const row = result.first();
    if (row !== null && row['[applied]'] === false && num(row['value']) !== this.bucketMs) {
      throw new RangeError(
        `the keyspace's timeline uses ${num(row['value'])} ms buckets; this store was configured with ${this.bucketMs}`,
      );
    }
  }

  private async setting(name: string): Promise<number | undefined> {
    const row = (await this.client.execute(this.q.getSetting, [name], this.read)).first();
    return row === null || row['value'] === null ? undefined : num(row['value']);
  }

  /** A write timestamp: versioned (the stream position) or the monotonic clock, in this store's generation. */
  private stamp(version: number | undefined): Long {
    let offset: bigint;
    if (version !== undefined) {
      offset = VERSIONED_OFFSET + BigInt(version);
    } else {
      this.lastMicros = Math.max(this.lastMicros + 1, Date.now() * 1000);
      offset = BigInt(this.lastMicros);
    }
    return types.Long.fromString((BigInt(this.generation) * GENERATION_SPAN + offset).toString());
  }

  /**
   * Fencing for partitioned projections: the owner epoch is raised by a write stamped with the
   * epoch itself (the highest epoch ever written wins), then read back; a higher one means a
   * newer owner.
   */
  async claimCheckpoint(name: string, epoch: number): Promise<number | undefined> {
    this.requireOpen();
    requireCheckpointName(name);
    if (!Number.isSafeInteger(epoch) || epoch < 1)
      throw new RangeError(`epoch must be a positive safe integer, got ${String(epoch)}`);
    await this.client.execute(this.q.setSetting, [fenceSetting(name), long(epoch), long(epoch)], this.writeOptions);
    if (((await this.setting(fenceSetting(name))) ?? 0) > epoch) return undefined;
    return this.checkpoint(name);
  }

  private bucketOf(time: number): number {
    return Math.floor(time / this.bucketMs);
  }

  async write(rows: readonly TimelineRow[], checkpoint?: TimelineCheckpoint): Promise<void> {
    this.requireOpen();
    // No claimCheckpoint here: CQL cannot make rows of many partitions conditional on one owner epoch.
    if (!Array.isArray(rows)) throw new TypeError('rows must be an array');
    rows.forEach((row, i) => {
      requireRow(row, i, requirePartition);
      requireVersionBelow(row.version, `rows[${i}].version`);
    });
    if (checkpoint !== undefined) {
      requireCheckpoint(checkpoint, requireCheckpointName);
      requireVersionBelow(checkpoint.version, 'checkpoint version');
      if (checkpoint.fence !== undefined && (!Number.isSafeInteger(checkpoint.fence) || checkpoint.fence < 1))
        throw new RangeError(`checkpoint fence must be a positive safe integer, got ${String(checkpoint.fence)}`);
    }
    // Own copies of the values, taken before the first await; the last row of a position wins.
    const latest = new Map<
      string,
      { partition: string; position: number; time: number; bucket: number; value: Buffer; version: number | undefined }
    >();
    for (const row of rows) {
      latest.set(`${row.partition}\u0000${row.position}`, {
        partition: row.partition,
        position: row.position,
        time: row.time,
        bucket: this.bucketOf(row.time),
        value: Buffer.from(row.value),
        version: row.version,
      });
    }
    const writes = [...latest.values()];
    // A fenced write: refused once a newer owner claimed the checkpoint (a race with a claim is left to the timestamps).
    if (
      checkpoint?.fence !== undefined &&
      ((await this.setting(fenceSetting(checkpoint.name))) ?? 0) !== checkpoint.fence
    ) {
      throw new TimelineFenced(checkpoint.name, checkpoint.fence);
    }
    this.freshGeneration = false;

    // 1. Bucket bounds (widen only), and stale copies of rewritten rows in other buckets.
    const bounds = new Map<string, { partition: string; bucket: number; high: number; low: number }>();
    for (const w of writes) {
      const key = `${w.partition}\u0000${w.bucket}`;
      const b = bounds.get(key);
      if (b === undefined)
        bounds.set(key, { partition: w.partition, bucket: w.bucket, high: w.position, low: w.position });
      else {
        b.high = Math.max(b.high, w.position);
        b.low = Math.min(b.low, w.position);
      }
    }
    const partitions = [...new Set(writes.map((w) => w.partition))];
    const known = new Map<string, BucketBounds[]>();
    await inParallel(partitions, WRITE_CONCURRENCY, async (p) => {
      known.set(p, await this.buckets(p));
    });
    const stale: { partition: string; bucket: number; position: number; version: number | undefined }[] = [];
    for (const w of writes) {
      for (const b of known.get(w.partition) ?? []) {
        if (b.bucket !== w.bucket && b.low <= w.position && w.position <= b.high)
          stale.push({ partition: w.partition, bucket: b.bucket, position: w.position, version: w.version });
      }
    }
    // One statement each: their USING TIMESTAMP (the max/min trick) is what keeps the bounds.
    const boundWrites: Statement[] = [];
    for (const b of bounds.values()) {
      boundWrites.push({
        query: this.q.setHigh,
        params: [long(b.high), long(b.high), b.partition, long(b.bucket)],
        bytes: 64,
      });
      boundWrites.push({
        query: this.q.setLow,
        params: [long(LOW_BASE - b.low), long(b.low), b.partition, long(b.bucket)],
        bytes: 64,
      });
    }
    await inParallel(boundWrites, WRITE_CONCURRENCY, (st) =>
      this.client.execute(st.query, st.params, this.writeOptions),
    );

    // 2. The rows (idempotent upserts by partition, bucket, position) and removal of stale copies,
    //    in unlogged batches per CQL partition (partition, bucket).
    await inParallel(stale, WRITE_CONCURRENCY, (s) =>
      this.client.execute(
        this.q.deleteRow,
        [this.stamp(s.version), s.partition, long(s.bucket), long(s.position)],
        this.writeOptions,
      ),
    );
    const rowsByCqlPartition = new Map<string, Statement[]>();
    for (const w of writes) {
      const k = `${w.partition}\u0000${w.bucket}`;
      const list = rowsByCqlPartition.get(k) ?? [];
      list.push({
        query: this.q.insertRow,
        params: [w.partition, long(w.bucket), long(w.position), long(w.time), w.value, this.stamp(w.version)],
        bytes: w.value.length + w.partition.length + 32,
      });
      rowsByCqlPartition.set(k, list);
    }
    await this.executeGrouped([...rowsByCqlPartition.values()]);

    // 3. The checkpoint, only once every row is acknowledged.
    if (checkpoint !== undefined) {
      await this.client.execute(
        this.q.setCheckpoint,
        [checkpoint.name, long(checkpoint.position), this.stamp(checkpoint.version)],
        this.writeOptions,
      );
    }
  }

  /**
   * Runs groups of statements that each write one CQL partition: a group as unlogged batches
   * (one mutation of that partition each, atomic and isolated on the node) of at most
   * BATCH_BYTES of values and BATCH_STATEMENTS statements; a lone statement as itself.
   */
  private async executeGrouped(groups: readonly (readonly Statement[])[]): Promise<void> {
    const chunks: Statement[][] = [];
    for (const group of groups) {
      let chunk: Statement[] = [];
      let bytes = 0;
      for (const st of group) {
        if (chunk.length > 0 && (bytes + st.bytes > BATCH_BYTES || chunk.length >= BATCH_STATEMENTS)) {
          chunks.push(chunk);
          chunk = [];
          bytes = 0;
        }
        chunk.push(st);
        bytes += st.bytes;
      }
      if (chunk.length > 0) chunks.push(chunk);
    }
    await inParallel(chunks, WRITE_CONCURRENCY, (chunk) =>
      chunk.length === 1
        ? this.client.execute(chunk[0]!.query, chunk[0]!.params, this.writeOptions)
        : this.client.batch(
            chunk.map((c) => ({ query: c.query, params: c.params })),
            { ...this.writeOptions, logged: false },
          ),
    );
  }

  async get(partition: string, position: number): Promise<TimelineRow | undefined> {
    this.requireOpen();
    requirePartition(partition);
    requirePosition(position);
    const candidates = (await this.buckets(partition)).filter((b) => b.low <= position && position <= b.high);
    for (const b of candidates) {
      const row = (
        await this.client.execute(this.q.getRow, [partition, long(b.bucket), long(position)], this.read)
      ).first();
      if (row !== null) return { partition, position, time: num(row['time']), value: plain(row['value'] as Buffer) };
    }
    return undefined;
  }

  async page(partition: string, options: PageOptions): Promise<Page> {
    this.requireOpen();
    requirePartition(partition);
    requirePageOptions(options);
    const { limit, before, fromTime, toTime } = options;
    if (fromTime !== undefined && toTime !== undefined && fromTime >= toTime) return { rows: [] };
    const upper = before ?? Number.MAX_SAFE_INTEGER + 1;
    const fromBucket = fromTime === undefined ? undefined : this.bucketOf(Math.ceil(fromTime));
    const toBucket = toTime === undefined ? undefined : this.bucketOf(Math.ceil(toTime) - 1);
    const candidates = (await this.buckets(partition, fromBucket, toBucket))
      .filter((b) => b.low < upper)
      .map((b) => ({ ...b, top: Math.min(b.high, upper - 1) }))
      .sort((a, b) => b.top - a.top);
    const need = limit + 1;
    let gathered: TimelineRow[] = [];
    for (const b of candidates) {
      const floor = gathered.length >= need ? gathered[need - 1]!.position : 0;
      if (b.top <= floor) break;
      const start = b.bucket * this.bucketMs;
      const end = start + this.bucketMs;
      const inside = (fromTime === undefined || start >= fromTime) && (toTime === undefined || end <= toTime);
      const matches = (time: number) =>
        (fromTime === undefined || time >= fromTime) && (toTime === undefined || time < toTime);
      const found = await this.scanBucket(partition, b.bucket, upper, floor, need, inside ? undefined : matches);
      gathered = [...gathered, ...found].sort((x, y) => y.position - x.position).slice(0, need);
    }
    if (gathered.length > limit) {
      const rows = gathered.slice(0, limit);
      return { rows, next: rows[rows.length - 1]!.position };
    }
    return { rows: gathered };
  }

  /** Up to `need` rows of one bucket with floor < position < upper, newest first, passing `filter`. */
  private async scanBucket(
    partition: string,
    bucket: number,
    upper: number,
    floor: number,
    need: number,
    filter?: (time: number) => boolean,
  ): Promise<TimelineRow[]> {
    const out: TimelineRow[] = [];
    const params = [partition, long(bucket), long(upper), long(floor), filter === undefined ? need : 2_147_483_647];
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(this.q.scanRows, params, {
        ...this.read,
        fetchSize: filter === undefined ? need : EDGE_FETCH,
        ...(pageState === undefined ? {} : { pageState }),
      });
      for (const r of result.rows) {
        const time = num(r['time']);
        if (filter !== undefined && !filter(time)) continue;
        out.push({ partition, position: num(r['position']), time, value: plain(r['value'] as Buffer) });
        if (out.length >= need) return out;
      }
      pageState = filter === undefined ? undefined : (result.pageState ?? undefined);
    } while (pageState !== undefined);
    return out;
  }

  /** The partition's buckets (within [from, to] when given) with their position bounds. */
  private async buckets(partition: string, from?: number, to?: number): Promise<BucketBounds[]> {
    const out: BucketBounds[] = [];
    const params = [partition, long(from ?? Number.MIN_SAFE_INTEGER), long(to ?? Number.MAX_SAFE_INTEGER)];
    let pageState: string | undefined;
    do {
      const result = await this.client.execute(this.q.buckets, params, {
        ...this.read,
        fetchSize: 1000,
        ...(pageState === undefined ? {} : { pageState }),
      });
      for (const r of result.rows) {
        if (r['high'] === null || r['low'] === null) continue;
        out.push({ bucket: num(r['bucket']), high: num(r['high']), low: num(r['low']) });
      }
      pageState = result.pageState ?? undefined;
    } while (pageState !== undefined);
    return out;
  }

  async checkpoint(name: string): Promise<number> {
    this.requireOpen();
    requireCheckpointName(name);
    const row = (await this.client.execute(this.q.getCheckpoint, [name], this.read)).first();
    return row === null || row['position'] === null ? 0 : num(row['position']);
  }

  async dropPartition(partition: string): Promise<void> {
    this.requireOpen();
    requirePartition(partition);
    // The bucket bounds stay: they only ever widen, and a rewritten partition reuses them.
    const buckets = await this.buckets(partition);
    if (!this.freshGeneration) await this.nextGeneration();
    // Just below the new generation: above every write of the older ones, below every later write.
    const below = types.Long.fromString((BigInt(this.generation) * GENERATION_SPAN - 1n).toString());
    await inParallel(buckets, WRITE_CONCURRENCY, (b) =>
      this.client.execute(this.q.dropBucket, [below, partition, long(b.bucket)], this.writeOptions),
    );
  }

  /** Moves this store (and the keyspace's record) to the next timestamp generation. */
  private async nextGeneration(): Promise<void> {
    const next = Math.max(this.generation, (await this.setting(GENERATION_SETTING)) ?? 0) + 1;
    if (next > MAX_GENERATION)
      throw new RangeError(
        `the timeline keyspace has used all ${MAX_GENERATION} timestamp generations (one per view reset): rebuild the timeline into a new keyspace`,
      );
    await this.client.execute(this.q.setSetting, [GENERATION_SETTING, long(next), long(next)], this.writeOptions);
    this.generation = next;
    this.freshGeneration = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.shutdown();
    await Promise.all([...this.dropped].map((h) => h.shutdown(false).catch(() => undefined)));
  }

  private requireOpen(): void {
    if (this.closed) throw new Error('the Cassandra timeline store is closed');
  }
}

/** Versions of this adapter stay below 2^52 (the versioned offset of a generation). */
function requireVersionBelow(version: number | undefined, field: string): void {
  if (version !== undefined && version >= Number(VERSIONED_OFFSET))
    throw new RangeError(`${field} must be below 2^52, got ${version}`);
}

/** A plain Uint8Array over the driver's Buffer (not sharing the driver's pooled memory). */
function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer);
}

function statements(ks: string) {
  return {
    insertRow: `INSERT INTO ${ks}.timeline_rows (partition, bucket, position, time, value) VALUES (?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    deleteRow: `DELETE FROM ${ks}.timeline_rows USING TIMESTAMP ? WHERE partition = ? AND bucket = ? AND position = ?`,
    getRow: `SELECT time, value FROM ${ks}.timeline_rows WHERE partition = ? AND bucket = ? AND position = ?`,
    scanRows: `SELECT position, time, value FROM ${ks}.timeline_rows WHERE partition = ? AND bucket = ? AND position < ? AND position > ? LIMIT ?`,
    dropBucket: `DELETE FROM ${ks}.timeline_rows USING TIMESTAMP ? WHERE partition = ? AND bucket = ?`,
    setHigh: `UPDATE ${ks}.timeline_buckets USING TIMESTAMP ? SET high = ? WHERE partition = ? AND bucket = ?`,
    setLow: `UPDATE ${ks}.timeline_buckets USING TIMESTAMP ? SET low = ? WHERE partition = ? AND bucket = ?`,
    buckets: `SELECT bucket, high, low FROM ${ks}.timeline_buckets WHERE partition = ? AND bucket >= ? AND bucket <= ?`,
    getCheckpoint: `SELECT position FROM ${ks}.timeline_checkpoints WHERE name = ?`,
    setCheckpoint: `INSERT INTO ${ks}.timeline_checkpoints (name, position) VALUES (?, ?) USING TIMESTAMP ?`,
    getSetting: `SELECT value FROM ${ks}.timeline_settings WHERE name = ?`,
    setSetting: `INSERT INTO ${ks}.timeline_settings (name, value) VALUES (?, ?) USING TIMESTAMP ?`,
    setBucketWidth: `INSERT INTO ${ks}.timeline_settings (name, value) VALUES (?, ?) IF NOT EXISTS`,
  };
}
