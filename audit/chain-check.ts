/**
 * What `guardyn audit verify` checks of one stream, commit by commit in stream order: each
 * commit's own hash (SHA-256 over prev, subject and body), its link to the previous commit of its
 * subject, and the digest of each signed checkpoint's range. The same checker runs in the reading
 * thread (every part of every commit) and in verify's worker threads (audit/verify-worker.ts):
 * there each worker checks the chains of the subjects it owns (the subjects are split by a hash of
 * their bytes, so a chain is checked whole, in order, by one worker) and one of them also keeps the
 * checkpoints' range digests, so the report is the same whatever the thread count.
 *
 * Imports stay light (no NATS client, no event registry): a worker thread loads this module.
 */
import { chainHash, GENESIS } from '../streams/hash-chain.ts';
import { hashHeaders, headerValue } from '../streams/range-reader.ts';
import { RangeDigest } from './range-digest.ts';

/** The part of a signed checkpoint the range check needs (plain data: it is sent to the worker threads). */
export interface CheckpointRange {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly digest: string;
  readonly heads: Readonly<Record<string, string>> | null;
  readonly at: string;
  readonly auditSeq: number;
}

export type StreamBreakKind =
  | 'hash-mismatch'
  | 'prev-mismatch'
  | 'checkpoint-mismatch'
  | 'checkpoint-chain'
  | 'stream-truncated';

/** A break found in a stream (the caller adds the stream's name). */
export interface StreamBreak {
  readonly kind: StreamBreakKind;
  readonly subject: string | null;
  readonly seq: number;
  readonly detail: string;
}

export interface CheckerOptions {
  /** The stream's valid checkpoints in order (only the checker that keeps the digests uses them). */
  readonly checkpoints: readonly CheckpointRange[];
  /** Whether this checker keeps the checkpoints' range digests. */
  readonly digests: boolean;
  /** The window names a start (so every subject is anchored at its first commit in it). */
  readonly windowFrom: boolean;
  /** The header names of the previous hash and the commit's own hash. */
  readonly prevHeader: string;
  readonly hashHeader: string;
}

const PREV_MISMATCH =
  'the commit does not follow the previous commit of its subject (a commit before it was removed, inserted or reordered)';
const HASH_MISMATCH = 'the commit does not match its hash (its content was changed)';

/** The header part of a delivered message that `hashHeaders` reads. */
class Headers {
  raw: Buffer = Buffer.alloc(0);
  bodyStart = 0;
  header(name: string): string {
    return this.bodyStart > 0 ? headerValue(this.raw.subarray(0, this.bodyStart), name) : '';
  }
}

export class StreamChecker {
  /** Subjects whose first commit in the window was taken as anchor. */
  anchored = 0;
  /** Checkpoints whose range matched. */
  checked = 0;
  /** Checkpoints outside the window. */
  outside = 0;
  private firstSeq = -1;
  private anchoring = false;
  private ci = 0;
  private range: RangeDigest | undefined;
  private readonly last = new Map<string, string>();
  private readonly msg = new Headers();

  constructor(
    private readonly o: CheckerOptions,
    private readonly report: (b: StreamBreak) => void,
  ) {}

  /**
   * One commit, in stream order (every checker is told of every commit). `own`: this checker
   * checks the commit's chain; `subject` may be '' for a commit it neither owns nor digests.
   */
  commit(seq: number, subject: string, raw: Buffer, bodyStart: number, own: boolean): void {
    const checkpoints = this.o.checkpoints;
    if (this.firstSeq < 0) {
      this.firstSeq = seq;
      this.anchoring = seq > 1 || this.o.windowFrom;
      // Checkpoints that end before the window starts are outside it.
      if (this.o.digests)
        while (this.ci < checkpoints.length && checkpoints[this.ci]!.to < seq) {
          this.outside++;
          this.ci++;
        }
    }
    const digests = this.o.digests;
    if (!own && !digests) return;
    const m = this.msg;
    m.raw = raw;
    m.bodyStart = bodyStart;
    const { first: prev, second: hash } = hashHeaders(m, this.o.prevHeader, this.o.hashHeader);
    if (own) {
      const known = this.last.get(subject);
      let expected = known;
      if (known === undefined) {
        expected = GENESIS;
        if (this.anchoring && prev !== GENESIS) {
          expected = prev;
          this.anchored++;
        }
      }
      if (prev !== expected) this.report({ kind: 'prev-mismatch', subject, seq, detail: PREV_MISMATCH });
      if (chainHash(prev, subject, raw, bodyStart) !== hash)
        this.report({ kind: 'hash-mismatch', subject, seq, detail: HASH_MISMATCH });
      this.last.set(subject, hash);
    }
    if (digests) {
      while (this.ci < checkpoints.length && seq > checkpoints[this.ci]!.to) this.finish(checkpoints[this.ci++]!);
      const cp = checkpoints[this.ci];
      if (cp !== undefined && this.range === undefined && seq >= cp.from && this.firstSeq <= cp.from)
        this.range = new RangeDigest(cp.heads !== null); // the heads locate a mismatch: none listed, none kept
      this.range?.add(seq, subject, hash);
    }
  }

  /** The read ended at `endSeq` (the last sequence it was due): the checkpoints left are closed. */
  end(endSeq: number, windowOpenEnded: boolean): void {
    if (!this.o.digests) return;
    const checkpoints = this.o.checkpoints;
    while (this.ci < checkpoints.length) {
      const c = checkpoints[this.ci++]!;
      if (c.to <= endSeq) this.finish(c);
      else if (windowOpenEnded && c.from <= endSeq + 1) {
        this.report({
          kind: 'stream-truncated',
          subject: null,
          seq: endSeq + 1,
          detail: `the stream ends at ${endSeq} but the checkpoint signed at ${c.at} (AUDIT #${c.auditSeq}) covers commits up to ${c.to}: commits were removed from its end`,
        });
        this.range = undefined;
      } else this.outside++;
    }
  }

  private finish(cp: CheckpointRange): void {
    const range = this.range;
    if (range === undefined) {
      this.outside++;
      return;
    }
    const digest = range.digest();
    if (digest !== cp.digest || range.count !== cp.count) {
      let subject: string | null = null;
      let seq = cp.from;
      let span = '';
      for (const [s, h] of Object.entries(cp.heads ?? {})) {
        const mine = range.heads.get(s);
        if (mine === undefined || mine[0] !== h) {
          subject = s;
          // The change lies somewhere among the subject's commits of the range: name the first.
          seq = mine?.[2] ?? cp.from;
          span = mine === undefined ? '' : ` between seq ${mine[2]} and ${mine[1]}`;
          break;
        }
      }
      this.report({
        kind: 'checkpoint-mismatch',
        subject,
        seq,
        detail:
          `commits ${cp.from}..${cp.to} do not match the checkpoint signed at ${cp.at} (AUDIT #${cp.auditSeq}): ` +
          `${range.count} commits read, ${cp.count} signed${subject === null ? '' : `; the head of ${subject} differs: its commits were rewritten${span}`}`,
      });
    } else this.checked++;
    this.range = undefined;
  }
}

/** The worker that owns a subject's chain: FNV-1a over the subject's bytes, modulo the workers. */
export function ownerOf(bytes: Uint8Array, start: number, end: number, workers: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0) % workers;
}
