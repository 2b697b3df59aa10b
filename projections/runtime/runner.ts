/**
 * The projection runtime: the views a runner is given (the projection workers give it the views
 * of one stream that write one store, bin/projection-workers.ts) share one reader
 * (streams/reader.ts: one consumer, each commit decoded once) and are applied batch by batch.
 * Every view projects the batch into its own transaction; the changes of all views, each with
 * its checkpoint, are then written together (one store transaction per store), and the batch is
 * acknowledged only after. Unfenced, the next batch is projected while a batch commits, reading
 * the committing batch's writes through the targets' in-flight lists (docs/adr/0350). A view behind the others at start catches up on a reader of its own
 * and joins the shared one when level. A commit at or below a view's checkpoint is a harmless
 * redelivery and is skipped for that view; a commit that keeps failing in one view is parked
 * with its error in that view alone, without blocking it or the others.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { EventLog } from '../../streams/log.ts';
import { CommitReader, DEFAULT_BATCH, type Delivery, type CommittingBatch } from '../../streams/reader.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import {
  projectionApplied,
  projectionConsumerRestarts,
  projectionLag,
  projectionParked,
  projectionRedeliveries,
} from '../../runtime/metrics.ts';
import { FencedError, type JointPart, type ParkedCommit, type Projection } from './projection.ts';
import type { ProjectionProgress } from '../query/progress.ts';

export interface RunnerOptions {
  readonly batchSize?: number;
  /** How often a projector is retried on one commit before it is parked. */
  readonly attemptsBeforePark?: number;
  /**
   * Fault injection for crash tests: called after each commit is projected into
   * a view's open transaction and before the transaction is written.
   */
  readonly afterProject?: (seq: number, view: string) => void;
  /** Fault injection for tests: a delivery for which this answers true is dropped, as if lost in transit. */
  readonly loseDelivery?: (seq: number) => boolean;
  /**
   * Run as the owner of a lease with this epoch (projections/runtime/leases.ts): the checkpoints are
   * claimed with it at start, every commit is fenced with it, and the stream is read through
   * an ordered consumer of this runner alone (no durable consumer another owner could share).
   * A fenced commit stops the runner without applying or acknowledging anything more.
   */
  readonly fence?: number;
  /** Read through an ordered consumer of this runner alone instead of the durable one (implied by `fence`). */
  readonly ordered?: boolean;
  /** Called once when a fenced commit is refused (a newer owner holds the checkpoint). */
  readonly onFenced?: (err: FencedError) => void;
  /**
   * The durable consumer of the runner's views (several views: default `views_<stream>`; the
   * projection workers name one per stream and store, bin/projection-workers.ts).
   */
  readonly consumer?: string;
  /** Durable consumers of earlier layouts for the same views: deleted when this runner's starts. */
  readonly replaces?: readonly string[];
}

/** The durable consumer of one view read alone (and of earlier versions, which read every view alone). */
export function durableName(projection: { name: string }): string {
  return `view_${projection.name}`;
}

/** The durable consumer shared by the views of `stream` that one runner applies together. */
export function sharedDurableName(stream: string): string {
  return `views_${stream}`;
}

type Item = StoredCommit | ParkedCommit;

/** One view of the runner: its projection and checkpoint. */
class Member<Tx> implements ProjectionProgress {
  checkpointSeq = 0;
  /** The last commit of the view whose changes were handed to the store (committed or committing): at least checkpointSeq. */
  issuedSeq = 0;
  /** Applied by the runner's shared reader; false while the view catches up on a reader of its own. */
  joined = true;
  /** The view's own reader while it catches up. */
  catchUp: CommitReader | undefined;
  /** Serialises the view's batches between its catch-up reader and the shared one. */
  lock: Promise<unknown> = Promise.resolve();
  private waiters: { seq: number; resolve: (ok: boolean) => void }[] = [];
  constructor(readonly projection: Projection<Tx>) {}

  advance(seq: number): void {
    this.checkpointSeq = seq;
    this.issuedSeq = Math.max(this.issuedSeq, seq);
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) w.seq <= this.checkpointSeq ? w.resolve(true) : still.push(w);
    this.waiters = still;
  }

  async applied(): Promise<number> {
    return this.checkpointSeq;
  }

  waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    if (seq <= this.checkpointSeq) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = { seq, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          resolve(seq <= this.checkpointSeq);
        }
      }, timeoutMs).unref();
    });
  }

  release(): void {
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }
}

/** What one view does with one batch: the commits it projects and the checkpoint it moves to. */
interface Share<Tx> {
  readonly member: Member<Tx>;
  readonly items: Item[];
  readonly lastSeq: number;
  readonly applied: number;
  readonly parked: ParkedCommit[];
  readonly tx?: Tx;
}

/**
 * Applies one or more views of one stream (same filter subject) from one reader. With one view,
 * the view's own durable consumer (`view_<name>`); with several, one shared durable consumer
 * (`views_<stream>`) or, fenced or ordered, one ordered consumer. The reader starts after the
 * lowest checkpoint of the views: a view that is behind (rebuilt, or new) is caught up by the
 * same reader, and the others skip what they already applied without decoding it again.
 */
export class ProjectionRunner<Tx> implements ProjectionProgress {
  private readonly members: Member<Tx>[];
  private reader: CommitReader | undefined;
  private stopped = false;
  private readonly batchSize: number;
  private readonly attemptsBeforePark: number;
  private readonly afterProject: ((seq: number, view: string) => void) | undefined;
  private readonly fence: number | undefined;
  private readonly onFenced: ((err: FencedError) => void) | undefined;
  private fenced = false;
  private readonly ordered: boolean;
  private readonly loseDelivery: ((seq: number) => boolean) | undefined;
  private readonly consumer: string | undefined;
  private readonly replaces: readonly string[];
  /**
   * The shared reader's batch being committed while the next one projects (unfenced runners,
   * docs/adr/0350): resolves true when its write needed more than one attempt.
   */
  private committing: Promise<boolean> | undefined;

  constructor(
    private readonly log: EventLog,
    projections: Projection<Tx> | readonly Projection<Tx>[],
    private readonly logger: Logger,
    options: RunnerOptions = {},
  ) {
    const list = Array.isArray(projections)
      ? (projections as readonly Projection<Tx>[])
      : [projections as Projection<Tx>];
    if (list.length === 0) throw new RangeError('a projection runner needs at least one projection');
    const first = list[0]!;
    for (const p of list) {
      if (p.stream !== first.stream || p.filterSubject !== first.filterSubject) {
        throw new RangeError(
          `views ${first.name} and ${p.name} follow different streams or subjects: they need runners of their own`,
        );
      }
    }
    if (new Set(list.map((p) => p.name)).size !== list.length)
      throw new RangeError('a projection runner got one view twice');
    this.members = list.map((p) => new Member(p));
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    this.attemptsBeforePark = options.attemptsBeforePark ?? 3;
    this.afterProject = options.afterProject;
    this.loseDelivery = options.loseDelivery;
    this.fence = options.fence;
    this.onFenced = options.onFenced;
    this.ordered = options.ordered === true || options.fence !== undefined;
    this.consumer = options.consumer;
    this.replaces = options.replaces ?? [];
  }

  /** The first (with one view, the only) projection of the runner. */
  get projection(): Projection<Tx> {
    return this.members[0]!.projection;
  }

  /** The projections the runner applies. */
  get projections(): Projection<Tx>[] {
    return this.members.map((m) => m.projection);
  }

  /** The progress of one of the runner's views. */
  progressOf(name: string): ProjectionProgress {
    const member = this.members.find((m) => m.projection.name === name);
    if (member === undefined) throw new RangeError(`view ${name} is not run by this runner`);
    return member;
  }

  /** The lowest checkpoint of the views the shared reader applies (it restarts there). */
  private lowest(): number {
    const joined = this.members.filter((m) => m.joined);
    return Math.min(...(joined.length > 0 ? joined : this.members).map((m) => m.checkpointSeq));
  }

  private readerOptions(filter: {
    durable: string | undefined;
    replaces: readonly string[];
    checkpoint: () => number;
    names: readonly string[];
  }) {
    const { stream, filterSubject } = this.projection;
    return {
      stream,
      filterSubject,
      durable: filter.durable,
      replaces: filter.replaces,
      description: `Guardyn views ${filter.names.join(', ')}`,
      batchSize: this.batchSize,
      checkpoint: filter.checkpoint,
      loseDelivery: this.loseDelivery,
      onRestart: () => {
        for (const n of filter.names) projectionConsumerRestarts.inc({ projection: n });
      },
    };
  }

  async start(): Promise<void> {
    for (const m of this.members) {
      const { target, name } = m.projection;
      if (this.fence === undefined) m.checkpointSeq = await target.checkpoint(name);
      else if (target.claim === undefined)
        throw new Error(`view ${name} cannot be fenced: its store has no owner epochs`);
      else m.checkpointSeq = await target.claim(name, this.fence);
      m.issuedSeq = m.checkpointSeq;
    }
    // A view behind the others (rebuilt, or new) catches up on a reader of its own and joins the
    // shared one when it has come level: the others do not wait for it, nor read its backlog again.
    const lead = Math.max(...this.members.map((m) => m.checkpointSeq));
    for (const m of this.members) m.joined = m.checkpointSeq === lead;
    const { stream } = this.projection;
    const names = this.members.map((m) => m.projection.name);
    const single = this.members.length === 1;
    this.reader = new CommitReader(
      this.log,
      this.readerOptions({
        durable: this.ordered
          ? undefined
          : single
            ? durableName(this.projection)
            : (this.consumer ?? sharedDurableName(stream)),
        // The views' own consumers of earlier versions: they would hold messages for nobody.
        replaces: this.ordered
          ? []
          : [...(single ? [] : this.members.map((m) => durableName(m.projection))), ...this.replaces],
        checkpoint: () => this.lowest(),
        names,
      }),
      this.logger,
    );
    for (const m of this.members.filter((x) => !x.joined)) {
      m.catchUp = new CommitReader(
        this.log,
        this.readerOptions({
          durable: undefined,
          replaces: [],
          checkpoint: () => m.checkpointSeq,
          names: [m.projection.name],
        }),
        this.logger,
      );
      await m.catchUp.start((batch) => this.catchUpBatch(m, batch));
      this.logger.info(
        { projection: m.projection.name, checkpoint: m.checkpointSeq, lead },
        'view behind the others: catching up on its own reader',
      );
    }
    await this.reader.start((batch) => this.apply(batch));
    this.logger.info(
      {
        projection: names.join(','),
        stream,
        checkpoint: this.lowest(),
        ...(this.fence === undefined ? {} : { epoch: this.fence }),
      },
      'projection started',
    );
  }

  /** One batch of a view's own catch-up reader; false (stop) once the view has joined the shared reader. */
  private async catchUpBatch(member: Member<Tx>, batch: readonly Delivery[]): Promise<boolean> {
    const run = member.lock.then(async () => (member.joined || this.fenced ? false : this.applyTo(batch, [member])));
    member.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Views catching up on their own reader join the shared one at the first shared batch that
   * follows their checkpoint without a gap (after their own batch in flight, if any, is written).
   */
  private async joinCaughtUp(first: number): Promise<void> {
    for (const m of this.members) {
      if (m.joined || m.checkpointSeq < first - 1) continue;
      const joining = m.lock.then(() => {
        if (m.checkpointSeq < first - 1) return;
        m.joined = true;
        m.catchUp?.halt();
        this.logger.info(
          { projection: m.projection.name, checkpoint: m.checkpointSeq },
          'view caught up: joined the shared reader',
        );
      });
      m.lock = joining;
      await joining;
    }
  }

  /** A newer owner holds a checkpoint: stop reading, apply nothing more. */
  private lostOwnership(err: FencedError): void {
    if (this.fenced) return;
    this.fenced = true;
    this.logger.warn(
      { projection: err.checkpoint, epoch: this.fence },
      'commit fenced: a newer owner holds this view partition; stopping',
    );
    this.reader?.halt();
    for (const m of this.members) m.catchUp?.halt();
    this.onFenced?.(err);
  }

  /**
   * Applies one batch of the shared reader to every view that has joined it. Unfenced, the
   * batch is projected while the previous one commits, and handed back committing
   * (docs/adr/0350); fenced, it resolves once committed.
   */
  private async apply(batch: readonly Delivery[]): Promise<boolean | CommittingBatch> {
    if (this.fenced) return false;
    if (batch.length === 0) return true;
    if (this.members.some((m) => !m.joined)) await this.joinCaughtUp(batch[0]!.seq);
    const members = this.members.filter((m) => m.joined);
    return this.fence === undefined ? this.applyPipelined(batch, members) : this.applyTo(batch, members);
  }

  /**
   * Projects the batch while the previous one commits (its transactions read the previous
   * batch's writes through the targets' in-flight lists, projections/runtime/in-flight.ts), then, once
   * the previous one is committed, hands the batch's writes to the stores and returns without
   * waiting for them: the reader acknowledges the batch when they are committed. Batches commit
   * in order, one at a time. A previous write that failed before it landed makes the batch
   * project again (what it read in flight may have been missing from the store meanwhile); a
   * view that cannot project the whole batch takes the slow path after the previous commit.
   */
  private async applyPipelined(
    batch: readonly Delivery[],
    members: readonly Member<Tx>[],
  ): Promise<boolean | CommittingBatch> {
    let shares = this.sharesOf(batch, members);
    let projected = await Promise.all(shares.map((share) => this.projectWhole(share)));
    const previous = this.committing;
    this.committing = undefined;
    if (previous !== undefined) {
      let retried: boolean;
      try {
        retried = await previous;
      } catch {
        return false;
      }
      if (this.fenced || this.stopped) return false;
      if (retried) {
        shares = this.sharesOf(batch, members);
        projected = await Promise.all(shares.map((share) => this.projectWhole(share)));
      }
    }
    if (projected.some((tx) => tx === undefined)) return this.writeShares(shares, projected);
    const whole = shares.map((share, i) => ({ ...share, tx: projected[i] }));
    for (const s of whole) s.member.issuedSeq = s.lastSeq;
    const committing = this.writeTogether(whole);
    this.committing = committing;
    return { committed: committing.then(() => true) };
  }

  /** Applies one delivered batch to `members`; resolves true once each one's checkpoint is committed. */
  private async applyTo(batch: readonly Delivery[], members: readonly Member<Tx>[]): Promise<boolean> {
    if (this.fenced) return false;
    if (batch.length === 0) return true;
    const shares = this.sharesOf(batch, members);
    // Fast path: each view projects the whole batch into one transaction; the views that could are written together.
    // The views project side by side (they write apart keys): on a remote store (TiKV) their reads overlap
    // instead of queueing one view's round trips behind another's.
    const projected = await Promise.all(shares.map((share) => this.projectWhole(share)));
    return this.writeShares(shares, projected);
  }

  /** Writes the shares the views could project whole together, then the others one commit at a time. */
  private async writeShares(shares: readonly Share<Tx>[], projected: readonly (Tx | undefined)[]): Promise<boolean> {
    try {
      const whole: Share<Tx>[] = [];
      const slow: Share<Tx>[] = [];
      shares.forEach((share, i) => {
        const tx = projected[i];
        if (tx === undefined) slow.push(share);
        else whole.push({ ...share, tx });
      });
      await this.writeTogether(whole);
      for (const share of slow) await this.oneByOne(share);
    } catch (err) {
      if (!(err instanceof FencedError)) throw err;
      this.lostOwnership(err);
      return false;
    }
    return true;
  }

  /** What each of `members` does with the batch: the commits past its last issued one that it owns. */
  private sharesOf(batch: readonly Delivery[], members: readonly Member<Tx>[]): Share<Tx>[] {
    const pending = batch[batch.length - 1]!.pending;
    const shares: Share<Tx>[] = [];
    for (const member of members) {
      const { projection } = member;
      projectionLag.set({ projection: projection.name }, pending);
      const fresh = batch.filter((d) => d.seq > member.issuedSeq);
      const skipped = batch.length - fresh.length;
      if (skipped > 0) projectionRedeliveries.inc({ projection: projection.name }, skipped);
      if (fresh.length === 0) continue;
      const owns = projection.owns;
      // Commits of other partitions are not projected, but the checkpoint moves past them.
      const items = fresh.filter((d) => owns === undefined || owns(d.subject, () => d.commit())).map((d) => d.commit());
      const parked = items.filter((i): i is ParkedCommit => 'error' in i);
      shares.push({
        member,
        items,
        lastSeq: fresh[fresh.length - 1]!.seq,
        applied: items.length - parked.length,
        parked,
      });
    }
    return shares;
  }

  /** The share's commits projected into one transaction, or undefined when one of them failed. */
  private async projectWhole(share: Share<Tx>): Promise<Tx | undefined> {
    const { projection } = share.member;
    const tx = projection.target.begin();
    for (const item of share.items) {
      if ('error' in item) continue;
      try {
        const done = projection.project(item, tx);
        if (done !== undefined) await done;
        this.afterProject?.(item.seq, projection.name);
      } catch {
        return undefined;
      }
    }
    return tx;
  }

  /**
   * Writes the shares' changes and checkpoints: one store transaction per joint target, retried
   * until it works; resolves true when a write needed more than one attempt.
   */
  private async writeTogether(shares: Share<Tx>[]): Promise<boolean> {
    const groups = new Map<unknown, Share<Tx>[]>();
    for (const share of shares) {
      const target = share.member.projection.target;
      const joint = target.commitJoint !== undefined ? (target.jointKey ?? target) : share;
      const list = groups.get(joint);
      if (list) list.push(share);
      else groups.set(joint, [share]);
    }
    // The stores' writes go out together: on the embedded stores, writes issued in one turn share one LMDB transaction.
    const attempts = await Promise.all(
      [...groups.values()].map(async (group) => {
        const first = group[0]!.member.projection;
        const parts: JointPart<Tx>[] = group.map((s) => ({
          name: s.member.projection.name,
          tx: s.tx as Tx,
          seq: s.lastSeq,
          parked: s.parked,
          target: s.member.projection.target,
        }));
        const write =
          group.length === 1 || first.target.commitJoint === undefined
            ? () => first.target.commit(first.name, group[0]!.tx as Tx, group[0]!.lastSeq, group[0]!.parked, this.fence)
            : () => first.target.commitJoint!(parts, this.fence);
        return this.persist(first.name, write);
      }),
    );
    for (const s of shares) this.committed(s.member, s.lastSeq, s.applied, s.parked);
    return attempts.some((n) => n > 1);
  }

  /** Slow path of one view: one commit at a time, parking the ones that keep failing. */
  private async oneByOne(share: Share<Tx>): Promise<void> {
    const { member } = share;
    const { target, name } = member.projection;
    const fence = this.fence;
    for (const item of share.items) {
      if (item.seq <= member.checkpointSeq) continue;
      if ('error' in item) {
        await this.persist(name, () => target.commit(name, target.begin(), item.seq, [item], fence));
        this.committed(member, item.seq, 0, [item]);
        continue;
      }
      let lastError = '';
      for (let attempt = 1; attempt <= this.attemptsBeforePark; attempt++) {
        const one = target.begin();
        try {
          await member.projection.project(item, one);
          await this.persist(name, () => target.commit(name, one, item.seq, [], fence));
          this.committed(member, item.seq, 1, []);
          lastError = '';
          break;
        } catch (err) {
          if (err instanceof FencedError) throw err;
          lastError = (err as Error).message;
          await sleep(10 * attempt);
        }
      }
      if (lastError) {
        const p = { seq: item.seq, subject: item.subject, error: lastError };
        await this.persist(name, () => target.commit(name, target.begin(), item.seq, [p], fence));
        this.committed(member, item.seq, 0, [p]);
      }
    }
    // Commits of other partitions after the last one of this partition.
    if (share.lastSeq > member.checkpointSeq) {
      await this.persist(name, () => target.commit(name, target.begin(), share.lastSeq, [], fence));
      this.committed(member, share.lastSeq, 0, []);
    }
  }

  /** Commits to the store, retrying store failures until it works (nothing is acknowledged before); resolves to the attempts it took. */
  private async persist(name: string, write: () => Promise<void>): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return attempt;
      } catch (err) {
        if (this.stopped || err instanceof FencedError) throw err;
        this.logger.error(
          { projection: name, attempt, err: (err as Error).message },
          'view store write failed; retrying',
        );
        await sleep(Math.min(2000, 50 * attempt));
      }
    }
  }

  private committed(member: Member<Tx>, seq: number, applied: number, parked: readonly ParkedCommit[]): void {
    const { name } = member.projection;
    for (const p of parked) {
      this.logger.error({ projection: name, seq: p.seq, subject: p.subject, error: p.error }, 'commit parked');
      projectionParked.inc({ projection: name });
    }
    if (applied > 0) projectionApplied.inc({ projection: name }, applied);
    member.advance(seq);
  }

  /** The lowest checkpoint of the runner's views. */
  async applied(): Promise<number> {
    return this.lowest();
  }

  /** Resolves true once every view of the runner has applied `seq`. */
  async waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (const m of this.members) {
      if (!(await m.waitFor(seq, Math.max(0, deadline - Date.now())))) return false;
    }
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reader?.stop();
    for (const m of this.members) await m.catchUp?.stop();
    for (const m of this.members) m.release();
  }
}
