/**
 * A PD client for RawKV: finds the PD leader with GetMembers (trying each
 * configured endpoint, and again on failure), then answers region and store
 * lookups. Errors from a PD that is not (or no longer) the leader, and transport
 * failures, make it rediscover the leader and retry with bounded back-off.
 */
import type * as grpc from '@grpc/grpc-js';
import { BACKOFF, Backoffer } from './backoff.ts';
import { pdClient, unary, type Id, type PdHeader, type Peer, type Region, type Store } from './wire.ts';

export interface RegionWithLeader {
  readonly region: Region;
  /** null when PD knows no leader (the caller then tries the peers in turn). */
  readonly leader: Peer | null;
}

export class PdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdError';
  }
}

interface Leader {
  readonly address: string;
  readonly client: grpc.Client;
}

/** `http://host:port` or `host:port` to `host:port`. */
export function pdAddress(url: string): string {
  return url.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

export class PdClient {
  private leader: Leader | undefined;
  private discovering: Promise<Leader> | undefined;
  private clusterIdValue: Id = '0';
  private readonly others = new Map<string, grpc.Client>();

  constructor(
    private readonly endpoints: readonly string[],
    private readonly timeoutMs = 5000,
    private readonly budgetMs = 20_000,
  ) {
    if (endpoints.length === 0) throw new RangeError('PD endpoints: at least one host:port is required');
  }

  /** The cluster id PD reported (decimal string: it exceeds 2^53). */
  get clusterId(): Id {
    return this.clusterIdValue;
  }

  private clientFor(address: string): grpc.Client {
    let client = this.others.get(address);
    if (client === undefined) {
      client = pdClient(address);
      this.others.set(address, client);
    }
    return client;
  }

  private async discover(): Promise<Leader> {
    let last: unknown;
    const candidates = [...new Set([...(this.leader ? [this.leader.address] : []), ...this.endpoints.map(pdAddress)])];
    for (const address of candidates) {
      try {
        const res = await unary<{ header: PdHeader; leader: { client_urls: string[] } | null }>(
          this.clientFor(address),
          'GetMembers',
          { header: {} },
          this.timeoutMs,
        );
        if (res.header?.error && res.header.error.type !== 'OK')
          throw new PdError(`GetMembers: ${res.header.error.message}`);
        const url = res.leader?.client_urls[0];
        if (url === undefined) throw new PdError(`PD at ${address} knows no leader`);
        this.clusterIdValue = res.header.cluster_id;
        const leaderAddress = pdAddress(url);
        return { address: leaderAddress, client: this.clientFor(leaderAddress) };
      } catch (error) {
        last = error;
      }
    }
    throw last instanceof Error ? last : new PdError(String(last));
  }

  private async currentLeader(): Promise<Leader> {
    if (this.leader !== undefined) return this.leader;
    this.discovering ??= this.discover().finally(() => {
      this.discovering = undefined;
    });
    this.leader = await this.discovering;
    return this.leader;
  }

  /** Connects: finds the leader and the cluster id. */
  async connect(): Promise<void> {
    await this.call('GetMembers', {});
  }

  /** One PD call on the leader, rediscovering it on failure. */
  private async call<Res extends { header: PdHeader }>(method: string, request: object): Promise<Res> {
    const backoff = new Backoffer(this.budgetMs);
    for (;;) {
      let leader: Leader | undefined;
      try {
        leader = await this.currentLeader();
        const res = await unary<Res>(
          leader.client,
          method,
          { header: { cluster_id: this.clusterIdValue }, ...request },
          this.timeoutMs,
        );
        const err = res.header?.error;
        if (err && err.type !== 'OK' && err.type !== 'REGION_NOT_FOUND')
          throw new PdError(`${method}: ${err.type} ${err.message}`);
        return res;
      } catch (error) {
        if (leader !== undefined && this.leader === leader) this.leader = undefined;
        await backoff.backoff(BACKOFF.pd, error);
      }
    }
  }

  private static regionOf(res: {
    header: PdHeader;
    region: Region | null;
    leader: Peer | null;
  }): RegionWithLeader | undefined {
    if (res.region === null || res.header.error?.type === 'REGION_NOT_FOUND') return undefined;
    const leader = res.leader !== null && res.leader.id !== '0' ? res.leader : null;
    return { region: res.region, leader };
  }

  async getRegion(key: Uint8Array): Promise<RegionWithLeader | undefined> {
    return PdClient.regionOf(await this.call('GetRegion', { region_key: key }));
  }

  async getRegionById(id: Id): Promise<RegionWithLeader | undefined> {
    return PdClient.regionOf(await this.call('GetRegionByID', { region_id: id }));
  }

  /** Regions overlapping [start, end) in key order (end empty: to the end), at most `limit`. */
  async scanRegions(start: Uint8Array, end: Uint8Array, limit: number): Promise<RegionWithLeader[]> {
    const res = await this.call<{
      header: PdHeader;
      region_metas: Region[];
      leaders: Peer[];
      regions: { region: Region; leader: Peer | null }[];
    }>('ScanRegions', {
      start_key: start,
      end_key: end,
      limit,
    });
    if (res.regions.length > 0)
      return res.regions.map((r) => ({
        region: r.region,
        leader: r.leader !== null && r.leader.id !== '0' ? r.leader : null,
      }));
    return res.region_metas.map((region, i) => {
      const leader = res.leaders[i];
      return { region, leader: leader !== undefined && leader.id !== '0' ? leader : null };
    });
  }

  async getStore(id: Id): Promise<Store> {
    const res = await this.call<{ header: PdHeader; store: Store | null }>('GetStore', { store_id: id });
    if (res.store === null) throw new PdError(`GetStore: store ${id} not found`);
    return res.store;
  }

  close(): void {
    for (const client of this.others.values()) client.close();
    this.others.clear();
    this.leader = undefined;
  }
}
