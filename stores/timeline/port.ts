/**
 * The timeline port: append-mostly, per-partition ordered rows read newest first
 * by cursor. A partition is a conversation or a group; rows are ordered by their
 * position (the JetStream sequence of the commit that produced them), and carry
 * the server time used for time-range filters and time buckets.
 *
 * Production adapter: ScyllaDB (partition = (conversation, time bucket)).
 * Embedded default: LMDB.
 */

export type Bytes = Uint8Array;

export interface TimelineRow {
  readonly partition: string;
  /** Order within the partition; unique per partition; a positive safe integer. */
  readonly position: number;
  /** Server time in milliseconds since the epoch. */
  readonly time: number;
  readonly value: Bytes;
  /**
   * The stream position the row is current as of (a projection's batch: the sequence of its
   * last commit), a non-negative safe integer. An adapter whose writes are not atomic with the
   * checkpoint's owner check (ScyllaDB) orders writes of a row by it, whatever their arrival
   * order: a write never replaces the row written with a higher version, so a stale owner's late
   * write cannot replace a newer row. Rows written without a version are older than versioned
   * ones. Adapters that fence atomically (LMDB) ignore it.
   */
  readonly version?: number;
}

export interface PageOptions {
  /** 1..1000 */
  readonly limit: number;
  /** Only rows with position < before (the cursor of the previous page). */
  readonly before?: number;
  /** Only rows with time >= fromTime (ms). */
  readonly fromTime?: number;
  /** Only rows with time < toTime (ms). */
  readonly toTime?: number;
}

export interface Page {
  /** Newest first (descending position). */
  readonly rows: TimelineRow[];
  /** Position to pass as `before` for the next page; absent when no more rows exist. */
  readonly next?: number;
}

export interface TimelineCheckpoint {
  readonly name: string;
  readonly position: number;
  /** The owner epoch the write is fenced with (see claimCheckpoint). */
  readonly fence?: number;
  /**
   * Like TimelineRow.version (normally the position itself): where the adapter orders writes
   * by version, a checkpoint written with a lower version than the stored one is not applied,
   * so it never moves backwards under a stale owner.
   */
  readonly version?: number;
}

/** A fenced write refused: a newer owner epoch holds the checkpoint. */
export class TimelineFenced extends Error {
  override readonly name = 'TimelineFenced';
  constructor(
    readonly checkpoint: string,
    readonly epoch: number,
  ) {
    super(`timeline checkpoint ${checkpoint} is held by a newer owner than epoch ${epoch}`);
  }
}

export interface TimelineStore {
  /**
   * Writes rows (insert or overwrite by partition+position) and, when given,
   * the checkpoint, in one atomic step: after a crash either all are visible
   * or none.
   */
  write(rows: readonly TimelineRow[], checkpoint?: TimelineCheckpoint): Promise<void>;
  /**
   * Fencing for partitioned projections (optional: an adapter without it serves
   * single-owner projections only). Raises the owner epoch of checkpoint `name`
   * to `epoch` and returns its position, in one atomic step; resolves undefined
   * (and changes nothing) when a higher epoch holds it. A `write` whose
   * checkpoint carries `fence` then commits only while that epoch still holds it,
   * and otherwise writes nothing and throws TimelineFenced.
   */
  claimCheckpoint?(name: string, epoch: number): Promise<number | undefined>;
  get(partition: string, position: number): Promise<TimelineRow | undefined>;
  page(partition: string, options: PageOptions): Promise<Page>;
  /** The last position recorded for checkpoint `name` (0 when none). */
  checkpoint(name: string): Promise<number>;
  /** Removes every row of the partition. */
  dropPartition(partition: string): Promise<void>;
  close(): Promise<void>;
}

export const MAX_PAGE_LIMIT = 1000;
