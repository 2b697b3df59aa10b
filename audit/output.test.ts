/**
 * Replay's output writer: text and bytes of every size (below, across and
 * above a chunk) come out in order with the digest of exactly those bytes, also
 * when its chunks are reused (a chunk reused before the file had it would show
 * as other bytes in the file).
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

async function writeMany(waitForDrain: boolean): Promise<void> {
  const file = path.join(dir, `out-${waitForDrain}.bin`);
  const w = await DigestingWriter.open(file);
  const parts: Uint8Array[] = [];
  const answer = async (p: Promise<void> | undefined) => {
    if (waitForDrain) await p;
  };
  // Sizes below, around and above the 1 MiB chunk, each piece its own bytes.
  const sizes = [5, 100, 300_000, 1 << 20, (1 << 20) - 3, 2_000_000, 77, 700_000, 900_000, 1_500_000];
  for (let round = 0; round < 4; round++)
    for (const [i, n] of sizes.entries()) {
      const seed = round * 31 + i;
      if (n < 200) {
        const s = `line ${seed} ${'x'.repeat(n)}\n`;
        parts.push(Buffer.from(s, 'latin1'));
        await answer(w.writeAscii(s));
      } else {
        const b = block(n, seed);
        parts.push(b);
        // A piece of a larger buffer, as the replay pool writes a worker's output.
        const around = new Uint8Array(n + 20);
        around.set(b, 10);
        await answer(w.writeBytes(around, 10, 10 + n));
      }
    }
  const { sha256, bytes } = await w.close();
  const expected = Buffer.concat(parts);
  assert.equal(bytes, expected.length);
  assert.equal(sha256, createHash('sha256').update(expected).digest('hex'));
  assert.ok(fs.readFileSync(file).equals(expected), 'the file holds exactly the bytes written, in order');
}

describe('the digesting writer', () => {
  it('writes pieces of every size in order, waiting for the file to drain', () => writeMany(true));
  it('writes pieces of every size in order without waiting (many chunks held by the file at once)', () =>
    writeMany(false));
});
