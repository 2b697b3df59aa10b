/**
 * The client's map of regions: a sorted array of key ranges (unsigned byte
 * order, an empty end meaning +infinity), each with its epoch, peers and the
 * peer believed to lead it; and the addresses of stores. Misses are filled from
 * PD; region errors update or drop entries (see rawkv.ts).
 */
import type { PdClient, RegionWithLeader } from './pd.ts';
import type { Id, Peer, Region } from './wire.ts';

export interface CachedRegion {
  readonly region: Region;
  /** The peer requests go to: the known leader, or a guess among the peers. */
  leader: Peer;
}

function contains(region: Region, key: Uint8Array): boolean {
  return (
    Buffer.compare(region.start_key, key) <= 0 &&
    (region.end_key.length === 0 || Buffer.compare(key, region.end_key) < 0)
  );
}

/** Whether the region holds keys just below `key` (start < key <= end). */
function endsAtOrAfter(region: Region, key: Uint8Array): boolean {
  return (
    Buffer.compare(region.start_key, key) < 0 &&
    (region.end_key.length === 0 || Buffer.compare(key, region.end_key) <= 0)
  );
}

export class RegionCache {
  /** Sorted by start_key; ranges never overlap. */
  private regions: CachedRegion[] = [];
  private readonly stores = new Map<Id, Promise<string>>();
  private readonly loading = new Map<string, Promise<CachedRegion>>();

  constructor(private readonly pd: PdClient) {}

  /** Index of the last region whose start_key <= key, or -1. */
  private floor(key: Uint8Array): number {
    let lo = 0;
    let hi = this.regions.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (Buffer.compare(this.regions[mid]!.region.start_key, key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Caches a region from PD or an EpochNotMatch, dropping every cached range it overlaps. */
  insert(entry: RegionWithLeader): CachedRegion {
    const { region } = entry;
    const leader = entry.leader ?? region.peers[0];
    if (leader === undefined) throw new Error(`region ${region.id} has no peers`);
    const cached: CachedRegion = { region, leader };
    this.regions = this.regions.filter((other) => {
      const r = other.region;
      const startsBeforeEnd = region.end_key.length === 0 || Buffer.compare(r.start_key, region.end_key) < 0;
      const endsAfterStart = r.end_key.length === 0 || Buffer.compare(region.start_key, r.end_key) < 0;
      return !(startsBeforeEnd && endsAfterStart);
    });
    const at = this.floor(region.start_key) + 1;
    this.regions.splice(at, 0, cached);
    return cached;
  }

  /** The region holding `key`, from the cache or PD. */
  async locate(key: Uint8Array): Promise<CachedRegion> {
    const i = this.floor(key);
    const hit = i >= 0 ? this.regions[i] : undefined;
    if (hit !== undefined && contains(hit.region, key)) return hit;
    const memo = Buffer.from(key).toString('hex');
    let pending = this.loading.get(memo);
    if (pending === undefined) {
      pending = this.pd
        .getRegion(key)
        .then((found) => {
          if (found === undefined) throw new Error(`PD knows no region for key ${memo}`);
          return this.insert(found);
        })
        .finally(() => this.loading.delete(memo));
      this.loading.set(memo, pending);
    }
    return pending;
  }

  /** The region holding the keys just below `key` (for reverse scans), from the cache or PD. */
  async locateEnd(key: Uint8Array, lowest: Uint8Array): Promise<CachedRegion> {
    const i = this.floor(key);
    for (const candidate of [this.regions[i], this.regions[i - 1]]) {
      if (candidate !== undefined && endsAtOrAfter(candidate.region, key)) return candidate;
    }
    const found = await this.pd.scanRegions(lowest, key, 0);
    let best: CachedRegion | undefined;
    for (const entry of found) {
      const cached = this.insert(entry);
      if (endsAtOrAfter(entry.region, key)) best = cached;
    }
    if (best === undefined) throw new Error(`PD knows no region ending at key ${Buffer.from(key).toString('hex')}`);
    return best;
  }

  /** Records a new leader; drops the region when the leader is not among its known peers. */
  updateLeader(regionId: Id, leader: Peer): void {
    const entry = this.regions.find((r) => r.region.id === regionId);
    if (entry === undefined) return;
    const peer = entry.region.peers.find((p) => p.id === leader.id || p.store_id === leader.store_id);
    if (peer === undefined) this.invalidate(regionId);
    else entry.leader = peer;
  }

  /** Tries the next peer of the region (when the leader is unknown). */
  nextPeer(regionId: Id): void {
    const entry = this.regions.find((r) => r.region.id === regionId);
    if (entry === undefined) return;
    const peers = entry.region.peers;
    const at = peers.findIndex((p) => p.id === entry.leader.id);
    entry.leader = peers[(at + 1) % peers.length] ?? entry.leader;
  }

  invalidate(regionId: Id): void {
    this.regions = this.regions.filter((r) => r.region.id !== regionId);
  }

  /** After EpochNotMatch: the regions TiKV reports replace the stale one; leaders kept on the same store where possible. */
  replace(stale: CachedRegion, current: readonly Region[]): void {
    this.invalidate(stale.region.id);
    for (const region of current) {
      const leader = region.peers.find((p) => p.store_id === stale.leader.store_id) ?? null;
      this.insert({ region, leader });
    }
  }

  async storeAddress(storeId: Id): Promise<string> {
    let address = this.stores.get(storeId);
    if (address === undefined) {
      address = this.pd.getStore(storeId).then((s) => s.address);
      address.catch(() => this.stores.delete(storeId));
      this.stores.set(storeId, address);
    }
    return address;
  }

  invalidateStore(storeId: Id): void {
    this.stores.delete(storeId);
  }

  /** Number of cached regions (for tests). */
  get size(): number {
    return this.regions.length;
  }
}
