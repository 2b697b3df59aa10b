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
import { verifyLinks, type ChainBreak } from '../streams/hash-chain.ts';
import { readWindow, type RangeMessage, type RangeReader } from './read.ts';
import { hashHeaders } from '../streams/range-reader.ts';
import { HEADER } from '../streams/envelope.ts';
import { checkSignature, RangeDigest, readCheckpoints, signedHash, type SignedCheckpoint } from './checkpoints.ts';
import { GENESIS } from '../streams/hash-chain.ts';
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
}

export async function verifyStreams(reader: RangeReader, options: VerifyOptions): Promise<VerifyReport> {
  const started = process.hrtime.bigint();
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
  try {
    for (const stream of options.streams)
      results.push(await verifyStream(reader, stream, options, report, warnings, bar));
  } finally {
    bar.done();
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
): Promise<StreamVerification> {
  const key = options.publicKey;
  const checkpoints = key === undefined ? [] : await validCheckpoints(reader, stream, key, report);
  const last = new Map<string, string>();
  let verified = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let anchored = 0;
  let anchoring = false;
  let ci = 0; // the checkpoint whose range is being read
  let range: RangeDigest | undefined;
  let checked = 0;
  let outside = 0;
  const chainBreak = (b: ChainBreak) => {
    report({
      kind: b.kind,
      stream,
      subject: b.subject,
      seq: b.seq,
      detail:
        b.kind === 'prev-mismatch'
          ? 'the commit does not follow the previous commit of its subject (a commit before it was removed, inserted or reordered)'
          : 'the commit does not match its hash (its content was changed)',
    });
  };
  const finish = (c: SignedCheckpoint) => {
    const cp = c.checkpoint;
    if (range === undefined) {
      outside++;
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
      report({
        kind: 'checkpoint-mismatch',
        stream,
        subject,
        seq,
        detail:
          `commits ${cp.from}..${cp.to} do not match the checkpoint signed at ${cp.at} (AUDIT #${c.auditSeq}): ` +
          `${range.count} commits read, ${cp.count} signed${subject === null ? '' : `; the head of ${subject} differs: its commits were rewritten${span}`}`,
      });
    } else checked++;
    range = undefined;
  };

  const plan = await readWindow(
    reader,
    { stream, window: options.window },
    (m: RangeMessage) => {
      const seq = m.seq;
      if (firstSeq === null) {
        firstSeq = seq;
        anchoring = seq > 1 || options.window?.from !== undefined;
        // Checkpoints that end before the window starts are outside it.
        while (ci < checkpoints.length && checkpoints[ci]!.checkpoint.to < seq) {
          outside++;
          ci++;
        }
      }
      while (ci < checkpoints.length && seq > checkpoints[ci]!.checkpoint.to) finish(checkpoints[ci++]!);
      const cp = checkpoints[ci]?.checkpoint;
      if (cp !== undefined && range === undefined && seq >= cp.from && firstSeq <= cp.from) range = new RangeDigest();
      const subject = m.subject;
      const { first: prev, second: hash } = hashHeaders(m, HEADER.prev, HEADER.hash);
      if (anchoring && !last.has(subject) && prev !== GENESIS) {
        last.set(subject, prev);
        anchored++;
      }
      const found = verifyLinks([{ seq, subject, prev, hash, body: m.raw, bodyStart: m.bodyStart }], last);
      for (const b of found) chainBreak(b);
      range?.add(seq, subject, hash);
      verified++;
      lastSeq = seq;
      bar.tick();
    },
    (p) => bar.addTotal(p.pending),
  );
  // The checkpoint the read ended in, if the window reaches its end.
  const endSeq = plan.endSeq;
  const windowTo = options.window?.to;
  const windowOpenEnded = windowTo === undefined;
  while (ci < checkpoints.length) {
    const c = checkpoints[ci++]!;
    if (c.checkpoint.to <= endSeq) finish(c);
    else if (windowOpenEnded && c.checkpoint.from <= endSeq + 1) {
      report({
        kind: 'stream-truncated',
        stream,
        subject: null,
        seq: endSeq + 1,
        detail: `the stream ends at ${endSeq} but the checkpoint signed at ${c.checkpoint.at} (AUDIT #${c.auditSeq}) covers commits up to ${c.checkpoint.to}: commits were removed from its end`,
      });
      range = undefined;
    } else outside++;
  }
  const lastCovered = checkpoints.length > 0 ? checkpoints[checkpoints.length - 1]!.checkpoint.to : 0;
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
