/**
 * Publishing to JetStream with acknowledgements, for the hot path of every
 * command. Compared with a request per publish it (1) gathers the publishes of
 * one event-loop turn and hands them to the connection together, so a burst of
 * commands costs one socket write instead of one each, (2) receives every
 * acknowledgement on one wildcard inbox subscription, and (3) times requests
 * out with one sweeping timer instead of a timer (and an Error with a stack)
 * per request.
 *
 * On a cluster a publish can go unanswered: the stream's leader died with it,
 * or no leader is elected yet (then the server answers 503, no responders).
 * The same message, with the same headers and so the same Nats-Msg-Id, is
 * sent again (after `attemptMs` without an answer, then after twice that, and
 * so on; or soon after a 503) until the request's whole budget (`timeoutMs`)
 * is spent: JetStream keeps one copy of a message id within the stream's
 * duplicate window, so a resend never stores a command twice. The
 * acknowledgement says how many sends it took.
 */
import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { LogUnavailable } from './errors.ts';
import type { CommitHeaders } from './envelope.ts';
import { publishRetries } from '../runtime/metrics.ts';

/** A publish's headers: a MsgHdrs of nats.js, or a commit's headers written by hand. */
export type PublishHeaders = MsgHdrs | CommitHeaders;

export interface PubAck {
  readonly stream: string;
  readonly seq: number;
  readonly duplicate: boolean;
  /** How many times the message was sent (more than 1: an earlier send may be the one stored). */
  readonly attempts: number;
}

export interface PublisherTiming {
  /** The whole budget of one publish, retries included (then LogUnavailable). */
  readonly timeoutMs: number;
  /**
   * Whether a message with a Nats-Msg-Id is sent again at all: after a 503 (no stream leader), at
   * once after the connection came back (what was in flight may be lost), and on `attemptMs`.
   * Default false (a bare number of milliseconds also means: sent once, a 503 fails at once).
   */
  readonly resend?: boolean;
  /**
   * With `resend`: how long the first send waits for its acknowledgement before it is sent again;
   * each later wait doubles, so an overloaded server is not flooded. For a cluster, where a
   * request dies with a stream leader while the connection stays up. Absent: no timed resends.
   */
  readonly attemptMs?: number;
  /** The wait before a send answered with 503 (no stream leader yet) is sent again (default 200 ms, jittered). */
  readonly noResponderBackoffMs?: number;
}

/** JetStream answered the publish with an API error (err_code as JetStream defines it). */
export class PublishRefused extends Error {
  override readonly name = 'PublishRefused';
  constructor(
    readonly code: number,
    description: string,
  ) {
    super(description);
  }
}

interface Pending {
  readonly resolve: (ack: PubAck) => void;
  readonly reject: (err: Error) => void;
  readonly deadline: number;
  readonly message: Queued;
  /** When the current send counts as unanswered and is sent again. */
  resendAt: number;
  attempts: number;
}

interface Queued {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly reply: string;
  readonly headers: PublishHeaders;
}

const SWEEP_MS = 50;
const MSG_ID = 'Nats-Msg-Id';
/** JetStream's "duplicate message id is in process" (err_code). */
const DUPLICATE_IN_PROCESS = 10158;

export class JetStreamPublisher {
  private readonly prefix: string;
  private readonly subscription: Subscription;
  private readonly pending = new Map<string, Pending>();
  private queue: Queued[] = [];
  private scheduled = false;
  private counter = 0;
  private readonly sweeper: NodeJS.Timeout;
  private readonly timeoutMs: number;
  private readonly resends: boolean;
  private readonly attemptMs: number;
  private readonly backoffMs: number;

  constructor(
    private readonly nc: NatsConnection,
    timing: number | PublisherTiming,
  ) {
    const t = typeof timing === 'number' ? { timeoutMs: timing } : timing;
    this.timeoutMs = t.timeoutMs;
    this.resends = t.resend === true;
    this.attemptMs =
      t.attemptMs === undefined || !this.resends ? Number.POSITIVE_INFINITY : Math.min(t.attemptMs, t.timeoutMs);
    this.backoffMs = t.noResponderBackoffMs ?? 200;
    this.prefix = `${createInbox()}.`;
    this.subscription = nc.subscribe(`${this.prefix}*`, { callback: (err, msg) => this.onReply(err, msg) });
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
    if (this.resends) void this.watchReconnects();
  }

  publish(subject: string, data: Uint8Array, headers: PublishHeaders): Promise<PubAck> {
    if (this.nc.isClosed()) return Promise.reject(new LogUnavailable('the NATS connection is closed'));
    const token = (++this.counter).toString(36);
    return new Promise<PubAck>((resolve, reject) => {
      const message = { subject, data, reply: this.prefix + token, headers };
      const now = Date.now();
      const resendAt = this.mayResend(headers) ? now + this.attemptMs : Number.POSITIVE_INFINITY;
      this.pending.set(token, { resolve, reject, deadline: now + this.timeoutMs, message, resendAt, attempts: 1 });
      this.enqueue(message);
    });
  }

  /** Only a message with an id may be sent twice (without one JetStream would store both), and only when resends are on. */
  private mayResend(headers: PublishHeaders): boolean {
    return this.resends && headers.has(MSG_ID);
  }

  /** After a reconnect, what was in flight may have been lost with the old connection: sent again at once. */
  private async watchReconnects(): Promise<void> {
    try {
      for await (const s of this.nc.status()) {
        if (s.type !== 'reconnect') continue;
        for (const p of this.pending.values()) if (this.mayResend(p.message.headers)) p.resendAt = 0;
      }
    } catch {
      // the connection closed
    }
  }

  private enqueue(message: Queued): void {
    this.queue.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends a pending message again (same reply subject and headers, so the same Nats-Msg-Id). */
  private resend(token: string, p: Pending): void {
    if (this.nc.isClosed()) return this.settle(token, new LogUnavailable('the NATS connection is closed'));
    p.attempts += 1;
    p.resendAt = Date.now() + this.attemptMs * 2 ** (p.attempts - 1); // Infinity without timed resends
    publishRetries.inc();
    this.enqueue(p.message);
  }

  private flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (const m of queue) {
      try {
        // nats.js reads a publish's headers through encode() alone (its wire form), so headers
        // written by hand (CommitHeaders) go as they are (streams/commit-headers.test.ts: the same bytes).
        this.nc.publish(m.subject, m.data, { reply: m.reply, headers: m.headers as unknown as MsgHdrs });
      } catch (err) {
        this.settle(
          m.reply.slice(this.prefix.length),
          new LogUnavailable(`cannot publish to ${m.subject}: ${(err as Error).message}`),
        );
      }
    }
  }

  private onReply(err: Error | null, msg: Msg): void {
    if (err) {
      for (const token of [...this.pending.keys()])
        this.settle(token, new LogUnavailable(`JetStream acknowledgements stopped: ${err.message}`));
      return;
    }
    const token = msg.subject.slice(this.prefix.length);
    if (msg.headers?.code === 503) {
      // No responders: no stream leader right now (an election on a cluster) or no stream at all.
      // Sent again after a short jittered wait while the budget lasts; the sweep ends it otherwise.
      const p = this.pending.get(token);
      if (p === undefined) return;
      const wait = this.backoffMs * (0.5 + Math.random());
      if (!this.mayResend(p.message.headers) || Date.now() + wait >= p.deadline)
        return this.settle(
          token,
          new LogUnavailable('no JetStream stream answered (no stream leader, or the stream is missing)'),
        );
      p.resendAt = Math.min(p.resendAt, Date.now() + wait);
      return;
    }
    let ack: {
      stream?: string;
      seq?: number;
      duplicate?: boolean;
      error?: { code?: number; err_code?: number; description?: string };
    };
    try {
      ack = JSON.parse(Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength).toString('utf8'));
    } catch {
      return this.settle(token, new LogUnavailable('JetStream sent an unreadable acknowledgement'));
    }
    if (ack.error) {
      // A resend that reached the leader while an earlier send of the same id is still being
      // replicated: that earlier send's answer (same reply subject) settles the publish, or the
      // next resend does when it was lost with a leader.
      if (ack.error.err_code === DUPLICATE_IN_PROCESS && this.pending.has(token)) return;
      return this.settle(
        token,
        new PublishRefused(ack.error.err_code ?? ack.error.code ?? 0, ack.error.description ?? 'refused'),
      );
    }
    if (typeof ack.stream !== 'string' || typeof ack.seq !== 'number')
      return this.settle(token, new LogUnavailable('JetStream sent an acknowledgement without stream and sequence'));
    this.settle(token, {
      stream: ack.stream,
      seq: ack.seq,
      duplicate: ack.duplicate === true,
      attempts: this.pending.get(token)?.attempts ?? 1,
    });
  }

  private settle(token: string, outcome: PubAck | Error): void {
    const p = this.pending.get(token);
    if (!p) return;
    this.pending.delete(token);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }

  private sweep(): void {
    if (this.pending.size === 0) return;
    const now = Date.now();
    for (const [token, p] of this.pending) {
      if (p.deadline <= now)
        this.settle(
          token,
          new LogUnavailable(`JetStream did not acknowledge within ${this.timeoutMs} ms (${p.attempts} sends)`),
        );
      else if (p.resendAt <= now) this.resend(token, p);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
    this.subscription.unsubscribe();
    for (const token of [...this.pending.keys()]) this.settle(token, new LogUnavailable('the event log is closing'));
  }
}
