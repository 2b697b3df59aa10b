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

export interface TimelineStore {
  /**
   * Writes rows (insert or overwrite by partition+position) and, when given,
   * the checkpoint, in one atomic step: after a crash either all are visible
   * or none.
   */
  write(rows: readonly TimelineRow[], checkpoint?: { readonly name: string; readonly position: number }): Promise<void>;
  get(partition: string, position: number): Promise<TimelineRow | undefined>;
  page(partition: string, options: PageOptions): Promise<Page>;
  /** The last position recorded for checkpoint `name` (0 when none). */
  checkpoint(name: string): Promise<number>;
  /** Removes every row of the partition. */
  dropPartition(partition: string): Promise<void>;
  close(): Promise<void>;
}

export const MAX_PAGE_LIMIT = 1000;
