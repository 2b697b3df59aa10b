/**
 * The commit reader: one consumer of a stream (from a position the caller keeps, its
 * checkpoint), handing batches of deliveries to one handler that applies them. Each
 * delivery decodes its commit at most once, on first use, whoever of the handler's views
 * asks first. Everything about the consumer lives here, behind the event-log port:
 *
 * - creation: a durable pull consumer (AckAll, acknowledged after the handler resolves) or an
 *   ordered consumer of this reader alone, starting at checkpoint + 1;
 * - restarts at the checkpoint: a durable consumer that delivered past the checkpoint (messages
 *   handed to a worker that died before committing) is replaced, since an acknowledgement of a
 *   later batch would cover the lost ones;
 * - gap detection: a durable consumer whose delivery numbers jump (its leader died with messages
 *   in flight) is restarted at the checkpoint after the batch before the gap is applied;
 * - heartbeats: a consumer that missed STALL_MISSES idle heartbeats (its server died) is
 *   closed and created again at the checkpoint (streams/pull.ts);
 * - pipelining: a handler may hand a batch back while it commits (CommittingBatch): the next
 *   batch is handed over at once, and the batch is acknowledged once committed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  JetStreamApiCodes,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { StoredCommit } from './envelope.ts';
import { deleteDurable } from './durables.ts';
import type { EventLog } from './log.ts';
import { PULL_EXPIRES_MS, freshConsumerPrefix, watchStall } from './pull.ts';

/** A message that is no commit (it does not decode): the handler parks it with this error. */
export interface UndecodableCommit {
  readonly seq: number;
  readonly subject: string;
  readonly error: string;
}

/** One delivered message: its position, and its commit decoded once, on first use. */
export interface Delivery {
  readonly seq: number;
  readonly subject: string;
  /** Messages of the consumer's filter after this one, when it was delivered (lag). */
  readonly pending: number;
  commit(): StoredCommit | UndecodableCommit;
}

export interface CommitReaderOptions {
  readonly stream: string;
  readonly filterSubject: string;
  /** The durable consumer's name; absent: an ordered consumer of this reader alone. */
  readonly durable?: string | undefined;
  /** Durable consumers that earlier versions kept for the same work: deleted when the durable one starts. */
  readonly replaces?: readonly string[] | undefined;
  readonly description?: string | undefined;
  /** Deliveries per batch at most; default DEFAULT_BATCH (1024). */
  readonly batchSize?: number | undefined;
  /** The handler's checkpoint: the reader (re)starts after it. */
  readonly checkpoint: () => number;
  /** Fault injection for tests: a delivery for which this answers true is dropped, as if lost in transit. */
  readonly loseDelivery?: ((seq: number) => boolean) | undefined;
  /** Called when the consumer is restarted at the checkpoint (gap or stall). */
  readonly onRestart?: (() => void) | undefined;
}

/**
 * A batch whose changes are on their way to the store: the reader hands the next batch over at
 * once and acknowledges this one when `committed` resolves true (false or a rejection: it stops
 * reading, acknowledging nothing more).
 */
export interface CommittingBatch {
  readonly committed: Promise<boolean>;
}

/**
 * Applies one batch; resolves true to go on, false to stop reading (nothing of the batch is
 * acknowledged), or a CommittingBatch to go on while the batch commits.
 */
export type BatchHandler = (batch: readonly Delivery[]) => Promise<boolean | CommittingBatch>;

/** The subjects of `stream` matching `filter` that hold messages (e.g. every conversation, for a view's reset). */
export async function subjectsOf(log: EventLog, stream: string, filter: string): Promise<string[]> {
  const info = await log.jsm.streams.info(stream, { subjects_filter: filter });
  return Object.keys(info.state.subjects ?? {});
}

/**
 * Deliveries per batch by default. A batch is one store transaction per store: on a backlog
 * (a rebuild, a restart after downtime) bigger batches mean fewer commits (bench views: 256 to
 * 1024 raised the rate of the views of MESSAGES by about half); live, batches are as small as
 * what arrived since the last one.
 */
export const DEFAULT_BATCH = 1024;

const FLUSH_IDLE_MS = 10;
/** Longer than any batch takes to apply, so a live worker sees no redeliveries. */
const ACK_WAIT_MS = 60_000;

export class CommitReader {
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private readonly batchSize: number;
  private readonly ordered: boolean;
  /** The acknowledgement of the last batch handed over while it commits (settles after its commit). */
  private committing: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: EventLog,
    private readonly options: CommitReaderOptions,
    private readonly logger: Logger,
  ) {
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
    this.ordered = options.durable === undefined;
  }

  /** Opens the consumer (throws when it cannot) and reads until stop() or the handler says stop. */
  async start(handler: BatchHandler): Promise<void> {
    for (const old of this.options.replaces ?? []) {
      if (old !== this.options.durable) await deleteDurable(this.log, this.options.stream, old);
    }
    this.messages = await this.openMessages();
    this.loop = this.follow(this.messages, handler).catch((err: Error) => {
      if (!this.stopped)
        this.logger.error({ stream: this.options.stream, err: err.message }, 'reader stopped on an error');
    });
  }

  /** Stops reading; resolves once the batch being applied is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  /** Closes the consumer without waiting for the loop (from inside the handler). */
  halt(): void {
    this.stopped = true;
    void this.messages?.close().catch(() => undefined);
  }

  /**
   * Creates the durable consumer at checkpoint + 1. An existing consumer is kept only when it
   * delivered nothing beyond the checkpoint.
   */
  private async ensureConsumer(name: string): Promise<void> {
    const { stream, filterSubject } = this.options;
    const checkpoint = this.options.checkpoint();
    try {
      const info = await this.log.jsm.consumers.info(stream, name);
      const delivered = Math.max(info.delivered.stream_seq, info.ack_floor.stream_seq);
      if (delivered <= checkpoint && info.config.filter_subject === filterSubject) return;
      this.logger.info(
        { consumer: name, delivered, checkpoint },
        'consumer delivered past the checkpoint; restarting it there',
      );
      await this.log.jsm.consumers.delete(stream, name);
    } catch (err) {
      if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
    }
    await this.log.jsm.consumers.add(stream, {
      durable_name: name,
      ack_policy: AckPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: checkpoint + 1,
      filter_subject: filterSubject,
      max_ack_pending: this.batchSize * 4,
      ...(this.options.description === undefined ? {} : { description: this.options.description }),
    });
  }

  /** The consumer from the checkpoint on: the durable one (created or kept), or a new ordered one. */
  private async openMessages(): Promise<ConsumerMessages> {
    const { stream, durable } = this.options;
    const consumer =
      durable !== undefined
        ? (await this.ensureConsumer(durable), await this.log.js.consumers.get(stream, durable))
        : await this.log.js.consumers.get(stream, {
            filter_subjects: this.options.filterSubject,
            deliver_policy: DeliverPolicy.StartSequence,
            opt_start_seq: this.options.checkpoint() + 1,
            name_prefix: freshConsumerPrefix(),
          });
    return consumer.consume({ max_messages: this.batchSize * 2, expires: PULL_EXPIRES_MS });
  }

  private async follow(first: ConsumerMessages, handler: BatchHandler): Promise<void> {
    let messages = first;
    while (await this.run(messages, handler)) {
      await messages.close().catch(() => undefined);
      if (this.stopped) return;
      this.options.onRestart?.();
      this.logger.warn(
        { stream: this.options.stream, consumer: this.options.durable, checkpoint: this.options.checkpoint() },
        'consumer skipped deliveries or stalled; restarting it at the checkpoint',
      );
      for (;;) {
        try {
          messages = await this.openMessages();
          break;
        } catch (err) {
          if (this.stopped) return;
          this.logger.warn(
            { stream: this.options.stream, err: (err as Error).message },
            'consumer not created yet; retrying',
          );
          await sleep(1000);
        }
      }
      this.messages = messages;
      if (this.stopped) await messages.close().catch(() => undefined);
    }
  }

  private delivery(m: JsMsg): Delivery {
    let commit: StoredCommit | UndecodableCommit | undefined;
    const decode = (): StoredCommit | UndecodableCommit => {
      try {
        return this.log.decode(this.options.stream, m);
      } catch (err) {
        return { seq: m.seq, subject: m.subject, error: (err as Error).message };
      }
    };
    return { seq: m.seq, subject: m.subject, pending: m.info.pending, commit: () => (commit ??= decode()) };
  }

  /** Hands deliveries over in batches; true when it stopped at a gap in a durable consumer's deliveries or on a stall. */
  private async run(messages: ConsumerMessages, handler: BatchHandler): Promise<boolean> {
    let stalled = false;
    watchStall(messages, () => {
      stalled = true;
      void messages.close().catch(() => undefined);
    });
    let lastDelivery = 0;
    let batch: JsMsg[] = [];
    let timer: NodeJS.Timeout | undefined;
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      const taken = batch;
      batch = [];
      if (taken.length > 0) flushing = flushing.then(() => this.hand(taken, handler));
      return flushing;
    };
    for await (const m of messages) {
      if (this.options.loseDelivery?.(m.seq) === true) continue;
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
      if (batch.length >= this.batchSize) await flush();
      else if (m.info.pending === 0) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), FLUSH_IDLE_MS);
    }
    await flush();
    // A restart reopens at the checkpoint: the batch committing now moves it.
    await this.committing;
    return stalled && !this.stopped;
  }

  private async hand(msgs: JsMsg[], handler: BatchHandler): Promise<void> {
    const outcome = await handler(msgs.map((m) => this.delivery(m)));
    if (outcome === false) {
      this.halt();
      return;
    }
    if (outcome === true) {
      this.ack(msgs);
      return;
    }
    this.committing = outcome.committed.then(
      (ok) => (ok ? this.ack(msgs) : this.halt()),
      (err: Error) => {
        if (!this.stopped)
          this.logger.error({ stream: this.options.stream, err: err.message }, 'reader stopped on an error');
        this.halt();
      },
    );
  }

  /** AckAll: acknowledging the highest sequence covers the whole batch (an ordered consumer has no acks). */
  private ack(msgs: JsMsg[]): void {
    if (!this.ordered) msgs.reduce((a, b) => (b.seq > a.seq ? b : a)).ack();
  }
}
