import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegionCache } from './region-cache.ts';
import type { PdClient, RegionWithLeader } from './pd.ts';
import type { Region } from './wire.ts';

const b = (s: string) => Buffer.from(s);
const region = (id: string, start: string, end: string, version = '1'): Region => ({
  id,
  start_key: b(start),
  end_key: b(end),
  region_epoch: { conf_ver: '1', version },
  peers: [
    { id: `${id}1`, store_id: '1' },
    { id: `${id}2`, store_id: '2' },
  ],
});

/** A PD that knows a fixed region list and counts lookups. */
function fakePd(regions: Region[]): PdClient & { calls: number } {
  const find = (key: Uint8Array) =>
    regions.find(
      (r) => Buffer.compare(r.start_key, key) <= 0 && (r.end_key.length === 0 || Buffer.compare(key, r.end_key) < 0),
    );
  const pd = {
    calls: 0,
    async getRegion(key: Uint8Array): Promise<RegionWithLeader | undefined> {
      pd.calls += 1;
      const r = find(key);
      return r && { region: r, leader: r.peers[1]! };
    },
    async scanRegions(start: Uint8Array, end: Uint8Array): Promise<RegionWithLeader[]> {
      pd.calls += 1;
      return regions
        .filter(
          (r) =>
            (r.end_key.length === 0 || Buffer.compare(start, r.end_key) < 0) && Buffer.compare(r.start_key, end) < 0,
        )
        .map((r) => ({ region: r, leader: null }));
    },
  };
  return pd as unknown as PdClient & { calls: number };
}

describe('RegionCache', () => {
  it('locates keys from PD once, then from the cache, with ids kept as strings', async () => {
    const pd = fakePd([region('18446744073709551615', '', 'm'), region('9007199254740993', 'm', '')]);
    const cache = new RegionCache(pd);
    assert.equal((await cache.locate(b('a'))).region.id, '18446744073709551615');
    assert.equal((await cache.locate(b('b'))).region.id, '18446744073709551615');
    assert.equal((await cache.locate(b('m'))).region.id, '9007199254740993');
    assert.equal((await cache.locate(b('zz'))).leader.store_id, '2');
    assert.equal(pd.calls, 2);
  });

  it('an inserted region evicts every cached range it overlaps', async () => {
    const pd = fakePd([region('1', '', 'm'), region('2', 'm', '')]);
    const cache = new RegionCache(pd);
    await cache.locate(b('a'));
    await cache.locate(b('x'));
    assert.equal(cache.size, 2);
    // After a split of region 1 at "f" (EpochNotMatch reports both halves).
    cache.replace(await cache.locate(b('a')), [region('1', '', 'f', '2'), region('3', 'f', 'm', '2')]);
    assert.equal(cache.size, 3);
    assert.equal((await cache.locate(b('g'))).region.id, '3');
    assert.equal((await cache.locate(b('g'))).leader.store_id, '2', 'the leader stays on the same store');
    cache.insert({ region: region('4', 'e', 'z'), leader: null });
    assert.equal(cache.size, 1, 'regions 1, 3 and 2 all overlapped [e, z)');
    assert.equal((await cache.locate(b('g'))).region.id, '4');
  });

  it('follows a new leader, and drops a region whose leader it does not know', async () => {
    const cache = new RegionCache(fakePd([region('1', '', '')]));
    await cache.locate(b('a'));
    cache.updateLeader('1', { id: '11', store_id: '1' });
    assert.equal((await cache.locate(b('a'))).leader.store_id, '1');
    cache.updateLeader('1', { id: '99', store_id: '9' });
    assert.equal(cache.size, 0);
  });

  it('finds the region just below a key for reverse scans', async () => {
    const pd = fakePd([region('1', '', 'f'), region('2', 'f', 'm'), region('3', 'm', '')]);
    const cache = new RegionCache(pd);
    assert.equal((await cache.locateEnd(b('m'), b(''))).region.id, '2');
    assert.equal((await cache.locateEnd(b('f'), b(''))).region.id, '1');
    assert.equal((await cache.locateEnd(b('g'), b(''))).region.id, '2');
    assert.equal((await cache.locateEnd(b('zz'), b(''))).region.id, '3');
  });
});
