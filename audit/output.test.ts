/**
 * Replay's output writer: buffers handed over whole (a worker thread's share of
 * the output) go out without a copy into a chunk, between what is buffered
 * before and after them, with the same bytes and digest as when copied.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { DigestingWriter } from './output.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-output-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const block = (n: number, seed: number) => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
};

describe('the digesting writer', () => {
  it('writes owned buffers (small and large) in order with what is buffered around them', async () => {
    const file = path.join(dir, 'out.bin');
    const w = await DigestingWriter.open(file);
    const parts: Uint8Array[] = [];
    const text = (s: string) => {
      void w.writeAscii(s);
      parts.push(Buffer.from(s, 'latin1'));
    };
    const owned = (n: number, seed: number) => {
      const b = block(n, seed);
      parts.push(b.slice());
      void w.writeOwned(b);
    };
    text('head\n');
    owned(100, 1);
    text('between\n');
    owned(300_000, 2);
    owned(2_000_000, 3);
    text('tail\n');
    const { sha256, bytes } = await w.close();
    const expected = Buffer.concat(parts);
    assert.equal(bytes, expected.length);
    assert.equal(sha256, createHash('sha256').update(expected).digest('hex'));
    assert.ok(fs.readFileSync(file).equals(expected));
  });
});
