/**
 * The projection runtime: follows a stream through a durable pull consumer,
 * applies commits in batches, writes the view changes and the checkpoint in
 * one store transaction, and acknowledges only after that commit. A commit at
 * or below the checkpoint is a harmless redelivery and is skipped; a commit
 * that keeps failing is parked with its error instead of blocking the view.
 */
import { AckPolicy, DeliverPolicy, JetStreamApiError, JetStreamApiCodes, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { EventLog } from '../streams/log.ts';
import type { StoredCommit } from '../streams/envelope.ts';
import { projectionApplied, projectionConsumerRestarts, projectionLag, projectionParked, projectionRedeliveries } from '../runtime/metrics.ts';
import { FencedError, type ParkedCommit, type Projection, type ProjectionProgress } from './projection.ts';
import { PULL_EXPIRES_MS, freshConsumerPrefix, watchStall } from '../streams/pull.ts';

export interface RunnerOptions {
  readonly batchSize?: number;
  /** How often a projector is retried on one commit before it is parked. */
  readonly attemptsBeforePark?: number;
  /**
   * Fault injection for crash tests: called after each commit is projected into
   * the open transaction and before the transaction is written.
   */
  readonly afterProject?: (seq: number) => void;
  /** Fault injection for tests: a delivery for which this answers true is dropped, as if lost in transit. */
  readonly loseDelivery?: (seq: number) => boolean;
  /**
   * Run as the owner of a lease with this epoch (projections/leases.ts): the checkpoint is
   * claimed with it at start, every commit is fenced with it, and the stream is read through
   * an ordered consumer of this runner alone (no durable consumer another owner could share).
   * A fenced commit stops the runner without applying or acknowledging anything more.
   */
  readonly fence?: number;
  /** Read through an ordered consumer of this runner alone instead of the durable one (implied by `fence`). */
  readonly ordered?: boolean;
  /** Called once when a fenced commit is refused (a newer owner holds the checkpoint). */
  readonly onFenced?: (err: FencedError) => void;
}

const FLUSH_IDLE_MS = 10;
/** Longer than any batch takes to apply, so a live worker sees no redeliveries. */
const ACK_WAIT_MS = 60_000;

export function durableName(projection: { name: string }): string {
  return `view_${projection.name}`;
}

export class ProjectionRunner<Tx> implements ProjectionProgress {
  private checkpointSeq = 0;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private waiters: { seq: number; resolve: (ok: boolean) => void }[] = [];
  private stopped = false;
  private readonly batchSize: number;
  private readonly attemptsBeforePark: number;
  private readonly afterProject: ((seq: number) => void) | undefined;
  private readonly loseDelivery: ((seq: number) => boolean) | undefined;
  private readonly fence: number | undefined;
  private readonly onFenced: ((err: FencedError) => void) | undefined;
  private fenced = false;
  private readonly ordered: boolean;

  constructor(
    private readonly log: EventLog,
    readonly projection: Projection<Tx>,
    private readonly logger: Logger,
    options: RunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 256;
    this.attemptsBeforePark = options.attemptsBeforePark ?? 3;
    this.afterProject = options.afterProject;
    this.loseDelivery = options.loseDelivery;
    this.fence = options.fence;
    this.onFenced = options.onFenced;
    this.ordered = options.ordered === true || options.fence !== undefined;
  }

  async start(): Promise<void> {
    const { target, name } = this.projection;
    if (!this.ordered) {
      this.checkpointSeq = await target.checkpoint(name);
    } else {
      if (this.fence === undefined) this.checkpointSeq = await target.checkpoint(name);
      else if (target.claim === undefined) throw new Error(`view ${name} cannot be fenced: its store has no owner epochs`);
      else this.checkpointSeq = await target.claim(name, this.fence);
    }
    this.messages = await this.openMessages();
    this.loop = this.follow(this.messages).catch((err: Error) => {
      if (!this.stopped) this.logger.error({ projection: name, err: err.message }, 'projection stopped on an error');
    });
    this.logger.info({ projection: name, checkpoint: this.checkpointSeq, ...(this.fence === undefined ? {} : { epoch: this.fence }) }, 'projection started');
  }

  /** A newer owner holds the checkpoint: stop reading, apply nothing more. */
  private lostOwnership(err: FencedError): void {
    if (this.fenced) return;
    this.fenced = true;
    this.logger.warn({ projection: this.projection.name, epoch: this.fence }, 'commit fenced: a newer owner holds this view partition; stopping');
    void this.messages?.close().catch(() => undefined);
    this.onFenced?.(err);
  }

  /**
   * Creates the durable consumer at checkpoint + 1. An existing consumer is
   * kept only when it delivered nothing beyond the checkpoint: messages it
   * handed to a worker that died before committing would otherwise never come
   * again, and an acknowledgement of a later batch (AckAll) would cover them.
   */
  private async ensureConsumer(): Promise<void> {
    const { stream } = this.projection;
    const name = durableName(this.projection);
    try {
      const info = await this.log.jsm.consumers.info(stream, name);
      const delivered = Math.max(info.delivered.stream_seq, info.ack_floor.stream_seq);
      if (delivered <= this.checkpointSeq && info.config.filter_subject === this.projection.filterSubject) return;
      this.logger.info({ projection: this.projection.name, delivered, checkpoint: this.checkpointSeq }, 'consumer delivered past the view; restarting it at the checkpoint');
      await this.log.jsm.consumers.delete(stream, name);
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
    }
    await this.log.jsm.consumers.add(stream, {
      durable_name: name,
      ack_policy: AckPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: this.checkpointSeq + 1,
      filter_subject: this.projection.filterSubject,
      max_ack_pending: this.batchSize * 4,
      description: `Guardyn view ${this.projection.name}`,
    });
  }

  /**
   * Follows the consumer; when the durable consumer skips deliveries (a gap in its delivery
   * sequence), applies what came before the gap and restarts the consumer at the checkpoint.
   * A gap happens when a consumer's leader dies with messages in flight to this worker: the new
   * leader knows them as delivered and goes on with later ones, and the acknowledgement of a
   * later batch (AckAll) would cover the lost ones, which the view would then never see.
   */
  private async follow(first: ConsumerMessages): Promise<void> {
    let messages = first;
    while (await this.run(messages)) {
      await messages.close().catch(() => undefined);
      if (this.stopped || this.fenced) return;
      projectionConsumerRestarts.inc({ projection: this.projection.name });
      this.logger.warn({ projection: this.projection.name, checkpoint: this.checkpointSeq }, 'consumer skipped deliveries or stalled; restarting it at the checkpoint');
      for (;;) {
        try {
          messages = await this.openMessages();
          break;
        } catch (err) {
          if (this.stopped) return;
          this.logger.warn({ projection: this.projection.name, err: (err as Error).message }, 'consumer not created yet; retrying');
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      this.messages = messages;
      if (this.stopped) await messages.close().catch(() => undefined);
    }
  }

  /** The view's consumer from the checkpoint on: the durable one (created or kept), or a new ordered one. */
  private async openMessages(): Promise<ConsumerMessages> {
    const { stream } = this.projection;
    let consumer;
    if (!this.ordered) {
      await this.ensureConsumer();
      consumer = await this.log.js.consumers.get(stream, durableName(this.projection));
    } else {
      consumer = await this.log.js.consumers.get(stream, {
        filter_subjects: this.projection.filterSubject,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: this.checkpointSeq + 1,
        name_prefix: freshConsumerPrefix(),
      });
    }
    return consumer.consume({ max_messages: this.batchSize * 2, expires: PULL_EXPIRES_MS });
  }

  /** Applies deliveries in batches; true when it stopped at a gap in the durable consumer's deliveries or on a stall (streams/pull.ts). */
  private async run(messages: ConsumerMessages): Promise<boolean> {
    let stalled = false;
    watchStall(messages, () => { stalled = true; void messages.close().catch(() => undefined); });
    let lastDelivery = 0;
    let batch: JsMsg[] = [];
    let timer: NodeJS.Timeout | undefined;
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const taken = batch;
      batch = [];
      if (taken.length > 0) flushing = flushing.then(() => this.apply(taken));
      return flushing;
    };
    for await (const m of messages) {
      if (this.loseDelivery?.(m.seq) === true) continue;
      if (!this.ordered) {
        // Deliveries of a durable consumer are numbered 1, 2, 3...; a redelivery keeps a number already seen.
        const delivery = m.info.deliverySequence;
        if (lastDelivery > 0 && delivery > lastDelivery + 1) {
          await flush();
          return true;
        }
        lastDelivery = Math.max(lastDelivery, delivery);
      }
      batch.push(m);
      projectionLag.set({ projection: this.projection.name }, m.info.pending);
      if (batch.length >= this.batchSize) await flush();
      else if (m.info.pending === 0) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), FLUSH_IDLE_MS);
    }
    await flush();
    return stalled;
  }

  /** Applies one delivered batch; resolves once its checkpoint is committed and acknowledged. */
  private async apply(msgs: JsMsg[]): Promise<void> {
    if (this.fenced) return;
    const fresh = msgs.filter((m) => m.seq > this.checkpointSeq);
    const skipped = msgs.length - fresh.length;
    if (skipped > 0) projectionRedeliveries.inc({ projection: this.projection.name }, skipped);
    if (fresh.length > 0) {
      const owns = this.projection.owns;
      const decoded: (StoredCommit | ParkedCommit)[] = [];
      for (const m of fresh) {
        let commit: StoredCommit | ParkedCommit | undefined;
        const decode = () => (commit ??= this.decode(m));
        if (owns === undefined || owns(m.subject, decode)) decoded.push(decode());
      }
      try {
        // Commits of other partitions are not projected, but the checkpoint moves past them.
        await this.commitWithRetry(decoded, fresh[fresh.length - 1]!.seq);
      } catch (err) {
        if (!(err instanceof FencedError)) throw err;
        this.lostOwnership(err);
        return;
      }
    }
    // AckAll: acknowledging the highest sequence covers the whole batch (an ordered consumer has no acks).
    if (!this.ordered) msgs.reduce((a, b) => (b.seq > a.seq ? b : a)).ack();
  }

  private decode(m: JsMsg): StoredCommit | ParkedCommit {
    try {
      return this.log.decode(this.projection.stream, m);
    } catch (err) {
      return { seq: m.seq, subject: m.subject, error: (err as Error).message };
    }
  }

  private async commitWithRetry(items: (StoredCommit | ParkedCommit)[], lastSeq: number): Promise<void> {
    const { target, name } = this.projection;
    const fence = this.fence;
    // Fast path: the whole batch in one transaction.
    const tx = target.begin();
    const parked: ParkedCommit[] = [];
    let ok = true;
    for (const item of items) {
      if ('error' in item) { parked.push(item); continue; }
      try {
        await this.projection.project(item, tx);
        this.afterProject?.(item.seq);
      } catch {
        ok = false;
        break;
      }
    }
    if (ok) return this.persist(() => target.commit(name, tx, lastSeq, parked, fence), lastSeq, items.length - parked.length, parked);
    // Slow path: one commit at a time, parking the ones that keep failing.
    for (const item of items) {
      if (item.seq <= this.checkpointSeq) continue;
      if ('error' in item) {
        await this.persist(() => target.commit(name, target.begin(), item.seq, [item], fence), item.seq, 0, [item]);
        continue;
      }
      let lastError = '';
      for (let attempt = 1; attempt <= this.attemptsBeforePark; attempt++) {
        const one = target.begin();
        try {
          await this.projection.project(item, one);
          await this.persist(() => target.commit(name, one, item.seq, [], fence), item.seq, 1, []);
          lastError = '';
          break;
        } catch (err) {
          if (err instanceof FencedError) throw err;
          lastError = (err as Error).message;
          await new Promise((r) => setTimeout(r, 10 * attempt));
        }
      }
      if (lastError) {
        const p = { seq: item.seq, subject: item.subject, error: lastError };
        await this.persist(() => target.commit(name, target.begin(), item.seq, [p], fence), item.seq, 0, [p]);
      }
    }
    // Commits of other partitions after the last one of this partition.
    if (lastSeq > this.checkpointSeq) await this.persist(() => target.commit(name, target.begin(), lastSeq, [], fence), lastSeq, 0, []);
  }

  /** Commits to the store, retrying store failures until it works (nothing is acknowledged before). */
  private async persist(write: () => Promise<void>, seq: number, applied: number, parked: readonly ParkedCommit[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        break;
      } catch (err) {
        if (this.stopped || err instanceof FencedError) throw err;
        this.logger.error({ projection: this.projection.name, seq, attempt, err: (err as Error).message }, 'view store write failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(2000, 50 * attempt)));
      }
    }
    for (const p of parked) {
      this.logger.error({ projection: this.projection.name, seq: p.seq, subject: p.subject, error: p.error }, 'commit parked');
      projectionParked.inc({ projection: this.projection.name });
    }
    projectionApplied.inc({ projection: this.projection.name }, applied);
    this.checkpointSeq = seq;
    this.notify();
  }

  private notify(): void {
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.seq <= this.checkpointSeq ? w.resolve(true) : still.push(w));
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

  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.loop;
    for (const w of this.waiters) w.resolve(false);
    this.waiters = [];
  }
}

/** Progress read from the view's store, for processes that serve queries but do not run the projection. */
export class StoredProgress implements ProjectionProgress {
  constructor(private readonly read: () => Promise<number>) {}

  applied(): Promise<number> {
    return this.read();
  }

  async waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.read()) >= seq) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
