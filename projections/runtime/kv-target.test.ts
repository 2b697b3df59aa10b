import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as t from 'io-ts';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import { key } from '../../stores/kv/keys.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import type { TimelineStore } from '../../stores/timeline/port.ts';
import { KvProjectionTarget } from './kv-target.ts';
import { TimelineProjectionTarget } from './timeline-target.ts';
import { recordCodec, type RecordCodec } from './view-codec.ts';

/** A record codec that counts its encodes and decodes. */
function counting<A, O>(type: t.Type<A, O, unknown>): RecordCodec<A> & { encodes: number; decodes: number } {
  const inner = recordCodec('test', type);
  const c = {
    encodes: 0,
    decodes: 0,
    encode: (value: A) => {
      c.encodes++;
      return inner.encode(value);
    },
    decode: (bytes: Uint8Array) => {
      c.decodes++;
      return inner.decode(bytes);
    },
  };
  return c;
}

/** A gate: `wait()` resolves once `open()` is called. */
function gate(): { wait: () => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { wait: () => opened, open };
}

/** `store` with its method `name` held until the gate opens. */
function held<S extends object>(store: S, name: string, g: { wait: () => Promise<void> }): S {
  return new Proxy(store, {
    get(target, p) {
      const v = Reflect.get(target, p) as unknown;
      if (typeof v !== 'function') return v;
      if (p !== name) return v.bind(target);
      return async (...args: unknown[]) => {
        await g.wait();
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const Counter = t.type({ n: t.number });

describe('projection targets: decoded records and writes in flight', () => {
  let dir: string;
  let stores: EmbeddedStores;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-kv-target-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a record decoded for the batch: read from the store once, encoded once when written, whatever the batch did with it', async () => {
    const codec = counting(Counter);
    const target = new KvProjectionTarget(stores.kv, [key('rec')]);
    const k = key('rec', 'a');
    await stores.kv.put(k, codec.encode({ n: 1 }));
    codec.encodes = 0;

    const tx = target.begin();
    for (let i = 0; i < 5; i++) {
      const r = await tx.getRecord(k, codec);
      tx.putRecord(k, codec, { n: r!.n + 1 });
    }
    assert.equal(codec.decodes, 1, 'one decode: the stored record');
    assert.equal(codec.encodes, 0, 'nothing encoded before the writes are taken');
    assert.deepEqual(await tx.getRecord(k, codec), { n: 6 });
    // A plain read sees the same bytes the commit will write.
    assert.deepEqual(JSON.parse(Buffer.from((await tx.get(k))!).toString()), { n: 6 });
    await target.commit('rec', tx, 1, []);
    assert.equal(codec.encodes, 1, 'one encode: the final record');
    assert.deepEqual(codec.decode((await stores.kv.get(k))!), { n: 6 });

    // A record read twice without a write is decoded once; a delete hides it.
    codec.decodes = 0;
    const again = target.begin();
    await again.getRecord(k, codec);
    await again.getRecord(k, codec);
    assert.equal(codec.decodes, 1);
    again.delete(k);
    assert.equal(await again.getRecord(k, codec), undefined);
    assert.equal(await again.get(k), undefined);
  });

  it('a record that does not match its schema is refused on read, and nothing changes', async () => {
    const target = new KvProjectionTarget(stores.kv, [key('rec')]);
    const k = key('rec', 'bad');
    await stores.kv.put(k, Buffer.from('{"n":"not a number"}'));
    const tx = target.begin();
    await assert.rejects(tx.getRecord(k, counting(Counter)), /does not match its schema/);
    assert.deepEqual(tx.writes(), []);
  });

  it('a transaction begun while the previous batch commits reads that batch through its writes in flight, then from the store', async () => {
    const g = gate();
    const slow: KvStore = held(stores.kv, 'batch', g);
    const codec = counting(Counter);
    const target = new KvProjectionTarget(slow, [key('fl')]);
    await stores.kv.put(key('fl', 'gone'), Buffer.from('{"n":9}'));

    const first = target.begin();
    first.putRecord(key('fl', 'a'), codec, { n: 1 });
    first.put(key('fl', 'b'), Buffer.from('{"n":2}'));
    first.delete(key('fl', 'gone'));
    let committed = false;
    const committing = target.commit('fl', first, 10, []).then(() => (committed = true));

    const next = target.begin();
    assert.equal(await stores.kv.get(key('fl', 'a')), undefined, 'the store has not got it yet');
    assert.deepEqual(await next.getRecord(key('fl', 'a'), codec), { n: 1 });
    assert.deepEqual(JSON.parse(Buffer.from((await next.get(key('fl', 'b')))!).toString()), { n: 2 });
    assert.equal(await next.get(key('fl', 'gone')), undefined, 'a delete in flight hides the stored row');
    const scanned = await next.scanPrefix(key('fl', ''));
    assert.deepEqual(
      scanned.map((e) => Buffer.from(e.key).toString('latin1')),
      [key('fl', 'a'), key('fl', 'b')].map((k) => Buffer.from(k).toString('latin1')),
    );
    assert.equal(committed, false);

    g.open();
    await committing;
    assert.deepEqual(codec.decode((await stores.kv.get(key('fl', 'a')))!), { n: 1 });
    const later = target.begin();
    assert.deepEqual(await later.getRecord(key('fl', 'a'), codec), { n: 1 });
    assert.equal(await later.get(key('fl', 'gone')), undefined);
    assert.equal(await target.checkpoint('fl'), 10);
  });

  it('a write that fails leaves nothing in flight', async () => {
    const failing: KvStore = new Proxy(stores.kv, {
      get(target, p) {
        if (p === 'batch') return async () => Promise.reject(new Error('store unavailable'));
        const v = Reflect.get(target, p) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const target = new KvProjectionTarget(failing, [key('ff')]);
    const tx = target.begin();
    tx.put(key('ff', 'a'), Uint8Array.of(1));
    await assert.rejects(target.commit('ff', tx, 1, []), /store unavailable/);
    assert.equal(await target.begin().get(key('ff', 'a')), undefined);
  });

  it('a timeline transaction begun while the previous batch commits reads its rows in flight', async () => {
    const g = gate();
    const slow: TimelineStore = held(stores.timeline, 'write', g);
    const target = new TimelineProjectionTarget(slow, async () => []);
    const first = target.begin();
    first.put({ partition: 'conv-fl', position: 7, time: 1000, value: Uint8Array.of(7) });
    const committing = target.commit('timeline-fl', first, 7, []);

    assert.equal(await stores.timeline.get('conv-fl', 7), undefined, 'the store has not got it yet');
    const next = target.begin();
    assert.deepEqual((await next.get('conv-fl', 7))?.value, Uint8Array.of(7));
    g.open();
    await committing;
    assert.deepEqual((await stores.timeline.get('conv-fl', 7))?.value, Uint8Array.of(7));
    assert.deepEqual((await target.begin().get('conv-fl', 7))?.value, Uint8Array.of(7));
    assert.equal(await target.checkpoint('timeline-fl'), 7);
  });
});
