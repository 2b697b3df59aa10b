import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { Jimp } from 'jimp';
import { ThumbnailsBusy, ThumbnailWorkers } from './workers.ts';

const png = (width: number, height: number) => new Jimp({ width, height, color: 0x336699ff }).getBuffer('image/png');
const job = (bytes: Buffer, width: number, height: number) => ({
  bytes,
  width,
  height,
  maxWidth: 100,
  maxHeight: 100,
  format: 'jpeg' as const,
  quality: 80,
});

/** The longest the event loop was blocked while `work` ran, ms. */
async function blockedWhile<T>(work: Promise<T>): Promise<{ result: T; blockedMs: number }> {
  let worst = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    return { result: await work, blockedMs: worst };
  } finally {
    clearInterval(timer);
  }
}

describe('thumbnail workers', () => {
  const pools: ThumbnailWorkers[] = [];
  const pool = (limits: Partial<ThumbnailWorkers['limits']>) => {
    const p = new ThumbnailWorkers({ maxWorkers: 1, memoryMb: 256, timeoutMs: 60_000, ...limits });
    pools.push(p);
    return p;
  };
  after(() => Promise.all(pools.map((p) => p.close())));

  test('scales an image in a worker, reusing it; the caller keeps its bytes', async () => {
    const workers = pool({});
    const source = await png(400, 300);
    const copy = Buffer.from(source);
    const made = await workers.make(job(source, 400, 300));
    assert.ok(isRight(made), JSON.stringify(made));
    assert.deepEqual([made.right.width, made.right.height], [100, 75]);
    const back = await Jimp.read(Buffer.from(made.right.bytes));
    assert.equal(back.width, 100);
    assert.ok(source.equals(copy), 'the source buffer is neither detached nor changed');
    const again = await workers.make({ ...job(source, 400, 300), format: 'png' });
    assert.ok(isRight(again));
    const jpeg = await new Jimp({ width: 400, height: 300, color: 0x336699ff }).getBuffer('image/jpeg');
    const fromJpeg = await workers.make(job(jpeg, 400, 300));
    assert.ok(isRight(fromJpeg), JSON.stringify(isLeft(fromJpeg) ? fromJpeg.left : null));
  });

  test('refuses bytes that do not decode, and a picture of another size than its header declared', async () => {
    const workers = pool({});
    const bad = await workers.make(job(Buffer.from('not an image at all'), 10, 10));
    assert.ok(isLeft(bad));
    assert.equal(bad.left.kind, 'undecodable');
    const lies = await workers.make(job(await png(40, 30), 400, 300));
    assert.ok(isLeft(lies));
    assert.equal(lies.left.kind, 'header-lies');
    assert.match(lies.left.message, /declares 400x300 pixels but the picture has 40x30/);
  });

  test('a decode over the time limit is cut off (the worker terminated) while the event loop stays free', async () => {
    const workers = pool({ timeoutMs: 150 });
    const big = await png(4000, 4000);
    const started = Date.now();
    const { result, blockedMs } = await blockedWhile(workers.make(job(big, 4000, 4000)));
    assert.ok(isLeft(result), 'a 16-megapixel decode does not finish in 150 ms');
    assert.equal(result.left.kind, 'timeout');
    assert.match(result.left.message, /longer than 150 ms/);
    assert.ok(Date.now() - started < 15_000);
    assert.ok(blockedMs < 500, `the event loop was blocked for ${blockedMs} ms`);
    // The pool goes on with a new worker.
    const small = await workers.make(job(await png(8, 8), 8, 8));
    assert.ok(isRight(small) || small.left.kind === 'timeout', JSON.stringify(small));
  });

  test('admits as many requests as the workers and their queue take, and refuses more until one ends', async () => {
    const workers = pool({ maxWorkers: 1, maxWaiting: 2 });
    const releases: (() => void)[] = [];
    const held = [0, 1, 2].map(() =>
      workers.admit(() => new Promise<string>((resolve) => releases.push(() => resolve('done')))),
    );
    await assert.rejects(
      workers.admit(async () => 'one more'),
      ThumbnailsBusy,
    );
    releases.shift()!();
    assert.equal(await held[0], 'done');
    assert.equal(await workers.admit(async () => 'room again'), 'room again');
    for (const release of releases) release();
    assert.deepEqual(await Promise.all(held), ['done', 'done', 'done']);
    // A request whose work fails frees its place too.
    await assert.rejects(
      workers.admit(async () => {
        throw new Error('broken source');
      }),
      /broken source/,
    );
    const room = await Promise.all([0, 1, 2].map(() => workers.admit(async () => 'ok')));
    assert.deepEqual(room, ['ok', 'ok', 'ok']);
  });

  test('a decode over the memory limit ends its worker, not the process', async () => {
    const workers = pool({ memoryMb: 16 });
    const result = await workers.make(job(await png(2000, 2000), 2000, 2000));
    assert.ok(isLeft(result));
    assert.equal(result.left.kind, 'out-of-memory');
    assert.match(result.left.message, /more than the 16 MiB/);
    // This process is unharmed: another pool with room makes the thumbnail.
    const fine = await pool({}).make(job(await png(2000, 2000), 2000, 2000));
    assert.ok(isRight(fine), JSON.stringify(isLeft(fine) ? fine.left : null));
  });
});
