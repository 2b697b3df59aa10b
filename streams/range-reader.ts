/**
 * The range reader: an ordered read of one stream, or of a sequence or time
 * range of it, message by message with its stream sequence, subject, time,
 * raw header block and raw body. It is the port through which the analysts'
 * tools (audit/: replay, verify, checkpoints, reports) read the log, so that
 * nothing outside streams/ speaks to the NATS client for them.
 *
 * The read is a pull consumer of our own over a core subscription rather than
 * the client's ordered consumer: an ephemeral consumer (no acks, in memory),
 * pull requests topped up as the caller consumes, and from each message's
 * reply subject only the four numbers a read needs (stream and delivery
 * sequence, time, pending), parsed from its bytes. What the ordered consumer
 * guarantees is kept: a gap in the delivery sequence, a deleted consumer or a
 * read that stalls recreates the consumer after the last sequence handed out,
 * so the caller sees every message of the range once, in stream order.
 * The end of the range is fixed when the read starts (the stream's last
 * sequence then), so a read terminates while commits keep arriving.
 */
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { createInbox, MsgHdrsImpl, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';

/** One message of a read. `data` and `headerBlock` are views of the client's buffer: copy them to keep them. */
export interface RangeMessage {
  readonly seq: number;
  readonly subject: string;
  /** JetStream's time of the message, ms since the epoch. */
  readonly timeMs: number;
  readonly data: Uint8Array;
  /** The raw header block (`NATS/1.0\r\n…`), empty when the message has no headers. */
  readonly headerBlock: Uint8Array;
  /** The header block and the body as delivered, one after the other: the body starts at `bodyStart`. */
  readonly raw: Buffer;
  readonly bodyStart: number;
  /** One header's value, exactly as the client would decode it; '' when absent. */
  header(name: string): string;
}

export interface RangeRequest {
  readonly stream: string;
  /** A subject filter (wildcards allowed); absent: the whole stream. */
  readonly subject?: string | undefined;
  /** The first sequence; default 1. Ignored when `startTimeMs` is given. */
  readonly startSeq?: number | undefined;
  /** Start at the first message at or after this time (ms). */
  readonly startTimeMs?: number | undefined;
  /** The last sequence (at most the stream's last sequence when the read starts). */
  readonly endSeq?: number | undefined;
  /** Stop before the first message after this time (ms). */
  readonly endTimeMs?: number | undefined;
  /** Headers only, no bodies. */
  readonly headersOnly?: boolean | undefined;
  /** Messages asked for ahead of the caller; default 1000. */
  readonly batch?: number | undefined;
}

export interface RangePlan {
  readonly stream: string;
  /** The first sequence asked for, or undefined for a start by time. */
  readonly startSeq: number | undefined;
  /** The last sequence the read may reach. */
  readonly endSeq: number;
  /** Messages the consumer has to deliver (before an end time cuts it short). */
  readonly pending: number;
}

export interface StreamState {
  readonly subjects: readonly string[];
  readonly messages: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
}

/** What `onMessage` answers: false (or a promise of false) ends the read; a promise is awaited before the next message. */
export type RangeAnswer = void | boolean | Promise<void | boolean>;

export interface RangeReader {
  /** The stream's subjects and counts; undefined when there is no such stream. */
  streamState(stream: string): Promise<StreamState | undefined>;
  /**
   * Calls `onMessage` for every message of the range, in stream order, and resolves with the plan.
   * A throw (or rejection) of `onMessage` ends the read and is thrown from here.
   */
  read(
    request: RangeRequest,
    onMessage: (m: RangeMessage) => RangeAnswer,
    onPlan?: (plan: RangePlan) => void,
  ): Promise<RangePlan>;
  /** The last message on a subject, or undefined when there is none (or no such stream). */
  lastOnSubject(
    stream: string,
    subject: string,
  ): Promise<{ readonly seq: number; readonly data: Uint8Array } | undefined>;
}

export interface AppendOptions {
  /** The subject's last sequence must be this (0: the subject is empty). */
  readonly expectLastSubjectSeq?: number | undefined;
  /** Deduplication id. */
  readonly msgId?: string | undefined;
}

/** Appends a plain record (a checkpoint, a sample): not a commit of the event log. */
export interface RecordAppender {
  /** 'conflict' when `expectLastSubjectSeq` did not hold. */
  append(subject: string, data: string | Uint8Array, options?: AppendOptions): Promise<'appended' | 'conflict'>;
}

export class StreamMissing extends Error {
  override readonly name = 'StreamMissing';
}

export class RangeReadFailed extends Error {
  override readonly name = 'RangeReadFailed';
}

export interface NatsRangeReaderOptions {
  /** The JetStream API prefix; default `$JS.API`. */
  readonly apiPrefix?: string | undefined;
  /** A read that receives nothing for this long while messages are due recreates its consumer; default 20 s. */
  readonly stallMs?: number | undefined;
}

/** The range reader (and record appender) over one NATS connection. */
export function natsRangeReader(
  conn: { readonly nc: NatsConnection; readonly js: JetStreamClient; readonly jsm: JetStreamManager },
  options: NatsRangeReaderOptions = {},
): RangeReader & RecordAppender {
  return new NatsRangeReader(conn.nc, conn.js, conn.jsm, options.apiPrefix ?? '$JS.API', options.stallMs ?? 20_000);
}

const NO_BYTES = new Uint8Array(0);
const NS_PER_MS = 1e6;
/** A pull request lives this long on the server. */
const PULL_EXPIRES_MS = 30_000;
/** An unused consumer (a caller that vanished) is removed by the server after this. */
const INACTIVE_MS = 120_000;

class NatsRangeReader implements RangeReader, RecordAppender {
  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly api: string,
    private readonly stallMs: number,
  ) {}

  async streamState(stream: string): Promise<StreamState | undefined> {
    try {
      const info = await this.jsm.streams.info(stream);
      return {
        subjects: info.config.subjects ?? [],
        messages: info.state.messages,
        firstSeq: info.state.first_seq,
        lastSeq: info.state.last_seq,
      };
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === 10059) return undefined; // stream not found
      if (/stream not found/i.test((err as Error).message)) return undefined;
      throw err;
    }
  }

  async lastOnSubject(stream: string, subject: string): Promise<{ seq: number; data: Uint8Array } | undefined> {
    const m = await this.jsm.direct.getMessage(stream, { last_by_subj: subject }).catch(() => null);
    return m ? { seq: m.seq, data: m.data } : undefined;
  }

  async append(
    subject: string,
    data: string | Uint8Array,
    options: AppendOptions = {},
  ): Promise<'appended' | 'conflict'> {
    try {
      await this.js.publish(subject, data, {
        ...(options.expectLastSubjectSeq === undefined
          ? {}
          : { expect: { lastSubjectSequence: options.expectLastSubjectSeq } }),
        ...(options.msgId === undefined ? {} : { msgID: options.msgId }),
      });
      return 'appended';
    } catch (err) {
      if (/wrong last sequence/i.test((err as Error).message)) return 'conflict';
      throw err;
    }
  }

  async read(
    request: RangeRequest,
    onMessage: (m: RangeMessage) => RangeAnswer,
    onPlan?: (plan: RangePlan) => void,
  ): Promise<RangePlan> {
    const { stream } = request;
    let info;
    try {
      info = await this.jsm.streams.info(stream);
    } catch (err) {
      throw new StreamMissing(`stream ${stream} cannot be read: ${(err as Error).message}`);
    }
    const endSeq = Math.min(info.state.last_seq, request.endSeq ?? Number.MAX_SAFE_INTEGER);
    const startSeq = request.startTimeMs === undefined ? Math.max(request.startSeq ?? 1, 1) : undefined;
    const emptyPlan: RangePlan = { stream, startSeq, endSeq, pending: 0 };
    if (info.state.messages === 0 || (startSeq !== undefined && startSeq > endSeq)) {
      onPlan?.(emptyPlan);
      return emptyPlan;
    }
    const pull = new PullRead(this.nc, this.jsm, this.api, this.stallMs, request, endSeq, onMessage);
    const pending = await pull.open(startSeq);
    const plan: RangePlan = { stream, startSeq, endSeq, pending };
    onPlan?.(plan);
    await pull.run(pending);
    return plan;
  }
}

/** The numbers of a JetStream message's reply subject. */
interface Delivery {
  sseq: number;
  dseq: number;
  timeMs: number;
  pending: number;
}

class Delivered implements RangeMessage {
  constructor(
    readonly seq: number,
    readonly subject: string,
    readonly timeMs: number,
    readonly raw: Buffer,
    /** Length of the header block (0: none). */
    readonly bodyStart: number,
    /** The last message the read is due (the range's end, or nothing pending after it). */
    readonly last: boolean,
  ) {}

  get data(): Uint8Array {
    return this.bodyStart > 0 ? this.raw.subarray(this.bodyStart) : this.raw;
  }

  get headerBlock(): Uint8Array {
    return this.bodyStart > 0 ? this.raw.subarray(0, this.bodyStart) : NO_BYTES;
  }

  header(name: string): string {
    return this.bodyStart > 0 ? headerValue(this.raw.subarray(0, this.bodyStart), name) : '';
  }
}

/** The client's core message internals: the raw bytes and the header length, without its lazy decoding. */
interface CoreMsg {
  readonly _msg?: { readonly hdr?: number; readonly reply?: Uint8Array; readonly subject?: Uint8Array };
  readonly _rdata?: Uint8Array;
}

const DOT = 0x2e;
/** Scratch for parseAckReply's token boundaries. */
const DOTS = new Int32Array(17);

/**
 * Parses `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ns>.<pending>` (or the form with
 * domain and account hash: 12 tokens or more) into `out`; false when it is not one.
 */
export function parseAckReply(b: Uint8Array, out: Delivery): boolean {
  // $JS.ACK.
  if (
    b.length < 8 ||
    b[0] !== 0x24 ||
    b[1] !== 0x4a ||
    b[2] !== 0x53 ||
    b[3] !== DOT ||
    b[4] !== 0x41 ||
    b[5] !== 0x43 ||
    b[6] !== 0x4b ||
    b[7] !== DOT
  )
    return false;
  // Token boundaries (the dots), at most 16 looked at.
  let n = 0;
  for (let i = 0; i < b.length && n < 16; i++) if (b[i] === DOT) DOTS[n++] = i;
  DOTS[n] = b.length;
  const tokens = n + 1;
  // v1: 9 tokens, numbers at 5..8; v2: 12 or more, numbers at 7..10. Token t spans DOTS[t-1]+1 .. DOTS[t].
  const first = tokens === 9 ? 5 : tokens >= 12 ? 7 : -1;
  if (first < 0) return false;
  const sseq = digits(b, DOTS[first - 1]! + 1, DOTS[first]!);
  const dseq = digits(b, DOTS[first]! + 1, DOTS[first + 1]!);
  const pending = digits(b, DOTS[first + 2]! + 1, DOTS[first + 3]!);
  const tsStart = DOTS[first + 1]! + 1;
  const tsEnd = DOTS[first + 2]!;
  if (sseq < 0 || dseq < 0 || pending < 0 || tsEnd - tsStart < 7) return false;
  // ms = the nanoseconds without their last six digits (exact); the client's number for them
  // (parseInt of all digits, then / 1e6) differs only within a few hundred ns of a ms boundary,
  // where its rounding is reproduced.
  const ms = digits(b, tsStart, tsEnd - 6);
  const sub = digits(b, tsEnd - 6, tsEnd);
  if (ms < 0 || sub < 0) return false;
  if (sub < 1000 || sub > 999_000) {
    let s = '';
    for (let i = tsStart; i < tsEnd; i++) s += String.fromCharCode(b[i]!);
    out.timeMs = Math.floor(Number.parseInt(s, 10) / NS_PER_MS);
  } else out.timeMs = ms;
  out.sseq = sseq;
  out.dseq = dseq;
  out.pending = pending;
  return true;
}

/** A non-negative decimal of at most 15 digits, or -1. */
function digits(b: Uint8Array, from: number, to: number): number {
  if (to <= from || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = b[i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** A subject's bytes as a string (UTF-8; ASCII, the usual case, decoded as latin1, which is cheaper). */
function subjectOf(b: Uint8Array): string {
  const buf = b instanceof Buffer ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < buf.length; i++) if (buf[i]! >= 0x80) return buf.toString('utf8');
  return buf.toString('latin1');
}

/**
 * One read: the consumer, its subscription and pull requests, the caller's
 * pace (a promise from `onMessage` holds the next message back), and the
 * recovery (a new consumer after the last sequence handed out).
 */
class PullRead {
  private readonly batch: number;
  private consumer: string | undefined;
  private sub: Subscription | undefined;
  private inbox = '';
  /** Messages asked for and not yet received (this consumer). */
  private credit = 0;
  private expectedDseq = 1;
  /** The last stream sequence accepted (handed out or queued). */
  private lastAccepted = 0;
  private readonly queue: Delivered[] = [];
  private queueHead = 0;
  /** A promise of `onMessage` is pending. */
  private paused = false;
  private restarting = false;
  /** A recreated consumer had nothing more: the read ends when the queue is handed out. */
  private endAfterQueue = false;
  private done = false;
  private failure: unknown;
  private lastActivity = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private finished!: () => void;
  private readonly delivery: Delivery = { sseq: 0, dseq: 0, timeMs: 0, pending: 0 };

  constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly api: string,
    private readonly stallMs: number,
    private readonly request: RangeRequest,
    private readonly endSeq: number,
    private readonly onMessage: (m: RangeMessage) => RangeAnswer,
  ) {
    this.batch = Math.max(2, request.batch ?? 1000);
  }

  /** Creates the consumer; its pending count. */
  async open(startSeq: number | undefined): Promise<number> {
    const ci = await this.createConsumer(startSeq);
    return ci.num_pending;
  }

  private async createConsumer(startSeq: number | undefined) {
    const r = this.request;
    const config: Partial<ConsumerConfig> = {
      ack_policy: AckPolicy.None,
      mem_storage: true,
      num_replicas: 1,
      inactive_threshold: INACTIVE_MS * NS_PER_MS,
    };
    if (r.subject !== undefined) config.filter_subject = r.subject;
    if (r.headersOnly) config.headers_only = true;
    if (startSeq === undefined && r.startTimeMs !== undefined) {
      config.deliver_policy = DeliverPolicy.StartTime;
      config.opt_start_time = new Date(r.startTimeMs).toISOString();
    } else {
      config.deliver_policy = DeliverPolicy.StartSequence;
      config.opt_start_seq = startSeq ?? 1;
    }
    const ci = await this.jsm.consumers.add(this.request.stream, config);
    this.consumer = ci.name;
    this.expectedDseq = 1;
    this.credit = 0;
    return ci;
  }

  async run(pending: number): Promise<void> {
    if (pending === 0) {
      await this.deleteConsumer();
      return;
    }
    const finished = new Promise<void>((resolve) => {
      this.finished = resolve;
    });
    this.subscribe();
    this.timer = setInterval(() => this.checkStall(), Math.min(1000, this.stallMs));
    this.topUp();
    await finished;
    if (this.failure !== undefined) throw this.failure;
  }

  private subscribe(): void {
    this.inbox = createInbox();
    const sub = this.nc.subscribe(this.inbox, {
      callback: (err, msg) => {
        if (this.sub !== sub || this.done) return;
        if (err) this.fail(err);
        else this.received(msg);
      },
    });
    this.sub = sub;
  }

  private pull(n: number): void {
    if (n <= 0 || this.consumer === undefined) return;
    try {
      this.nc.publish(
        `${this.api}.CONSUMER.MSG.NEXT.${this.request.stream}.${this.consumer}`,
        JSON.stringify({ batch: n, expires: PULL_EXPIRES_MS * NS_PER_MS }),
        { reply: this.inbox },
      );
      this.credit += n;
    } catch (err) {
      this.fail(err);
    }
  }

  /** Keeps about a batch asked for ahead of the caller: a new pull whenever half of it was used. */
  private topUp(): void {
    if (this.restarting || this.done) return;
    const ahead = this.credit + (this.queue.length - this.queueHead);
    if (ahead <= this.batch / 2) this.pull(this.batch - ahead);
  }

  private received(msg: Msg): void {
    this.lastActivity = Date.now();
    const core = msg as unknown as CoreMsg;
    const replyBytes = core._msg?.reply;
    const d = this.delivery;
    const isData =
      replyBytes !== undefined && replyBytes.length > 0
        ? parseAckReply(replyBytes, d)
        : msg.reply !== undefined && msg.reply !== '' && parseAckReply(Buffer.from(msg.reply, 'latin1'), d);
    if (!isData) {
      this.status(msg);
      return;
    }
    this.credit--;
    if (this.restarting) return;
    if (d.dseq !== this.expectedDseq) {
      // A message was lost between the server and us: start again after the last one accepted.
      this.restart();
      return;
    }
    this.expectedDseq++;
    const seq = d.sseq;
    if (seq <= this.lastAccepted) return; // already handed out before a restart
    this.lastAccepted = seq;
    const rdata = core._rdata;
    let raw: Buffer;
    let hdr = core._msg?.hdr ?? -1;
    if (rdata instanceof Buffer) raw = rdata;
    else if (rdata instanceof Uint8Array) raw = Buffer.from(rdata.buffer, rdata.byteOffset, rdata.byteLength);
    else {
      // Another client version: its public fields.
      const block = (msg.headers as MsgHdrsImpl | undefined)?.encode() ?? NO_BYTES;
      raw = Buffer.concat([block, msg.data]);
      hdr = block.length;
    }
    const subjectBytes = core._msg?.subject;
    const subject = subjectBytes instanceof Uint8Array ? subjectOf(subjectBytes) : msg.subject;
    const m = new Delivered(seq, subject, d.timeMs, raw, hdr > 0 ? hdr : 0, seq >= this.endSeq || d.pending === 0);
    if (this.paused || this.queueHead < this.queue.length) this.queue.push(m);
    else this.deliver(m);
  }

  private deliver(m: Delivered): void {
    if (this.done) return;
    if (m.seq > this.endSeq || (this.request.endTimeMs !== undefined && m.timeMs > this.request.endTimeMs)) {
      this.finish();
      return;
    }
    let answer: RangeAnswer;
    try {
      answer = this.onMessage(m);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (answer instanceof Promise) {
      this.paused = true;
      answer.then(
        (v) => {
          this.paused = false;
          this.lastActivity = Date.now();
          this.after(v, m.last);
        },
        (err: unknown) => this.fail(err),
      );
      return;
    }
    this.after(answer, m.last);
  }

  private after(answer: void | boolean, last: boolean): void {
    if (answer === false || last) {
      this.finish();
      return;
    }
    this.topUp();
    while (!this.paused && !this.done && this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead++]!;
      if (this.queueHead === this.queue.length) {
        this.queue.length = 0;
        this.queueHead = 0;
      }
      this.deliver(next);
    }
    if (this.endAfterQueue && !this.paused && this.queueHead >= this.queue.length) this.finish();
  }

  private status(msg: Msg): void {
    const h = msg.headers as MsgHdrsImpl | undefined;
    const code = h?.code ?? 0;
    if (code === 100) return; // heartbeat
    if (code === 404 || code === 408) {
      // The request ended unfilled (expired): what it still owed is owed no more.
      const owed = Number(h?.get('Nats-Pending-Messages') ?? '0');
      this.credit = Math.max(0, this.credit - (Number.isFinite(owed) && owed > 0 ? owed : 0));
      if (!this.paused) this.topUp();
      return;
    }
    if (code === 409 && /max|exceeded/i.test(h?.description ?? '')) {
      // The request was refused (too many waiting or too large): ask again later.
      this.credit = 0;
      return;
    }
    // Consumer deleted, leadership changed, anything else: a new consumer.
    this.restart();
  }

  private checkStall(): void {
    if (this.done || this.paused || this.restarting) return;
    if (Date.now() - this.lastActivity > this.stallMs) this.restart();
  }

  private restart(): void {
    if (this.restarting || this.done) return;
    this.restarting = true;
    const old = this.consumer;
    this.sub?.unsubscribe();
    this.sub = undefined;
    this.consumer = undefined;
    if (old !== undefined) void this.jsm.consumers.delete(this.request.stream, old).catch(() => undefined);
    const from =
      this.lastAccepted > 0
        ? this.lastAccepted + 1
        : this.request.startTimeMs === undefined
          ? Math.max(this.request.startSeq ?? 1, 1)
          : undefined;
    void this.createConsumer(from).then(
      (ci) => {
        this.restarting = false;
        this.lastActivity = Date.now();
        if (this.done) {
          void this.deleteConsumer();
          return;
        }
        if (ci.num_pending === 0) {
          // Nothing more to deliver: the read ends once the queue is handed out.
          this.endAfterQueue = true;
          if (!this.paused && this.queueHead >= this.queue.length) this.finish();
          return;
        }
        this.subscribe();
        this.topUp();
      },
      (err: unknown) => {
        this.restarting = false;
        this.fail(
          new RangeReadFailed(`cannot recreate the consumer of ${this.request.stream}: ${(err as Error).message}`),
        );
      },
    );
  }

  private fail(err: unknown): void {
    if (this.done) return;
    this.failure = err;
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    clearInterval(this.timer);
    this.sub?.unsubscribe();
    this.sub = undefined;
    void this.deleteConsumer().finally(() => this.finished());
  }

  private async deleteConsumer(): Promise<void> {
    const name = this.consumer;
    this.consumer = undefined;
    if (name !== undefined) await this.jsm.consumers.delete(this.request.stream, name).catch(() => undefined);
  }
}

/** Fast path: the header found verbatim in the block with a plain ASCII value; otherwise the client's decoding. */
export function headerValue(block: Uint8Array, name: string): string {
  if (block.length === 0) return '';
  const buf = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  const at = buf.indexOf(`\r\n${name}: `, 0, 'latin1');
  if (at >= 0) {
    const start = at + name.length + 4;
    const end = buf.indexOf('\r\n', start, 'latin1');
    if (end > start) {
      const value = buf.toString('latin1', start, end);
      if (/^[\x21-\x7e]+$/.test(value)) return value;
    }
  }
  return MsgHdrsImpl.decode(block).get(name) ?? '';
}

/** 64 visible ASCII characters (no space) from `at`, then CR: the client's decoding would give the same string. */
function plain64(block: Buffer, at: number): boolean {
  if (block[at + 64] !== 0x0d) return false;
  for (let i = at; i < at + 64; i++) {
    const c = block[i]!;
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** `\r\n<name>: ` as bytes, by header name (searching with bytes saves encoding the string each time). */
const needles = new Map<string, Buffer>();
function needleOf(name: string): Buffer {
  let n = needles.get(name);
  if (n === undefined) {
    n = Buffer.from(`\r\n${name}: `, 'latin1');
    needles.set(name, n);
  }
  return n;
}

/** Two headers of 64-character values (hex hashes) read in one pass, as `headerValue` would give them. */
export function hashHeaders(
  m: Pick<RangeMessage, 'raw' | 'bodyStart' | 'header'>,
  first: string,
  second: string,
): { first: string; second: string } {
  const end = m.bodyStart;
  if (end > 0) {
    // Searched in the raw bytes without a view of the block; a find past the block's end counts as none.
    const buf = m.raw;
    const a = needleOf(first);
    const b = needleOf(second);
    const p = buf.indexOf(a, 0);
    const h = buf.indexOf(b, 0);
    if (
      p >= 0 &&
      h >= 0 &&
      p + a.length + 65 <= end &&
      h + b.length + 65 <= end &&
      plain64(buf, p + a.length) &&
      plain64(buf, h + b.length)
    ) {
      return {
        first: buf.toString('latin1', p + a.length, p + a.length + 64),
        second: buf.toString('latin1', h + b.length, h + b.length + 64),
      };
    }
  }
  return { first: m.header(first), second: m.header(second) };
}
