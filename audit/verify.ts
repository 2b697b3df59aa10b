/**
 * `guardyn audit verify`: the hash chain of every subject in a window (with
 * streams/hash-chain.ts verifyLinks), and the signed checkpoints of the ranges
 * the window covers. Reports the verified count and rate and every break with
 * its stream, subject and sequence, the first one first.
 *
 * A window that starts after a stream's first sequence anchors each subject at
 * its first commit in the window (that commit's own hash is still checked);
 * the chain before it is outside the window.
 */
import type { KeyObject } from 'node:crypto';
import type { ChainBreak } from '../streams/hash-chain.ts';
import { readWindow, type RangeMessage, type RangeReader } from './read.ts';
import { HEADER } from '../streams/envelope.ts';
import { checkSignature, readCheckpoints, signedHash, type SignedCheckpoint } from './checkpoints.ts';
import { GENESIS } from '../streams/hash-chain.ts';
import { StreamChecker, type CheckpointRange, type StreamBreak } from './chain-check.ts';
import { VerifyPool } from './verify-pool.ts';
import { defaultAuditThreads } from './worker-threads.ts';
import { AuditArgumentError } from './window.ts';
import { keyIdOf } from './keys.ts';
import { progressBar } from './progress.ts';
import type { Window } from './window.ts';

export type BreakKind =
  | ChainBreak['kind']
  | 'checkpoint-mismatch'
  | 'checkpoint-signature'
  | 'checkpoint-chain'
  | 'checkpoint-unreadable'
  | 'stream-truncated';

export interface Break {
  readonly kind: BreakKind;
  readonly stream: string;
  /** The subject at fault, or null when a checkpoint range as a whole does not match. */
  readonly subject: string | null;
  /** The stream sequence at fault (for checkpoint problems: the AUDIT sequence is in `detail`). */
  readonly seq: number;
  readonly detail: string;
}

export interface StreamVerification {
  readonly stream: string;
  readonly verified: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  /** Subjects whose first commit in the window was taken as anchor (window not from the start). */
  readonly anchored: number;
  readonly checkpoints: { readonly verified: number; readonly outsideWindow: number; readonly total: number };
  /** Commits after the last checkpoint (covered by the chain only). */
  readonly uncheckpointed: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly streams: readonly StreamVerification[];
  readonly verified: number;
  readonly seconds: number;
  readonly rate: number;
  readonly breaks: readonly Break[];
  /** Breaks beyond those listed. */
  readonly moreBreaks: number;
  readonly warnings: readonly string[];
}

export interface VerifyOptions {
  readonly streams: readonly string[];
  readonly window?: Window | undefined;
  /** The audit public key; absent: checkpoints are not checked (a warning says so). */
  readonly publicKey?: KeyObject | undefined;
  /** Fail when a stream with commits has no checkpoint. */
  readonly requireCheckpoints?: boolean | undefined;
  readonly progress?: boolean | undefined;
  /** Most breaks listed; default 100. */
  readonly maxBreaks?: number | undefined;
  /**
   * Worker threads that check the chains and the checkpoints' digests while this thread reads
   * (0, the default here: everything in this thread; `guardyn audit verify` takes one per core
   * beside the reader). The report is the same either way.
   */
  readonly threads?: number | undefined;
}

/** Most worker threads verify takes. */
export const MAX_VERIFY_THREADS = 64;

/** `guardyn audit verify`'s default: a worker thread per core beside the reading thread, 1 to 4 (audit/worker-threads.ts). */
export const defaultVerifyThreads = (): number => defaultAuditThreads();

const HEADERS = { prevHeader: HEADER.prev, hashHeader: HEADER.hash };

export async function verifyStreams(reader: RangeReader, options: VerifyOptions): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
  const threads = options.threads ?? 0;
  if (!Number.isInteger(threads) || threads < 0 || threads > MAX_VERIFY_THREADS)
    throw new AuditArgumentError(`--threads must be a whole number from 0 to ${MAX_VERIFY_THREADS}`);
  const breaks: Break[] = [];
  let moreBreaks = 0;
  const maxBreaks = options.maxBreaks ?? 100;
  const warnings: string[] = [];
  const report = (b: Break) => {
    if (breaks.length < maxBreaks) breaks.push(b);
    else moreBreaks++;
  };
  const bar = progressBar('verify', options.progress ?? false);
  const results: StreamVerification[] = [];
  if (options.publicKey === undefined) warnings.push('no audit public key: signed checkpoints were not checked');
  const more = (n: number) => {
    moreBreaks += n;
  };
  // The workers start while the first stream's checkpoints are read.
  const pool =
    threads === 0 ? undefined : VerifyPool.start(threads, { prev: HEADER.prev, hash: HEADER.hash }, maxBreaks);
  pool?.catch(() => undefined);
  try {
    for (const stream of options.streams)
      results.push(await verifyStream(reader, stream, options, report, warnings, bar, pool, more));
  } finally {
    bar.done();
    await (await pool?.catch(() => undefined))?.close();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const verified = results.reduce((n, r) => n + r.verified, 0);
  const sorted = [...breaks].sort(
    (a, b) => options.streams.indexOf(a.stream) - options.streams.indexOf(b.stream) || a.seq - b.seq,
  );
  return {
    ok: breaks.length === 0,
    streams: results,
    verified,
    seconds,
    rate: verified / Math.max(seconds, 1e-9),
    breaks: sorted,
    moreBreaks,
    warnings,
  };
}

async function verifyStream(
  reader: RangeReader,
  stream: string,
  options: VerifyOptions,
  report: (b: Break) => void,
  warnings: string[],
  bar: { tick(n?: number): void; addTotal(n: number): void },
  starting: Promise<VerifyPool> | undefined,
  moreBreaks: (n: number) => void,
): Promise<StreamVerification> {
  const key = options.publicKey;
  const checkpoints: CheckpointRange[] = (
    key === undefined ? [] : await validCheckpoints(reader, stream, key, report)
  ).map((c) => ({ ...c.checkpoint, auditSeq: c.auditSeq }));
  let verified = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  const windowFrom = options.window?.from !== undefined;
  const inStream = (b: StreamBreak) => report({ ...b, stream });
  // In this thread: one checker does everything. With workers: this thread only reads and copies.
  const pool = await starting;
  const checker =
    pool === undefined
      ? new StreamChecker({ checkpoints, digests: true, windowFrom, ...HEADERS }, inStream)
      : undefined;
  pool?.begin(checkpoints, windowFrom);
  const plan = await readWindow(
    reader,
    { stream, window: options.window },
    (m: RangeMessage) => {
      const seq = m.seq;
      firstSeq ??= seq;
      lastSeq = seq;
      verified++;
      bar.tick();
      if (checker !== undefined) checker.commit(seq, m.subject, m.raw, m.bodyStart, true);
      else return pool!.add(seq, m.subject, m.raw, m.bodyStart);
      return undefined;
    },
    (p) => bar.addTotal(p.pending),
  );
  // The checkpoints the read ended in, if the window reaches their end.
  const windowOpenEnded = options.window?.to === undefined;
  let anchored: number;
  let checked: number;
  let outside: number;
  if (checker !== undefined) {
    checker.end(plan.endSeq, windowOpenEnded);
    ({ anchored, checked, outside } = checker);
  } else {
    const found = await pool!.end(plan.endSeq, windowOpenEnded);
    anchored = found.reduce((n, f) => n + f.anchored, 0);
    checked = found.reduce((n, f) => n + f.checked, 0);
    outside = found.reduce((n, f) => n + f.outside, 0);
    // Each worker listed its first breaks: together, in stream order, they hold the first of the stream.
    for (const b of found.flatMap((f) => f.breaks).sort((a, b) => a.seq - b.seq)) inStream(b);
    moreBreaks(found.reduce((n, f) => n + f.more, 0));
  }
  const lastCovered = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1]!.to : 0;
  const uncheckpointed = lastSeq === null ? 0 : Math.max(0, lastSeq - Math.max(lastCovered, (firstSeq ?? 1) - 1));
  if (key !== undefined && checkpoints.length === 0 && verified > 0) {
    const message = `stream ${stream} has no signed checkpoint: only its hash chain was verified`;
    if (options.requireCheckpoints)
      report({ kind: 'checkpoint-chain', stream, subject: null, seq: firstSeq ?? 1, detail: message });
    else warnings.push(message);
  }
  return {
    stream,
    verified,
    firstSeq,
    lastSeq,
    anchored,
    checkpoints: { verified: checked, outsideWindow: outside, total: checkpoints.length },
    uncheckpointed,
  };
}

/** The stream's checkpoints whose signature and chain check out; the others are reported. */
async function validCheckpoints(
  reader: RangeReader,
  stream: string,
  key: KeyObject,
  report: (b: Break) => void,
): Promise<SignedCheckpoint[]> {
  const { checkpoints, unreadable } = await readCheckpoints(reader, stream);
  for (const u of unreadable) {
    report({
      kind: 'checkpoint-unreadable',
      stream,
      subject: null,
      seq: 0,
      detail: `AUDIT #${u.auditSeq} is ${u.error}`,
    });
  }
  const keyId = keyIdOf(key);
  const valid: SignedCheckpoint[] = [];
  let prev = GENESIS;
  let nextFrom = 1;
  for (const c of checkpoints) {
    const cp = c.checkpoint;
    if (cp.stream !== stream || cp.keyId !== keyId || !checkSignature(c, key)) {
      report({
        kind: 'checkpoint-signature',
        stream,
        subject: null,
        seq: cp.from,
        detail: `the checkpoint AUDIT #${c.auditSeq} (commits ${cp.from}..${cp.to}) is not signed by the audit key ${keyId}${cp.keyId !== keyId ? ` (it names key ${cp.keyId})` : ''}`,
      });
      continue;
    }
    if (cp.prev !== prev || cp.from !== nextFrom) {
      report({
        kind: 'checkpoint-chain',
        stream,
        subject: null,
        seq: cp.from,
        detail: `the checkpoint AUDIT #${c.auditSeq} does not follow the previous one (a checkpoint is missing or out of order)`,
      });
    }
    prev = signedHash(c.signed);
    nextFrom = cp.to + 1;
    valid.push(c);
  }
  return valid;
}
