import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { open } from 'lmdb';
import { EMBEDDED_DATABASES, openEmbeddedStores, type EmbeddedStores } from '../embedded.ts';
import type { BinaryDatabase } from '../kv/lmdb.ts';
import { LmdbTimelineStore } from './lmdb.ts';
import { timelineConformance } from './conformance.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-'));
let conformanceStores: EmbeddedStores | undefined;
after(async () => {
  await conformanceStores?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

timelineConformance('LMDB', async () => {
  conformanceStores = await openEmbeddedStores(path.join(dir, 'conformance'));
  return conformanceStores.timeline;
});

describe('LmdbTimelineStore', () => {
  it('reads time windows without the time index in a store written before it existed', async () => {
    const location = path.join(dir, 'legacy');
    const first = await openEmbeddedStores(location);
    await first.timeline.write(
      [1, 2, 3, 4].map((n) => ({ partition: 'conv', position: n, time: n * 3_600_000, value: Uint8Array.of(n) })),
    );
    await first.close();
    // As if written by a version without the index: drop the bucket database's contents.
    const env = open({ path: location, noSubdir: false, maxDbs: 8 });
    const buckets = env.openDB<Uint8Array, Uint8Array>(EMBEDDED_DATABASES.timelineBuckets, {
      keyEncoding: 'binary',
      encoding: 'binary',
    });
    await buckets.clearAsync();
    await env.close();
    const second = await openEmbeddedStores(location);
    try {
      const page = await second.timeline.page('conv', { limit: 10, fromTime: 2 * 3_600_000, toTime: 4 * 3_600_000 });
      assert.deepEqual(
        page.rows.map((r) => r.position),
        [3, 2],
      );
      // New rows are written without the index too (it would be incomplete).
      await second.timeline.write([{ partition: 'conv', position: 5, time: 1, value: Uint8Array.of(5) }]);
      assert.deepEqual(
        (await second.timeline.page('conv', { limit: 10, toTime: 3_600_000 })).rows.map((r) => r.position),
        [5],
      );
    } finally {
      await second.close();
    }
  });

  it('an append to the newest bucket of each partition walks at most one range of the time index, and windows stay exact', async () => {
    const location = path.join(dir, 'index-walks');
    const env = open({ path: location, noSubdir: false, maxDbs: 8 });
    const db = (name: string): BinaryDatabase =>
      env.openDB<Uint8Array, Uint8Array>(name, { keyEncoding: 'binary', encoding: 'binary' });
    const buckets = db(EMBEDDED_DATABASES.timelineBuckets);
    let walks = 0;
    const counted = new Proxy(buckets, {
      get(target, p) {
        const v = Reflect.get(target, p) as unknown;
        if (typeof v !== 'function') return v;
        if (p === 'getRange') walks++;
        return v.bind(target);
      },
    });
    const store = new LmdbTimelineStore(
      db(EMBEDDED_DATABASES.timelineRows),
      db(EMBEDDED_DATABASES.timelineCheckpoints),
      counted,
    );
    const minute = 60_000;
    const rows = (from: number, to: number, time: (n: number) => number) =>
      Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap((n) =>
        ['a', 'b', 'c'].map((p) => ({ partition: p, position: n, time: time(n), value: Uint8Array.of(n) })),
      );
    try {
      // Three buckets per partition (minutes 0, 1, 2), then appends to the newest one.
      await store.write(rows(1, 30, (n) => Math.floor((n - 1) / 10) * minute + n));
      walks = 0;
      await store.write(rows(31, 60, (n) => 2 * minute + n));
      assert.ok(walks <= 3, `one walk per partition at most, got ${walks}`);
      // Rows written out of time order (an older minute) still widen the bounds they must.
      await store.write([{ partition: 'a', position: 61, time: 5, value: Uint8Array.of(61) }]);
      for (const p of ['a', 'b', 'c']) {
        const first = await store.page(p, { limit: 100, toTime: minute });
        assert.deepEqual(
          first.rows.map((r) => r.position),
          [...(p === 'a' ? [61] : []), 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
        );
        const last = await store.page(p, { limit: 100, fromTime: 2 * minute });
        assert.deepEqual(
          last.rows.map((r) => r.position),
          Array.from({ length: 40 }, (_, i) => 60 - i).filter((n) => n > 20),
        );
      }
    } finally {
      await env.close();
    }
  });

  it('keeps rows and checkpoints across close and reopen', async () => {
    const location = path.join(dir, 'reopen');
    const first = await openEmbeddedStores(location);
    await first.timeline.write([{ partition: 'conv', position: 4, time: 1234, value: Uint8Array.of(9) }], {
      name: 'timeline',
      position: 4,
    });
    await first.close();
    await assert.rejects(first.timeline.checkpoint('timeline'), /closed/);

    const second = await openEmbeddedStores(location);
    try {
      assert.equal(await second.timeline.checkpoint('timeline'), 4);
      assert.deepEqual(await second.timeline.get('conv', 4), {
        partition: 'conv',
        position: 4,
        time: 1234,
        value: Uint8Array.of(9),
      });
    } finally {
      await second.close();
    }
  });

  it('rejects partitions it cannot key: with NUL, or too long for an LMDB key', async () => {
    const stores = await openEmbeddedStores(path.join(dir, 'bad-partitions'));
    try {
      const row = { position: 1, time: 1, value: Uint8Array.of(1) };
      await assert.rejects(stores.timeline.write([{ ...row, partition: 'a\u0000b' }]), {
        name: 'RangeError',
        message: /NUL/,
      });
      await assert.rejects(stores.timeline.page('x'.repeat(1970), { limit: 1 }), {
        name: 'RangeError',
        message: /at most 1969/,
      });
      await stores.timeline.write([{ ...row, partition: 'x'.repeat(1969) }]);
      assert.equal((await stores.timeline.page('x'.repeat(1969), { limit: 1 })).rows.length, 1);
    } finally {
      await stores.close();
    }
  });

  it('shares the directory with a second process', async () => {
    const location = path.join(dir, 'shared');
    const stores = await openEmbeddedStores(location);
    try {
      await stores.timeline.write([{ partition: 'conv', position: 1, time: 1, value: Uint8Array.of(1) }], {
        name: 'parent',
        position: 1,
      });
      const child = `
        import { openEmbeddedStores } from ${JSON.stringify(new URL('../embedded.ts', import.meta.url).href)};
        const stores = await openEmbeddedStores(${JSON.stringify(location)});
        const seen = await stores.timeline.checkpoint('parent');
        await stores.timeline.write([{ partition: 'conv', position: 2, time: 2, value: Uint8Array.of(2) }], { name: 'child', position: seen + 1 });
        await stores.close();
      `;
      const { spawnSync } = await import('node:child_process');
      const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], {
        encoding: 'utf8',
        cwd: path.dirname(new URL(import.meta.url).pathname),
      });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(await stores.timeline.checkpoint('child'), 2);
      assert.deepEqual(
        (await stores.timeline.page('conv', { limit: 10 })).rows.map((r) => r.position),
        [2, 1],
      );
    } finally {
      await stores.close();
    }
  });
});
