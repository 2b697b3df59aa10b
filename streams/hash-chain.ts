/**
 * The per-subject hash chain: hash = SHA-256(prev || "\n" || subject || "\n" || body).
 * The body is the commit exactly as stored, so a changed, removed or reordered
 * commit breaks every hash after it on that subject.
 */
import { hash } from 'node:crypto';

/** The `prev` of the first commit on a subject. */
export const GENESIS = '0'.repeat(64);

/** Reused input buffer: building each hash's input in fresh memory was a third of its cost. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/** The hash of a commit; `start` and `end` (optional) pick the body out of a larger buffer (a delivered message). */
export function chainHash(prev: string, subject: string, body: Uint8Array, start = 0, end = body.length): string {
  const length = end - start;
  const headMax = (prev.length + subject.length) * 3 + 2;
  if (scratch.length < headMax + length) scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, headMax + length));
  let n = scratch.write(prev, 0, 'utf8');
  scratch[n++] = 0x0a;
  n += scratch.write(subject, n, 'utf8');
  scratch[n++] = 0x0a;
  if (body instanceof Buffer) body.copy(scratch, n, start, end);
  else scratch.set(start === 0 && end === body.length ? body : body.subarray(start, end), n);
  return hash('sha256', scratch.subarray(0, n + length), 'hex');
}

export interface ChainLink {
  readonly seq: number;
  readonly subject: string;
  readonly prev: string;
  readonly hash: string;
  readonly body: Uint8Array;
  /** Where the body starts in `body` (a delivered message's header block before it); default 0. */
  readonly bodyStart?: number | undefined;
}

export type ChainBreak =
  | { readonly kind: 'hash-mismatch'; readonly seq: number; readonly subject: string }
  | { readonly kind: 'prev-mismatch'; readonly seq: number; readonly subject: string; readonly expectedPrev: string };

/**
 * Checks links of one or more subjects in stream order: each link's hash must
 * match its body and its prev must be the hash of the subject's previous link.
 * `lastBySubject` carries state between calls so a replay can verify in batches.
 */
export function verifyLinks(links: Iterable<ChainLink>, lastBySubject: Map<string, string> = new Map()): ChainBreak[] {
  const breaks: ChainBreak[] = [];
  for (const link of links) {
    const expectedPrev = lastBySubject.get(link.subject) ?? GENESIS;
    if (link.prev !== expectedPrev)
      breaks.push({ kind: 'prev-mismatch', seq: link.seq, subject: link.subject, expectedPrev });
    if (chainHash(link.prev, link.subject, link.body, link.bodyStart ?? 0) !== link.hash)
      breaks.push({ kind: 'hash-mismatch', seq: link.seq, subject: link.subject });
    lastBySubject.set(link.subject, link.hash);
  }
  return breaks;
}
