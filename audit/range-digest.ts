/**
 * The running digest of a checkpoint's range: SHA-256 over `seq \n subject \n hash \n` of each
 * commit in order, and the chain heads the range touched. What a checkpoint signs
 * (audit/checkpoints.ts) and what verify recomputes, in the reading thread or in a verify worker
 * thread (audit/verify-worker.ts), so it imports nothing heavier than node:crypto.
 */
import { createHash } from 'node:crypto';

/** The running digest of a range: what a checkpoint signs and what verify recomputes. */
export class RangeDigest {
  private readonly hash = createHash('sha256');
  /** Lines not yet hashed: hashed in chunks, one native call per ~64 KiB instead of one per commit. */
  private pending = '';
  count = 0;
  /** subject → [hash, seq] of its last commit in the range, and the seq of its first (kept only when asked for). */
  readonly heads = new Map<string, [string, number, number]>();

  /** `keepHeads` false: only the digest and the count (verify of a checkpoint that lists no heads). */
  constructor(private readonly keepHeads = true) {}

  add(seq: number, subject: string, chainHash: string): void {
    this.pending += `${seq}\n${subject}\n${chainHash}\n`;
    if (this.pending.length >= 65536) {
      this.hash.update(this.pending);
      this.pending = '';
    }
    this.count++;
    if (!this.keepHeads) return;
    const known = this.heads.get(subject);
    if (known === undefined) this.heads.set(subject, [chainHash, seq, seq]);
    else {
      known[0] = chainHash;
      known[1] = seq;
    }
  }

  digest(): string {
    this.hash.update(this.pending);
    this.pending = '';
    return this.hash.digest('hex');
  }
}
