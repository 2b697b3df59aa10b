/**
 * The key-prefix wrapper (GUARDYN_DATABASE__TIKV_KEY_PREFIX) passes the key-value
 * conformance suite over LMDB, and keeps its keys apart from the rest of the store.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStores, type EmbeddedStores } from '../embedded.ts';
import { key, utf8 } from './keys.ts';
import { kvConformance } from './conformance.ts';
import { PrefixedKvStore } from './prefixed.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-prefixed-'));
const opened: EmbeddedStores[] = [];
after(async () => {
  for (const s of opened) await s.close().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

kvConformance('LMDB under a key prefix', async () => {
  const stores = await openEmbeddedStores(path.join(dir, 'conformance'));
  opened.push(stores);
  return new PrefixedKvStore(stores.kv, utf8('tenant-a/'));
});

describe('PrefixedKvStore', () => {
  it('stores under its prefix, scans only its own keys and hands keys back without the prefix', async () => {
    const stores = await openEmbeddedStores(path.join(dir, 'apart'));
    opened.push(stores);
    const a = new PrefixedKvStore(stores.kv, utf8('a/'));
    const b = new PrefixedKvStore(stores.kv, utf8('b/'));
    await a.put(key('k', 1), utf8('one'));
    await b.put(key('k', 1), utf8('other'));
    await stores.kv.put(utf8('a0'), utf8('outside'));
    assert.deepEqual(await stores.kv.get(new Uint8Array(Buffer.concat([utf8('a/'), key('k', 1)]))), utf8('one'));
    assert.deepEqual(await a.get(key('k', 1)), utf8('one'));
    const all = await a.scan({ start: new Uint8Array(0), end: Uint8Array.of(0xff, 0xff), limit: 100 });
    assert.deepEqual(
      all.map((r) => Buffer.from(r.key).toString('hex')),
      [Buffer.from(key('k', 1)).toString('hex')],
    );
    const reversed = await b.scan({ start: new Uint8Array(0), end: Uint8Array.of(0xff), limit: 100, reverse: true });
    assert.deepEqual(
      reversed.map((r) => Buffer.from(r.value).toString()),
      ['other'],
    );
    await assert.rejects(
      async () => a.scan({ start: new Uint8Array(0), end: new Uint8Array(0), limit: 10 }),
      /scan end must not be empty/,
    );
  });

  it('refuses an empty key and an empty prefix', async () => {
    const stores = await openEmbeddedStores(path.join(dir, 'empty'));
    opened.push(stores);
    const a = new PrefixedKvStore(stores.kv, utf8('a/'));
    await assert.rejects(async () => a.get(new Uint8Array(0)), RangeError);
    await assert.rejects(
      async () => a.batch([{ key: new Uint8Array(0), value: null }]),
      /writes\[0\]\.key must not be empty/,
    );
    assert.throws(() => new PrefixedKvStore(stores.kv, new Uint8Array(0)), RangeError);
  });
});
