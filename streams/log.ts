/**
 * The event log: one connection to NATS JetStream with the operations the rest
 * of Guardyn needs: ensure the streams, append a commit (optimistic concurrency,
 * dedup, hash chain), and read commits back by subject or by sequence.
 */
import { connect, type ConnectionOptions, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  JetStreamApiError,
  JetStreamApiCodes,
  type JetStreamClient,
  type JetStreamManager,
  type StoredMsg,
} from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { capabilitiesOf, type ServerCapabilities } from './capabilities.ts';
import { commitHeaders, decodeCommit, encodeBody, HEADER, type Commit, type StoredCommit } from './envelope.ts';
import { AppendRejected, LogUnavailable, StreamDrift, WrongExpectedSequence } from './errors.ts';
import type { EventRegistry } from './events/registry.ts';
import { chainHash, GENESIS } from './hash-chain.ts';
import { JetStreamPublisher, PublishRefused } from './publisher.ts';
import { specDifferences, streamSpecs, type StreamSpec } from './specs.ts';
import { serverList } from '../runtime/nats-servers.ts';
import { natsSignals, type Signals } from './signals.ts';
import type { ServerClusterInfo } from './replicas.ts';

export type AppendOutcome =
  | { readonly kind: 'appended'; readonly seq: number; readonly hash: string }
  /** The command id was seen before: `seq` is the original commit. */
  | { readonly kind: 'duplicate'; readonly seq: number };

export interface AppendRequest {
  readonly stream: string;
  readonly subject: string;
  readonly commit: Commit;
  /** The subject's last sequence the decision was made on (0: the subject must be empty). */
  readonly expectedSeq: number;
  /** The hash of the subject's last commit (GENESIS when empty). */
  readonly prev: string;
}

/** A commit is answered (acknowledged, or LogUnavailable: SERVICE_UNAVAILABLE at the gateway) within this. */
const PUBLISH_TIMEOUT_MS = 5000;
/** On a cluster, an unanswered send of a commit is sent again (same Nats-Msg-Id) after this, then after twice this (streams/publisher.ts). */
const PUBLISH_ATTEMPT_MS = 1500;

export class EventLog {
  private readonly publisher: JetStreamPublisher;
  /** Core-NATS signals over the log's connection (streams/signals.ts). */
  readonly signals: Signals;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly capabilities: ServerCapabilities,
    readonly registry: EventRegistry,
    private readonly logger: Logger,
  ) {
    // Timed resends only on a cluster, where a request can die with a stream leader while the connection
    // stays up; on one server an ack is only lost with the connection, and a reconnect resends.
    const clustered = (nc.info?.cluster ?? '') !== '';
    this.signals = natsSignals(nc);
    this.publisher = new JetStreamPublisher(nc, {
      timeoutMs: PUBLISH_TIMEOUT_MS,
      resend: true,
      ...(clustered ? { attemptMs: PUBLISH_ATTEMPT_MS } : {}),
    });
  }

  static async connect(url: string, registry: EventRegistry, logger: Logger, name = 'guardyn'): Promise<EventLog> {
    let nc: NatsConnection;
    try {
      // noAsyncTraces: the client would otherwise build an Error with a stack for every request
      // (each publish), which was most of the publish path's CPU.
      // pendingLimit: let a burst of publishes leave in one socket write (the default flushes every 32 KiB).
      // maxReconnectAttempts -1: reconnect forever, to any server of the list or of the cluster's INFO, each wait
      // jittered so the processes that lost one node do not all land on the next at once (docs/OPERATIONS.md).
      nc = await connect({
        servers: serverList(url),
        name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        reconnectJitter: 250,
        reconnectJitterTLS: 1000,
        noAsyncTraces: true,
        pendingLimit: 1024 * 1024,
      } as ConnectionOptions);
    } catch (err) {
      throw new LogUnavailable(`cannot reach NATS at ${url}: ${(err as Error).message}`);
    }
    const jsm = await jetstreamManager(nc, { timeout: PUBLISH_TIMEOUT_MS }).catch((err: Error) => {
      void nc.close();
      throw new LogUnavailable(`NATS at ${url} has no JetStream (start nats-server with -js): ${err.message}`);
    });
    const capabilities = capabilitiesOf(nc.info?.version ?? '0.0.0');
    return new EventLog(nc, jetstream(nc, { timeout: PUBLISH_TIMEOUT_MS }), jsm, capabilities, registry, logger);
  }

  /**
   * Creates missing streams and updates ones whose settings drifted. A change
   * JetStream refuses, or one it silently ignores, stops the start with
   * StreamDrift naming the stream and the fields.
   */
  async ensureStreams(specs: StreamSpec[] = streamSpecs()): Promise<void> {
    for (const spec of specs) {
      let existing;
      try {
        existing = await this.jsm.streams.info(spec.name);
      } catch (err) {
        if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw err;
      }
      let config;
      if (!existing) {
        config = (await this.jsm.streams.add({ ...spec })).config;
        this.logger.info({ stream: spec.name }, 'stream created');
      } else if (specDifferences(spec, existing.config).length > 0) {
        const before = specDifferences(spec, existing.config);
        try {
          config = (await this.jsm.streams.update(spec.name, { ...existing.config, ...spec })).config;
        } catch (err) {
          throw new StreamDrift(
            `stream ${spec.name} differs from Guardyn's spec and JetStream refused the update (${(err as Error).message}): ${before.join('; ')}`,
          );
        }
        this.logger.warn({ stream: spec.name, changed: before }, 'stream settings updated');
      } else {
        config = existing.config;
      }
      const left = specDifferences(spec, config);
      if (left.length > 0)
        throw new StreamDrift(`stream ${spec.name} did not take Guardyn's settings: ${left.join('; ')}`);
    }
  }

  /**
   * Appends one commit with expected-last-subject-sequence. Throws
   * WrongExpectedSequence when another commit landed first; a repeated command
   * id returns `duplicate` with the original's sequence.
   */
  async append(req: AppendRequest): Promise<AppendOutcome> {
    const body = encodeBody(req.commit, this.registry);
    const hash = chainHash(req.prev, req.subject, body);
    const headers = commitHeaders(req.commit, req.prev, hash, {
      msgId: req.commit.commandId,
      expectedSeq: req.expectedSeq,
    });
    try {
      const ack = await this.publisher.publish(req.subject, body, headers);
      // Streams own disjoint subjects (streams/specs.ts), so this does not happen; the stream is
      // checked here rather than sent as a header on every commit (Nats-Expected-Stream).
      if (ack.stream !== req.stream)
        throw new AppendRejected(`${req.subject} is stored in stream ${ack.stream}, not ${req.stream}`);
      if (ack.duplicate && !(ack.attempts > 1 && (await this.isOurs(req.stream, ack.seq, hash))))
        return { kind: 'duplicate', seq: ack.seq };
      return { kind: 'appended', seq: ack.seq, hash };
    } catch (err) {
      if (err instanceof PublishRefused) {
        // A clustered stream answers 10164 (no sequence named) when another commit on the subject is
        // still being replicated: the same lost race as 10071.
        if (
          err.code === JetStreamApiCodes.StreamWrongLastSequence ||
          err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown
        ) {
          throw new WrongExpectedSequence(req.subject, req.expectedSeq);
        }
        throw new AppendRejected(`JetStream refused the commit on ${req.subject}: ${err.message}`);
      }
      throw err instanceof LogUnavailable || err instanceof AppendRejected
        ? err
        : new LogUnavailable(`JetStream did not take the commit on ${req.subject}: ${(err as Error).message}`);
    }
  }

  /**
   * After a publish sent more than once answered `duplicate`: whether the stored
   * commit is this very one (an earlier send of ours landed, its ack was lost)
   * rather than an earlier command with the same id. The hash covers the body,
   * whose time differs between two commands.
   */
  private async isOurs(stream: string, seq: number, hash: string): Promise<boolean> {
    const stored = await this.jsm.direct.getMessage(stream, { seq }).catch(() => null);
    return stored?.header.get(HEADER.hash) === hash;
  }

  /** The last commit on a subject, or undefined when it has none. */
  async last(stream: string, subject: string): Promise<StoredCommit | undefined> {
    const m = await this.direct(stream, { last_by_subj: subject });
    return m ? this.decode(stream, { subject: m.subject, seq: m.seq, data: m.data, headers: m.header }) : undefined;
  }

  /** The commit at a stream sequence, or undefined. */
  async get(stream: string, seq: number): Promise<StoredCommit | undefined> {
    const m = await this.direct(stream, { seq });
    return m ? this.decode(stream, { subject: m.subject, seq: m.seq, data: m.data, headers: m.header }) : undefined;
  }

  /** Commits on one subject with sequence >= fromSeq, in order. */
  async *readSubject(stream: string, subject: string, fromSeq = 1): AsyncGenerator<StoredCommit> {
    let seq = fromSeq;
    for (;;) {
      const m = await this.direct(stream, { seq, next_by_subj: subject });
      if (!m) return;
      yield this.decode(stream, { subject: m.subject, seq: m.seq, data: m.data, headers: m.header });
      seq = m.seq + 1;
    }
  }

  /** The stream's last sequence (0 when empty). */
  async lastSeq(stream: string): Promise<number> {
    const info = await this.jsm.streams.info(stream);
    return info.state.last_seq;
  }

  /** The subjects of a stream matching `filter` (wildcards allowed), each with how many messages it holds. */
  async subjectCounts(stream: string, filter: string): Promise<Record<string, number>> {
    const info = await this.jsm.streams.info(stream, { subjects_filter: filter });
    return { ...(info.state.subjects ?? {}) };
  }

  /** Every stream on the server, with the subjects it captures. */
  async streamSubjects(): Promise<Record<string, readonly string[]>> {
    const out: Record<string, readonly string[]> = {};
    for await (const info of this.jsm.streams.list()) out[info.config.name] = info.config.subjects ?? [];
    return out;
  }

  /** Decodes a message read from the stream (direct get or consumer delivery). */
  decode(
    stream: string,
    m: { subject: string; seq: number; data: Uint8Array; headers?: MsgHdrs | undefined },
  ): StoredCommit {
    return decodeCommit(
      { subject: m.subject, seq: m.seq, data: m.data, header: headerReader(m) },
      stream,
      this.registry,
    );
  }

  private async direct(
    stream: string,
    query: { seq: number; next_by_subj?: string } | { last_by_subj: string },
  ): Promise<StoredMsg | null> {
    try {
      return await this.jsm.direct.getMessage(stream, query);
    } catch (err) {
      throw new LogUnavailable(`cannot read ${stream}: ${(err as Error).message}`);
    }
  }

  /** Whether the connection to NATS is closed for good (a reconnecting one is not). */
  get closed(): boolean {
    return this.nc.isClosed();
  }

  /** The server the log is connected to now (`host:port`). */
  server(): string {
    return this.nc.getServer();
  }

  /** What the connected server's INFO says of its cluster (streams/replicas.ts). */
  get clusterInfo(): ServerClusterInfo | undefined {
    return this.nc.info;
  }

  async close(): Promise<void> {
    this.publisher.close();
    if (!this.nc.isClosed()) await this.nc.drain().catch(() => this.nc.close());
  }
}

/**
 * A reader of a message's headers, parsed on first use. Made here rather than inline: tsx keeps
 * function names, and a closure written as an object's property is named at run time, per commit.
 */
function headerReader(m: { readonly headers?: MsgHdrs | undefined }): (name: string) => string {
  return (n) => m.headers?.get(n) ?? '';
}

export { GENESIS };
