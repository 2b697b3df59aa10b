import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStores, type EmbeddedStores } from '../embedded.ts';
import { key } from './keys.ts';
import { kvConformance } from './conformance.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-'));
let conformanceStores: EmbeddedStores | undefined;
after(async () => {
  await conformanceStores?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

kvConformance('LMDB', async () => {
  conformanceStores = await openEmbeddedStores(path.join(dir, 'conformance'));
  return conformanceStores.kv;
});

describe('LmdbKvStore', () => {
  it('keeps data across close and reopen', async () => {
    const location = path.join(dir, 'reopen');
    const first = await openEmbeddedStores(location);
    await first.kv.put(key('kept', 1), Uint8Array.of(1, 2, 3));
    await first.kv.batch([{ key: key('kept', 2), value: Uint8Array.of(4) }]);
    await first.close();
    await assert.rejects(first.kv.get(key('kept', 1)), /closed/);

    const second = await openEmbeddedStores(location);
    try {
      assert.deepEqual(await second.kv.get(key('kept', 1)), Uint8Array.of(1, 2, 3));
      assert.deepEqual(await second.kv.get(key('kept', 2)), Uint8Array.of(4));
    } finally {
      await second.close();
    }
  });

  it('an unconditional batch holds its own copy of every value, and applies its writes in order', async () => {
    const location = path.join(dir, 'unconditional');
    const stores = await openEmbeddedStores(location);
    try {
      await stores.kv.put(key('u', 'gone'), Uint8Array.of(9));
      const reused = new Uint8Array(3);
      const writes = [];
      for (let i = 0; i < 500; i++) {
        reused.fill(i % 256);
        writes.push({ key: key('u', i), value: reused.slice(0, 1 + (i % 3)) });
      }
      const shared = Uint8Array.of(1, 2, 3);
      writes.push({ key: key('u', 'shared'), value: shared });
      writes.push({ key: key('u', 'twice'), value: Uint8Array.of(1) });
      writes.push({ key: key('u', 'twice'), value: Uint8Array.of(2) });
      writes.push({ key: key('u', 'empty'), value: new Uint8Array(0) });
      writes.push({ key: key('u', 'gone'), value: null });
      const batched = stores.kv.batch(writes);
      // The caller reuses its buffers at once: the store wrote what it was given.
      shared.fill(0);
      for (const w of writes) w.value?.fill(0xee);
      assert.equal(await batched, true);
      const rows = await stores.kv.getMany(writes.slice(0, 500).map((w) => w.key));
      rows.forEach((v, i) => assert.deepEqual(v, new Uint8Array(1 + (i % 3)).fill(i % 256), `row ${i}`));
      assert.deepEqual(await stores.kv.get(key('u', 'shared')), Uint8Array.of(1, 2, 3));
      assert.deepEqual(await stores.kv.get(key('u', 'twice')), Uint8Array.of(2));
      assert.deepEqual(await stores.kv.get(key('u', 'empty')), new Uint8Array(0));
      assert.equal(await stores.kv.get(key('u', 'gone')), undefined);
    } finally {
      await stores.close();
    }
  });

  it('rejects keys longer than LMDB allows, writing nothing', async () => {
    const location = path.join(dir, 'long-keys');
    const stores = await openEmbeddedStores(location);
    try {
      const long = new Uint8Array(1979).fill(0x61);
      await assert.rejects(stores.kv.put(long, Uint8Array.of(1)), {
        name: 'RangeError',
        message: /1979 bytes.*at most 1978/,
      });
      await assert.rejects(
        stores.kv.batch([
          { key: key('ok'), value: Uint8Array.of(1) },
          { key: long, value: Uint8Array.of(1) },
        ]),
        RangeError,
      );
      assert.equal(await stores.kv.get(key('ok')), undefined);
      await stores.kv.put(long.subarray(0, 1978), Uint8Array.of(2));
      assert.deepEqual(await stores.kv.get(long.subarray(0, 1978)), Uint8Array.of(2));
    } finally {
      await stores.close();
    }
  });
});
