/**
 * A pass-through stream that counts and hashes (SHA-256) what flows through
 * it, and fails with BlobSizeMismatch as soon as more than the declared size
 * arrives, or at the end when less did. Back-pressure passes through unchanged.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BlobSizeMismatch } from './port.ts';

export class MeteredStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private received = 0;

  constructor(readonly expectedSize: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.expectedSize) {
      done(new BlobSizeMismatch(this.expectedSize, this.received));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.received === this.expectedSize ? null : new BlobSizeMismatch(this.expectedSize, this.received));
  }

  get bytes(): number {
    return this.received;
  }

  /** The hex digest; call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
