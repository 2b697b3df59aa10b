/**
 * How many replicas Guardyn's streams get (GUARDYN_MESSAGING__STREAM_REPLICAS):
 * a number from 1 to 5, or `auto` (the default): 3 when the server Guardyn
 * connected to belongs to a cluster of three or more servers, else 1. The
 * cluster's size is read from the server's INFO: its cluster name and the
 * client URLs of the cluster's servers it announces (`connect_urls`, its own
 * included). ensureStreams then creates, or updates, every stream with it, so a
 * stream created as R1 grows to R3 once Guardyn starts against the cluster.
 */
import type { StreamReplicasSetting } from '../runtime/config.ts';

/** The parts of a server's INFO that tell its cluster. */
export interface ServerClusterInfo {
  readonly cluster?: string;
  readonly connect_urls?: readonly string[];
}

/** The number of servers of the cluster as the INFO tells it (1 when not clustered). */
export function clusterSize(info: ServerClusterInfo | undefined): number {
  if (info?.cluster === undefined || info.cluster === '') return 1;
  return Math.max(1, new Set(info.connect_urls ?? []).size);
}

export function streamReplicas(setting: StreamReplicasSetting, info: ServerClusterInfo | undefined): number {
  if (setting !== 'auto') return setting;
  return clusterSize(info) >= 3 ? 3 : 1;
}
