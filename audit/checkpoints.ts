/**
 * Signed checkpoints of the truth streams, on the AUDIT stream (deletes and
 * purges refused), subject `audit.checkpoint.<STREAM>`.
 *
 * A checkpoint covers the stream's sequences (from..to], contiguous with the
 * previous checkpoint of the stream: the count of commits in the range, a
 * SHA-256 digest over `seq \n subject \n hash \n` of each of them in order, the
 * chain heads (subject → hash) of the subjects the range touched (when at most
 * MAX_HEADS), and the SHA-256 of the previous checkpoint's signed bytes. It is
 * signed with the Ed25519 audit key. A rewrite of a whole stream with a
 * recomputed hash chain still changes the digest of every range it touches,
 * so `verify`, holding only the public key, detects it.
 */
import { createHash, sign, verify as verifySignature, type KeyObject } from 'node:crypto';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { RangeReader, RecordAppender } from '../streams/range-reader.ts';
import type { Logger } from 'pino';
import { HEADER } from '../streams/envelope.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';
import { GENESIS } from '../streams/hash-chain.ts';
import { readWindow } from './read.ts';
import { keyIdOf } from './keys.ts';
import { PeriodicTask } from '../runtime/periodic-task.ts';
import { RangeDigest } from './range-digest.ts';

export { RangeDigest } from './range-digest.ts';

/** The streams whose chains are checkpointed: the truth. */
export const CHECKPOINTED_STREAMS: readonly string[] = [
  STREAMS.accounts,
  STREAMS.messages,
  STREAMS.media,
  STREAMS.calls,
];

/** Most chain heads one checkpoint lists (beyond that only the digest is kept, so a checkpoint stays small). */
export const MAX_HEADS = 2000;

export interface Checkpoint {
  readonly v: 1;
  readonly stream: string;
  /** First sequence covered. */
  readonly from: number;
  /** Last sequence covered. */
  readonly to: number;
  /** Commits in from..to. */
  readonly count: number;
  readonly digest: string;
  /** Heads of the subjects the range touched, or null when there were more than MAX_HEADS. */
  readonly heads: Readonly<Record<string, string>> | null;
  /** SHA-256 of the previous checkpoint's signed bytes (GENESIS for the first). */
  readonly prev: string;
  readonly at: string;
  readonly keyId: string;
}

export interface SignedCheckpoint {
  readonly checkpoint: Checkpoint;
  /** The exact bytes signed (canonical JSON of `checkpoint`). */
  readonly signed: Buffer;
  readonly sig: string;
  /** Its sequence on the AUDIT stream. */
  readonly auditSeq: number;
}

const Stored = t.type({
  checkpoint: t.type({
    v: t.literal(1),
    stream: t.string,
    from: t.number,
    to: t.number,
    count: t.number,
    digest: t.string,
    heads: t.union([t.record(t.string, t.string), t.null]),
    prev: t.string,
    at: t.string,
    keyId: t.string,
  }),
  sig: t.string,
});

/** Canonical bytes: fixed key order, heads sorted by subject. */
export function canonicalBytes(c: Checkpoint): Buffer {
  const heads =
    c.heads === null
      ? null
      : Object.fromEntries(
          Object.keys(c.heads)
            .sort()
            .map((k) => [k, c.heads![k]!]),
        );
  return Buffer.from(
    JSON.stringify({
      v: c.v,
      stream: c.stream,
      from: c.from,
      to: c.to,
      count: c.count,
      digest: c.digest,
      heads,
      prev: c.prev,
      at: c.at,
      keyId: c.keyId,
    }),
  );
}

export const signedHash = (signed: Buffer): string => createHash('sha256').update(signed).digest('hex');

export const checkpointSubject = (stream: string): string => subjects.auditCheckpoint(stream);

/** Reads every checkpoint of a stream, in order. A stored checkpoint that does not parse is reported, not thrown. */
export async function readCheckpoints(
  reader: RangeReader,
  stream: string,
): Promise<{ checkpoints: SignedCheckpoint[]; unreadable: { auditSeq: number; error: string }[] }> {
  const checkpoints: SignedCheckpoint[] = [];
  const unreadable: { auditSeq: number; error: string }[] = [];
  if ((await reader.streamState(STREAMS.audit).catch(() => undefined)) === undefined)
    return { checkpoints, unreadable };
  await readWindow(reader, { stream: STREAMS.audit, subject: checkpointSubject(stream) }, (m) => {
    const parsed = parseStored(m.data);
    if (typeof parsed === 'string') unreadable.push({ auditSeq: m.seq, error: parsed });
    else checkpoints.push({ ...parsed, auditSeq: m.seq });
  });
  return { checkpoints, unreadable };
}

function parseStored(data: Uint8Array): Omit<SignedCheckpoint, 'auditSeq'> | string {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return 'not JSON';
  }
  const decoded = Stored.decode(json);
  if (isLeft(decoded)) return 'not a checkpoint';
  const checkpoint = decoded.right.checkpoint as Checkpoint;
  return { checkpoint, signed: canonicalBytes(checkpoint), sig: decoded.right.sig };
}

export function checkSignature(c: SignedCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verifySignature(null, c.signed, publicKey, Buffer.from(c.sig, 'base64'));
  } catch {
    return false;
  }
}

/** Reads the stream and the last checkpoint, appends the next. */
export type CheckpointWriter = RangeReader & RecordAppender;

/**
 * Writes the next checkpoint of `stream`: from the previous checkpoint's end to
 * the stream's last sequence now. Returns undefined when there is nothing new,
 * or when another writer appended a checkpoint first (optimistic concurrency on
 * the checkpoint subject).
 */
export async function writeCheckpoint(
  log: CheckpointWriter,
  stream: string,
  key: KeyObject,
  now = Date.now(),
): Promise<Checkpoint | undefined> {
  const subject = checkpointSubject(stream);
  const last = await log.lastOnSubject(STREAMS.audit, subject);
  let from = 1;
  let prev = GENESIS;
  let lastAuditSeq = 0;
  if (last) {
    const parsed = parseStored(last.data);
    if (typeof parsed === 'string')
      throw new Error(`the last checkpoint of ${stream} (AUDIT #${last.seq}) is unreadable: ${parsed}`);
    from = parsed.checkpoint.to + 1;
    prev = signedHash(parsed.signed);
    lastAuditSeq = last.seq;
  }
  const range = new RangeDigest();
  const plan = await readWindow(
    log,
    { stream, window: { from: { kind: 'seq', seq: from } }, headersOnly: true },
    (m) => {
      range.add(m.seq, m.subject, m.header(HEADER.hash));
    },
  );
  const to = plan.endSeq;
  if (to < from) return undefined;
  const heads = range.heads.size <= MAX_HEADS ? Object.fromEntries([...range.heads].map(([s, [h]]) => [s, h])) : null;
  const checkpoint: Checkpoint = {
    v: 1,
    stream,
    from,
    to,
    count: range.count,
    digest: range.digest(),
    heads,
    prev,
    at: new Date(now).toISOString(),
    keyId: keyIdOf(key),
  };
  const signed = canonicalBytes(checkpoint);
  const sig = sign(null, signed, key).toString('base64');
  const appended = await log.append(subject, JSON.stringify({ checkpoint, sig }), {
    expectLastSubjectSeq: lastAuditSeq,
    msgId: `checkpoint:${stream}:${to}`,
  });
  return appended === 'appended' ? checkpoint : undefined;
}

/** The task `guardyn up` runs (with the projections role): a checkpoint of each truth stream every interval. */
export class Checkpointer {
  private readonly task: PeriodicTask;

  constructor(
    private readonly log: CheckpointWriter,
    private readonly key: KeyObject,
    intervalMs: number,
    private readonly logger: Logger,
    private readonly streams: readonly string[] = CHECKPOINTED_STREAMS,
  ) {
    this.task = new PeriodicTask(() => this.checkpointAll(), { name: 'audit checkpoints', intervalMs, logger });
  }

  start(): void {
    this.task.start();
  }

  /** Writes one checkpoint per stream now (or waits for the tick in progress). */
  tick(): Promise<void> {
    return this.task.tick();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  private async checkpointAll(): Promise<void> {
    for (const stream of this.streams) {
      try {
        const c = await writeCheckpoint(this.log, stream, this.key);
        if (c) this.logger.info({ stream, from: c.from, to: c.to, count: c.count }, 'audit checkpoint signed');
      } catch (err) {
        this.logger.warn({ stream, err: (err as Error).message }, 'audit checkpoint failed');
      }
    }
  }
}
