/**
 * Fenced key-value views on TiKV (docs/adr/0340): an owner that dies while its batch is half
 * written never makes its successor apply a commit twice, and a stale owner writes nothing.
 *
 * Against the TiKV/PD stand-in (skipped when its binary is not installed). Each owner has a
 * store (a client) of its own, like two worker processes; an owner "dies" when its TiKV client
 * stops answering at a chosen write, which leaves what it wrote before in the store.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { key } from '../../stores/kv/keys.ts';
import { TikvKvStore } from '../../stores/kv/tikv/adapter.ts';
import { PrefixedKvStore } from '../../stores/kv/prefixed.ts';
import { findTikvMock, startTikvMock, TIKV_INSTALL_HINT } from '../../stores/kv/tikv/mock-server.ts';
import { KvProjectionTarget } from './kv-target.ts';
import { fenceKey } from './kv-redo.ts';
import { FencedError } from './projection.ts';

const VIEW = 'counter';
/** Rows of the test view: a count read and written back, and a row computed from it (another key). */
const COUNT = key('counter', 'count');
const DOUBLE = key('counter', 'double');
const CHECKPOINT = key('proj', VIEW, 'checkpoint');

const binary = findTikvMock();
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');

/** What the projection runtime does with one batch: commits after the checkpoint, projected in one transaction. */
async function applyBatch(target: KvProjectionTarget, from: number, to: number, epoch?: number): Promise<void> {
  const tx = target.begin();
  for (let seq = from + 1; seq <= to; seq++) {
    const count = ((await tx.getJson<number>(COUNT)) ?? 0) + 1;
    tx.putJson(COUNT, count);
    tx.putJson(DOUBLE, 2 * count);
  }
  await target.commit(VIEW, tx, to, [], epoch);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

if (binary === undefined) {
  describe('fenced key-value views on TiKV', () => {
    it(`skipped: no TiKV stand-in binary; ${TIKV_INSTALL_HINT}`, { skip: TIKV_INSTALL_HINT }, () => {});
  });
} else {
  const mockReady = startTikvMock({ binary });
  const stores: TikvKvStore[] = [];
  after(async () => {
    // A dead owner's client has requests that never end: its connection is closed, not drained.
    for (const s of stores) s.client.close();
    await (await mockReady.catch(() => undefined))?.stop();
  });
  let run = 0;
  /** One owner's store: a client of its own, in a key space of this test case. */
  const owner = async (space: string) => {
    const mock = await mockReady;
    const tikv = await TikvKvStore.connect({ pdEndpoints: [`http://${mock.pd}`] });
    stores.push(tikv);
    const store = new PrefixedKvStore(tikv, Buffer.from(`fenced-${space}/`));
    return { tikv, store, target: new KvProjectionTarget(store, [key('counter', '')]) };
  };
  /** From now on, the owner's compare-and-swaps on keys that `dies` picks never answer. */
  const dieAt = (tikv: TikvKvStore, dies: (key: Uint8Array) => boolean) => {
    const cas = tikv.client.compareAndSwap.bind(tikv.client);
    tikv.client.compareAndSwap = (k, expected, next) => (dies(k) ? new Promise(() => {}) : cas(k, expected, next));
  };
  const read = async (store: PrefixedKvStore, k: Uint8Array) => {
    const v = await store.get(k);
    return v === undefined ? undefined : Number(Buffer.from(v).toString());
  };

  describe('fenced key-value views on TiKV', () => {
    it('an owner that dies with rows ahead of its checkpoint: the next owner applies no commit twice', async () => {
      const space = `ahead-${++run}`;
      const old = await owner(space);
      assert.equal(await old.target.claim(VIEW, 1), 0);
      // Dies writing the derived row: the count has landed, the derived row and checkpoint have not.
      const tail = hex(DOUBLE);
      dieAt(old.tikv, (k) => hex(k).endsWith(tail));
      void applyBatch(old.target, 0, 3, 1).catch(() => undefined);
      await until('the old owner to write the count', async () => (await read(old.store, COUNT)) !== undefined);
      assert.equal(await read(old.store, CHECKPOINT), undefined, 'the checkpoint is behind the rows');

      const next = await owner(space);
      const from = await next.target.claim(VIEW, 2);
      await applyBatch(next.target, from, 5, 2);
      assert.equal(await read(next.store, COUNT), 5, 'five commits counted once each');
      assert.equal(await read(next.store, DOUBLE), 10);
      assert.equal(await read(next.store, CHECKPOINT), 5);
    });

    it('an owner that dies after its commit point and before any row: the claim writes the batch', async () => {
      const space = `point-${++run}`;
      const old = await owner(space);
      assert.equal(await old.target.claim(VIEW, 1), 0);
      await applyBatch(old.target, 0, 2, 1);
      const fence = hex(fenceKey(VIEW));
      dieAt(old.tikv, (k) => !hex(k).endsWith(fence));
      void applyBatch(old.target, 2, 4, 1).catch(() => undefined);
      await until(
        'the old owner to pass its commit point',
        async () => Buffer.from((await old.store.get(fenceKey(VIEW))) ?? []).toString() === '1:1:4:1',
      );
      assert.equal(await read(old.store, COUNT), 2, 'no row of the batch is written');

      const next = await owner(space);
      assert.equal(await next.target.claim(VIEW, 2), 4, 'the claim replayed the committed batch');
      assert.equal(await read(next.store, COUNT), 4);
      assert.equal(await read(next.store, DOUBLE), 8);
      await applyBatch(next.target, 4, 6, 2);
      assert.equal(await read(next.store, COUNT), 6);
      assert.equal(await read(next.store, CHECKPOINT), 6);
    });

    it('a stale owner after a takeover: its batch is refused whole and writes no row', async () => {
      const space = `stale-${++run}`;
      const old = await owner(space);
      const next = await owner(space);
      assert.equal(await old.target.claim(VIEW, 1), 0);
      await applyBatch(old.target, 0, 2, 1);
      assert.equal(await next.target.claim(VIEW, 2), 2);
      await assert.rejects(applyBatch(old.target, 2, 9, 1), FencedError);
      assert.equal(await read(next.store, COUNT), 2);
      assert.equal(await read(next.store, CHECKPOINT), 2);
      await applyBatch(next.target, 2, 3, 2);
      assert.equal(await read(next.store, COUNT), 3);
      // An older epoch cannot claim back.
      await assert.rejects(old.target.claim(VIEW, 1), FencedError);
    });

    it('a reset before a rebuild drops the redo of the last batch: a claim after it replays nothing', async () => {
      const space = `reset-${++run}`;
      const old = await owner(space);
      assert.equal(await old.target.claim(VIEW, 1), 0);
      await applyBatch(old.target, 0, 3, 1);
      await old.target.reset(VIEW);
      // The rebuild: one unfenced runner from the start.
      await applyBatch(old.target, 0, 5);
      const next = await owner(space);
      assert.equal(await next.target.claim(VIEW, 2), 5);
      assert.equal(await read(next.store, COUNT), 5);
      assert.equal(await read(next.store, DOUBLE), 10);
    });

    it('a fence record it did not write stops the claim, naming the view, and changes nothing', async () => {
      const space = `bad-${++run}`;
      const { store, target } = await owner(space);
      await store.put(fenceKey(VIEW), Buffer.from('not an epoch'));
      await assert.rejects(target.claim(VIEW, 1), /fence record of view counter/);
      assert.equal(Buffer.from((await store.get(fenceKey(VIEW)))!).toString(), 'not an epoch');
      assert.equal(await read(store, CHECKPOINT), undefined);
    });
  });
}
