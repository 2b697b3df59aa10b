import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { utf8 } from '../keys.ts';
import { kvConformance } from '../conformance.ts';
import { TikvKvStore } from './adapter.ts';
import { PrefixedKvStore } from '../prefixed.ts';
import { findTikvMock, startTikvMock, TIKV_INSTALL_HINT, type MockTikv } from './mock-server.ts';

const binary = findTikvMock();
if (binary === undefined) {
  describe('TiKV RawKV adapter', () => {
    it(`skipped: no TiKV stand-in binary; ${TIKV_INSTALL_HINT}`, {
      skip: `no TiKV stand-in binary: ${TIKV_INSTALL_HINT}`,
    }, () => {});
  });
} else {
  let mock: MockTikv | undefined;
  const stores: TikvKvStore[] = [];
  const mockReady = startTikvMock({ binary });
  after(async () => {
    for (const store of stores) await store.close();
    await (await mockReady.catch(() => undefined))?.stop();
  });
  const connect = async (): Promise<TikvKvStore> => {
    mock = await mockReady;
    const store = await TikvKvStore.connect({ pdEndpoints: [`http://${mock.pd}`] });
    stores.push(store);
    return store;
  };

  kvConformance(
    'TiKV RawKV (mock cluster over gRPC, 3 stores)',
    async () => {
      const store = await connect();
      // Regions boundaries inside the suite's key space, so scans and batches cross them.
      await mock!.split(utf8('kv-conformance/8'));
      return store;
    },
    { versionedWrites: true },
  );

  describe('TiKV RawKV client', () => {
    let store: TikvKvStore;
    before(async () => {
      store = await connect();
    });

    it('keeps the cluster id exact (above 2^53)', () => {
      assert.equal(store.client.pd.clusterId, mock!.clusterId);
      assert.ok(BigInt(store.client.pd.clusterId) > 2n ** 53n);
    });

    it('scans across several regions in both directions', async () => {
      const key = (i: number) => utf8(`cross/${String(i).padStart(3, '0')}`);
      for (let i = 0; i < 40; i++) await store.put(key(i), utf8(String(i)));
      for (const at of [5, 17, 30]) await mock!.split(key(at));
      const all = await store.scan({ start: utf8('cross/'), end: utf8('cross0'), limit: 1000 });
      assert.deepEqual(
        all.map((e) => Buffer.from(e.value).toString()),
        Array.from({ length: 40 }, (_, i) => String(i)),
      );
      const back = await store.scan({ start: key(3), end: key(33), limit: 1000, reverse: true });
      assert.deepEqual(
        back.map((e) => Buffer.from(e.value).toString()),
        Array.from({ length: 30 }, (_, i) => String(32 - i)),
      );
      const limited = await store.scan({ start: key(3), end: key(33), limit: 4, reverse: true });
      assert.equal(limited.length, 4);
      const many = await store.getMany(Array.from({ length: 40 }, (_, i) => key(i)));
      assert.equal(many.filter((v) => v !== undefined).length, 40);
      await store.client.deleteRange(key(10), key(20));
      const left = await store.scan({ start: utf8('cross/'), end: utf8('cross0'), limit: 1000 });
      assert.equal(left.length, 30);
    });

    it('finds the PD leader past a dead endpoint, and keeps 64-bit region ids exact in the cache', async () => {
      const other = await TikvKvStore.connect({ pdEndpoints: ['127.0.0.1:1', mock!.pd], backoffBudgetMs: 5000 });
      stores.push(other);
      await other.put(utf8('pd-failover/1'), utf8('x'));
      assert.equal(Buffer.from((await store.get(utf8('pd-failover/1')))!).toString(), 'x');
      const region = await other.client.regions.locate(utf8('pd-failover/1'));
      assert.equal(typeof region.region.id, 'string');
      assert.equal(typeof region.region.region_epoch?.version, 'string');
    });

    it('keeps writing when the store of the leader goes down and the leader moves away, nothing lost', async () => {
      const key = (i: number) => utf8(`down/${String(i).padStart(4, '0')}`);
      await store.put(key(0), utf8('0'));
      const region = await store.client.regions.locate(key(0));
      const downStore = region.leader.store_id;
      const transportBefore = store.client.stats.transport;
      const total = 120;
      let stopped = false;
      const loop = (async () => {
        for (let i = 1; i < total; i++) {
          await store.put(key(i), utf8(String(i)));
          if (i === 40) {
            await mock!.setStore(downStore, 'down');
            stopped = true;
            // The cluster elects a leader elsewhere a little later.
            setTimeout(() => void mock!.transferLeader(key(0)), 150);
          }
        }
      })();
      try {
        await loop;
      } finally {
        await mock!.setStore(downStore, 'up');
      }
      assert.ok(stopped);
      assert.ok(store.client.stats.transport > transportBefore, 'the writer met the store that was down');
      const written = await store.scan({ start: utf8('down/'), end: utf8('down0'), limit: 1000 });
      assert.equal(written.length, total);
      written.forEach((e, i) => assert.equal(Buffer.from(e.value).toString(), String(i)));
    });

    it('fails with the back-off budget spent when the cluster stays busy', async () => {
      const key = utf8('busy-forever/1');
      const short = await TikvKvStore.connect({ pdEndpoints: [mock!.pd], backoffBudgetMs: 300 });
      stores.push(short);
      await short.put(key, utf8('a'));
      const leader = (await short.client.regions.locate(key)).leader.store_id;
      await mock!.busy(leader, 1000);
      try {
        await assert.rejects(short.get(key), { name: 'BackoffExhausted' });
      } finally {
        await mock!.busy(leader, 0);
      }
    });

    it('a compare-and-swap delete leaves a tombstone that reads, scans and swaps as absent', async () => {
      const key = (i: number) => utf8(`tomb/${i}`);
      for (let i = 0; i < 6; i++) await store.put(key(i), utf8(String(i)));
      for (const i of [1, 2, 3])
        assert.equal((await store.compareAndSwap(key(i), utf8(String(i)), null)).swapped, true);
      // The raw value is the tombstone, not a removal.
      assert.deepEqual(await store.client.get(key(2)), Buffer.of(0x01));
      assert.equal(await store.get(key(2)), undefined);
      assert.deepEqual(
        (await store.getMany([key(1), key(4)])).map((v) => v && Buffer.from(v).toString()),
        [undefined, '4'],
      );
      // A limited scan fills its page past the tombstones, in both directions.
      const page = await store.scan({ start: utf8('tomb/'), end: utf8('tomb0'), limit: 2 });
      assert.deepEqual(
        page.map((e) => Buffer.from(e.value).toString()),
        ['0', '4'],
      );
      const back = await store.scan({ start: utf8('tomb/'), end: utf8('tomb/4'), limit: 1, reverse: true });
      assert.deepEqual(
        back.map((e) => Buffer.from(e.value).toString()),
        ['0'],
      );
      assert.deepEqual(await store.compareAndSwap(key(2), null, utf8('again')), { swapped: true, previous: undefined });
      assert.equal(await store.batch([{ key: key(3), value: utf8('b') }], [{ key: key(3), expected: null }]), true);
      assert.equal(
        await store.batch(
          [{ key: key(9), value: utf8('c') }],
          [
            { key: key(1), expected: null },
            { key: key(2), expected: utf8('again') },
          ],
        ),
        true,
      );
      assert.equal(Buffer.from((await store.get(key(9)))!).toString(), 'c');
    });

    it('retries through ServerIsBusy with back-off', async () => {
      const key = utf8('busy/1');
      await store.put(key, utf8('a'));
      const region = (await mock!.regions()).find(
        (r) =>
          Buffer.from(r.startKey, 'hex').compare(Buffer.from(key)) <= 0 &&
          (r.endKey === '' || Buffer.from(key).compare(Buffer.from(r.endKey, 'hex')) < 0),
      )!;
      const before = store.client.stats.serverIsBusy;
      await mock!.busy(region.leaderStore, 3);
      assert.equal(Buffer.from((await store.get(key))!).toString(), 'a');
      assert.equal(store.client.stats.serverIsBusy - before, 3);
    });

    it('keeps writing through a region split and a leader move, nothing lost', async () => {
      const key = (i: number) => utf8(`fault/${String(i).padStart(5, '0')}`);
      const total = 300;
      const stats = { ...store.client.stats };
      const loop = (async () => {
        for (let i = 0; i < total; i++) {
          if (i % 3 === 0) await store.batch([{ key: key(i), value: utf8(String(i)) }]);
          else await store.put(key(i), utf8(String(i)));
        }
      })();
      // Faults while the loop runs: splits ahead of and behind the writer, leader moves.
      for (const at of [50, 150, 250]) {
        await sleep(20);
        await mock!.split(key(at));
        await mock!.transferLeader(key(at - 10));
        await mock!.transferLeader(key(at + 10));
      }
      await loop;
      const written = await store.scan({ start: utf8('fault/'), end: utf8('fault0'), limit: 10240 });
      assert.equal(written.length, total);
      written.forEach((e, i) => assert.equal(Buffer.from(e.value).toString(), String(i)));
      assert.ok(store.client.stats.notLeader > stats.notLeader, 'the writer met NotLeader');
      assert.ok(store.client.stats.epochNotMatch > stats.epochNotMatch, 'the writer met EpochNotMatch');
      const regions = await mock!.regions();
      assert.ok(regions.length >= 4);
    });
  });
}

// `npm run test:production` names its running stand-in (GUARDYN_DATABASE__TIKV_PD_ENDPOINTS): the
// suite once more there, under a key prefix of this run's own, as the test Guardyns use it.
const sharedPd = process.env['GUARDYN_DATABASE__TIKV_PD_ENDPOINTS'];
if (sharedPd !== undefined && sharedPd !== '') {
  kvConformance(
    'TiKV RawKV under a key prefix (the stand-in of test:production)',
    async () => {
      const store = await TikvKvStore.connect({ pdEndpoints: sharedPd.split(',') });
      return new PrefixedKvStore(store, utf8(`conformance/${process.pid}-${Date.now()}/`));
    },
    { versionedWrites: true },
  );
}
