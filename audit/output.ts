/**
 * Where replay output goes: a file or stdout, written in large chunks, with the
 * SHA-256 digest and byte count of exactly what was written.
 */
import fs from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import type { Writable } from 'node:stream';

const CHUNK_CHARS = 1 << 20;

export class DigestingWriter {
  private readonly hash: Hash = createHash('sha256');
  private parts: string[] = [];
  private size = 0;
  private written = 0;

  private constructor(private readonly out: Writable, private readonly ownsStream: boolean) {}

  /** Writes to `file` (created or truncated), or to stdout when `file` is undefined. */
  static async open(file: string | undefined): Promise<DigestingWriter> {
    if (file === undefined) return new DigestingWriter(process.stdout, false);
    const stream = fs.createWriteStream(file, { flags: 'w' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return new DigestingWriter(stream, true);
  }

  /** Buffers `text`; resolves at once unless a chunk had to wait for the destination. */
  write(text: string): Promise<void> | undefined {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= CHUNK_CHARS ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    this.hash.update(chunk);
    this.written += chunk.length;
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }

  /** Flushes, closes a file, and returns the digest and the byte count. */
  async close(): Promise<{ sha256: string; bytes: number }> {
    await this.flush();
    if (this.ownsStream) await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { sha256: this.hash.digest('hex'), bytes: this.written };
  }
}
