/**
 * A projection target on the timeline port. Rows and the checkpoint are written
 * in one timeline write; parked commits go to a partition of their own.
 */
import { TimelineFenced, type TimelineRow, type TimelineStore } from '../../stores/timeline/port.ts';
import { FencedError, type ParkedCommit, type ProjectionTarget } from './projection.ts';
import { inFlightOf, type InFlightWrites } from './in-flight.ts';

const rowKey = (partition: string, position: number): string => `${partition}\u0000${position}`;

export class TimelineTx {
  private readonly rows = new Map<string, TimelineRow>();
  /** Rows written to the store and not committed yet (the previous batch's, while it commits). */
  private readonly flight: InFlightWrites<TimelineRow>;
  constructor(private readonly store: TimelineStore) {
    this.flight = inFlightOf<TimelineRow>(store);
  }

  async get(partition: string, position: number): Promise<TimelineRow | undefined> {
    const k = rowKey(partition, position);
    return (
      this.rows.get(k) ?? (this.flight.empty ? undefined : this.flight.get(k)) ?? this.store.get(partition, position)
    );
  }

  put(row: TimelineRow): void {
    this.rows.set(rowKey(row.partition, row.position), row);
  }

  pending(): TimelineRow[] {
    return [...this.rows.values()];
  }
}

const parkedPartition = (name: string) => `~parked~${name}`;

export class TimelineProjectionTarget implements ProjectionTarget<TimelineTx> {
  /** @param partitions lists every partition the view may hold (to clear on reset). */
  constructor(
    readonly store: TimelineStore,
    readonly partitions: () => Promise<string[]>,
  ) {}

  checkpoint(name: string): Promise<number> {
    return this.store.checkpoint(name);
  }

  begin(): TimelineTx {
    return new TimelineTx(this.store);
  }

  async commit(
    name: string,
    tx: TimelineTx,
    seq: number,
    parked: readonly ParkedCommit[],
    fence?: number,
  ): Promise<void> {
    const rows = tx.pending();
    // Listed in flight until committed: the next batch projects meanwhile, reading through them.
    const flight = new Map<string, TimelineRow>();
    if (fence === undefined) for (const r of rows) flight.set(rowKey(r.partition, r.position), r);
    for (const p of parked)
      rows.push({
        partition: parkedPartition(name),
        position: p.seq,
        time: Date.now(),
        value: Buffer.from(JSON.stringify(p)),
      });
    try {
      // Every row and the checkpoint carry the stream position they are current as of (this batch's
      // last sequence): a store that orders writes by it (ScyllaDB) never lets a stale owner's late
      // write replace a newer row or move the checkpoint back (docs/adr/0220).
      const write = () =>
        this.store.write(
          rows.map((r) => ({ ...r, version: seq })),
          { name, position: seq, version: seq, ...(fence === undefined ? {} : { fence }) },
        );
      await (flight.size === 0 ? write() : inFlightOf<TimelineRow>(this.store).during(flight, write));
    } catch (err) {
      throw err instanceof TimelineFenced ? new FencedError(name, err.epoch) : err;
    }
  }

  async claim(name: string, epoch: number): Promise<number> {
    if (this.store.claimCheckpoint === undefined)
      throw new Error(
        'this timeline store cannot fence owners: run the timeline view unpartitioned (GUARDYN_PROJECTIONS__PARTITIONS=1)',
      );
    const position = await this.store.claimCheckpoint(name, epoch);
    if (position === undefined) throw new FencedError(name, epoch);
    return position;
  }

  async reset(name: string): Promise<void> {
    for (const p of await this.partitions()) await this.store.dropPartition(p);
    await this.store.dropPartition(parkedPartition(name));
    await this.store.write([], { name, position: 0, version: 0 });
  }

  async parked(name: string): Promise<ParkedCommit[]> {
    const page = await this.store.page(parkedPartition(name), { limit: 1000 });
    return page.rows.reverse().map((r) => JSON.parse(Buffer.from(r.value).toString('utf8')) as ParkedCommit);
  }
}
