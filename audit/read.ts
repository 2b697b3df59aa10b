/**
 * Reads a window of one stream in order with an ordered consumer (no durable
 * state on the server, nothing acknowledged, nothing republished): the one way
 * replay, verify, checkpoints and reports consume the log. The end of the
 * window is fixed when the read starts (the stream's last sequence then), so a
 * read always terminates even while commits keep arriving.
 */
import { DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg, type OrderedConsumerOptions } from '@nats-io/jetstream';
import type { Window } from './window.ts';

export interface ReadOptions {
  readonly stream: string;
  /** A subject filter (wildcards allowed); absent: the whole stream. */
  readonly subject?: string | undefined;
  readonly window?: Window | undefined;
  /** Deliver headers only (no bodies): checkpoints need only subject, sequence and hash. */
  readonly headersOnly?: boolean | undefined;
  /** Pull batch; default 1000. */
  readonly batch?: number | undefined;
  /** `onMessage` never returns a promise: delivered by the client's callback, without an async iterator. */
  readonly sync?: boolean | undefined;
}

export interface ReadPlan {
  readonly stream: string;
  /** The first sequence asked for (1 or --from), or undefined for a start by time. */
  readonly startSeq: number | undefined;
  /** The last sequence the read may reach. */
  readonly endSeq: number;
  /** Messages the consumer has to deliver (before a --to time cuts it short). */
  readonly pending: number;
}

export interface LogReader {
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
}

export class StreamMissing extends Error {
  override readonly name = 'StreamMissing';
}

/**
 * Calls `onMessage` for every message of the window, in stream order, and
 * resolves with the plan (what was asked for). `onMessage` may return a promise
 * (awaited before the next message).
 */
export async function readWindow(
  reader: LogReader,
  options: ReadOptions,
  /** Returning false (or a promise of false) ends the read early. */
  onMessage: (m: JsMsg) => void | boolean | Promise<void | boolean>,
  onPlan?: (plan: ReadPlan) => void,
): Promise<ReadPlan> {
  const { stream } = options;
  let info;
  try {
    info = await reader.jsm.streams.info(stream);
  } catch (err) {
    throw new StreamMissing(`stream ${stream} cannot be read: ${(err as Error).message}`);
  }
  const from = options.window?.from;
  const to = options.window?.to;
  const endSeq = Math.min(info.state.last_seq, to?.kind === 'seq' ? to.seq : Number.MAX_SAFE_INTEGER);
  const startSeq = from?.kind === 'seq' ? Math.max(from.seq, 1) : from === undefined ? 1 : undefined;
  const opts: Partial<OrderedConsumerOptions> = {};
  if (options.subject !== undefined) opts.filter_subjects = options.subject;
  if (options.headersOnly) opts.headers_only = true;
  if (from?.kind === 'time') {
    opts.deliver_policy = DeliverPolicy.StartTime;
    opts.opt_start_time = new Date(from.ms).toISOString();
  } else {
    opts.deliver_policy = DeliverPolicy.StartSequence;
    opts.opt_start_seq = startSeq ?? 1;
  }
  const emptyPlan: ReadPlan = { stream, startSeq, endSeq, pending: 0 };
  if (info.state.messages === 0 || (startSeq !== undefined && startSeq > endSeq)) {
    onPlan?.(emptyPlan);
    return emptyPlan;
  }
  const consumer = await reader.js.consumers.get(stream, opts);
  const ci = await consumer.info(true);
  // Pending counts to the stream's end now; messages past endSeq are cut below.
  const pending = ci.num_pending;
  const plan: ReadPlan = { stream, startSeq, endSeq, pending };
  onPlan?.(plan);
  if (pending === 0) {
    await consumer.delete().catch(() => undefined);
    return plan;
  }
  const toMs = to?.kind === 'time' ? to.ms : undefined;
  if (options.sync) {
    await consumeSync(consumer, options.batch ?? 1000, endSeq, toMs, onMessage as (m: JsMsg) => void | boolean);
    return plan;
  }
  const messages = await consumer.consume({ max_messages: options.batch ?? 1000 });
  try {
    for await (const m of messages) {
      if (m.seq > endSeq) break;
      if (toMs !== undefined && messageTimeMs(m) > toMs) break;
      let r = onMessage(m);
      if (r instanceof Promise) r = await r;
      if (r === false) break;
      if (m.seq >= endSeq || m.info.pending === 0) break;
    }
  } finally {
    messages.stop();
    await consumer.delete().catch(() => undefined);
  }
  return plan;
}

/**
 * The same read with the client's callback delivery: no async iterator between the client and
 * `onMessage` (a share of the per-message cost), for a synchronous `onMessage`. A throw from
 * `onMessage` ends the read and is thrown from here.
 */
async function consumeSync(
  consumer: Consumer,
  batch: number,
  endSeq: number,
  toMs: number | undefined,
  onMessage: (m: JsMsg) => void | boolean,
): Promise<void> {
  let done = false;
  let failure: unknown;
  let messages: ConsumerMessages | undefined;
  messages = await consumer.consume({
    max_messages: batch,
    callback: (m) => {
      if (done) return;
      try {
        if (m.seq > endSeq || (toMs !== undefined && messageTimeMs(m) > toMs)) done = true;
        else if (onMessage(m) === false || m.seq >= endSeq || m.info.pending === 0) done = true;
      } catch (err) {
        failure = err;
        done = true;
      }
      if (done) messages?.stop();
    },
  });
  if (done) messages.stop();
  try {
    const closed = await messages.closed();
    if (failure !== undefined) throw failure;
    if (closed instanceof Error) throw closed;
  } finally {
    messages.stop();
    await consumer.delete().catch(() => undefined);
  }
}

/** The message's JetStream time in ms. */
export function messageTimeMs(m: Pick<JsMsg, 'info'>): number {
  // The client parses the nanoseconds into a number (its type says bigint): ms precision is what is kept.
  return Math.floor(Number(m.info.timestampNanos) / 1e6);
}
