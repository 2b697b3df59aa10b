/**
 * Where replay output goes: a file or stdout, written in large chunks, with the
 * SHA-256 digest and byte count of exactly what was written.
 *
 * Text and bytes are copied straight into a 1 MiB chunk (no joined strings, no
 * per-line buffers); a full chunk is hashed and handed to the destination, and
 * the next one is a chunk the destination has finished with (or a fresh one
 * while it holds them all). Large buffers are reused, not dropped: each one
 * dropped is external memory that the garbage collector answers with a full
 * collection every few hundred milliseconds (docs/adr/0391).
 */
import fs from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import type { Writable } from 'node:stream';

const CHUNK_BYTES = 1 << 20;
/** Chunks kept for reuse once the destination has written them. */
const SPARE_CHUNKS = 4;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;

/** What replay's lines are written into: the output file's writer, or a worker thread's byte collector. */
export interface LineSink {
  write(text: string): Promise<void> | undefined;
  /** Text known to be ASCII only. */
  writeAscii(text: string): Promise<void> | undefined;
  writeBytes(bytes: Uint8Array, start?: number, end?: number): Promise<void> | undefined;
  /** A promise while the destination has to drain, else undefined. */
  waiting(): Promise<void> | undefined;
}

/** A growing buffer of lines (a worker thread's share of the output, handed back whole). */
export class ByteCollector implements LineSink {
  private buf: Buffer;
  private used = 0;

  constructor(initial = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.used;
  }

  private room(n: number): void {
    if (this.used + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + n));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  write(text: string): undefined {
    this.room(text.length * MAX_UTF8_PER_UNIT);
    this.used += this.buf.write(text, this.used, 'utf8');
    return undefined;
  }

  writeAscii(text: string): undefined {
    this.room(text.length);
    this.used += this.buf.write(text, this.used, 'latin1');
    return undefined;
  }

  writeBytes(bytes: Uint8Array, start = 0, end = bytes.length): undefined {
    this.room(end - start);
    this.used += (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).copy(
      this.buf,
      this.used,
      start,
      end,
    );
    return undefined;
  }

  waiting(): undefined {
    return undefined;
  }

  /**
   * The bytes collected, in a buffer of their own (to transfer): the collector's own buffer when
   * its memory is its alone, else a copy. The collector goes on in `spare` (a buffer handed back
   * to be reused) when one is given and it is at least as large, else in a new buffer.
   */
  take(spare?: ArrayBuffer): Uint8Array {
    const buf = this.buf;
    const used = this.used;
    this.used = 0;
    if (buf.byteOffset === 0 && buf.buffer.byteLength === buf.length) {
      this.buf =
        spare !== undefined && spare.byteLength >= buf.length ? Buffer.from(spare) : Buffer.allocUnsafe(buf.length);
      return new Uint8Array(buf.buffer, 0, used);
    }
    const out = new Uint8Array(used);
    out.set(buf.subarray(0, used));
    return out;
  }
}

export class DigestingWriter implements LineSink {
  private readonly hash: Hash = createHash('sha256');
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Chunks the destination has written: the next ones. */
  private readonly spare: Buffer[] = [];
  private used = 0;
  private written = 0;
  private drain: Promise<void> | undefined;

  private constructor(
    private readonly out: Writable,
    private readonly ownsStream: boolean,
  ) {}

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

  /** Buffers `text` (UTF-8); resolves at once unless a chunk had to wait for the destination. */
  write(text: string): Promise<void> | undefined {
    let waited: Promise<void> | undefined;
    if (text.length * MAX_UTF8_PER_UNIT > CHUNK_BYTES - this.used) {
      waited = this.flush();
      if (text.length * MAX_UTF8_PER_UNIT > CHUNK_BYTES) return both(waited, this.pass(Buffer.from(text, 'utf8')));
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
    return waited;
  }

  /** Buffers text known to be ASCII only (the caller checked): a plain byte copy. */
  writeAscii(text: string): Promise<void> | undefined {
    let waited: Promise<void> | undefined;
    if (text.length > CHUNK_BYTES - this.used) {
      waited = this.flush();
      if (text.length > CHUNK_BYTES) return both(waited, this.pass(Buffer.from(text, 'latin1')));
    }
    this.used += this.chunk.write(text, this.used, 'latin1');
    return waited;
  }

  /** Buffers `bytes[start, end)`. */
  writeBytes(bytes: Uint8Array, start = 0, end = bytes.length): Promise<void> | undefined {
    const n = end - start;
    let waited: Promise<void> | undefined;
    if (n > CHUNK_BYTES - this.used) {
      waited = this.flush();
      if (n > CHUNK_BYTES) return both(waited, this.pass(Buffer.from(bytes.subarray(start, end))));
    }
    this.used += (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).copy(
      this.chunk,
      this.used,
      start,
      end,
    );
    return waited;
  }

  flush(): Promise<void> | undefined {
    if (this.used === 0) return undefined;
    const full = this.chunk;
    const chunk = full.subarray(0, this.used);
    this.chunk = this.spare.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    return this.pass(chunk, () => {
      if (this.spare.length < SPARE_CHUNKS) this.spare.push(full);
    });
  }

  /**
   * Hashes and hands on `chunk` now; the promise (if any) waits for the destination to drain.
   * `written` runs once the destination is done with the chunk's memory.
   */
  private pass(chunk: Buffer, written?: () => void): Promise<void> | undefined {
    this.hash.update(chunk);
    this.written += chunk.length;
    if (this.out.write(chunk, written)) return undefined;
    const drained = new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
    this.drain = this.drain === undefined ? drained : Promise.all([this.drain, drained]).then(() => undefined);
    return drained;
  }

  /** A promise while the destination has to drain (since the last call), else undefined: for callers that ignore each write's answer. */
  waiting(): Promise<void> | undefined {
    const d = this.drain;
    this.drain = undefined;
    return d;
  }

  /** Flushes, closes a file, and returns the digest and the byte count. */
  async close(): Promise<{ sha256: string; bytes: number }> {
    await this.flush();
    if (this.ownsStream)
      await new Promise<void>((resolve, reject) =>
        this.out.end((err?: Error | null) => (err ? reject(err) : resolve())),
      );
    return { sha256: this.hash.digest('hex'), bytes: this.written };
  }
}

/** Hashing and handing on happen synchronously in call order (before any await), so output order is call order. */
function both(first: Promise<void> | undefined, second: Promise<void> | undefined): Promise<void> | undefined {
  if (first === undefined) return second;
  return second === undefined ? first : Promise.all([first, second]).then(() => undefined);
}
