/**
 * The TiKV and PD gRPC services, loaded from this folder's minimal .proto files
 * (upstream field numbers, checked by proto.test.ts) with @grpc/proto-loader.
 *
 * Loader options: keepCase (snake_case fields as on the wire), longs as decimal
 * strings (cluster, region, peer and store ids exceed 2^53 and stay exact),
 * bytes as Buffers, defaults filled in (an absent message field is null).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

export const TIKV_PROTO_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'proto');
export const TIKV_PROTO_FILES = [
  'metapb.proto',
  'errorpb.proto',
  'kvrpcpb.proto',
  'tikvpb.proto',
  'pdpb.proto',
] as const;

/** A 64-bit unsigned id, kept as its decimal string. */
export type Id = string;

export interface RegionEpoch {
  conf_ver: Id;
  version: Id;
}
export interface Peer {
  id: Id;
  store_id: Id;
  role?: string | number;
}
export interface Region {
  id: Id;
  start_key: Buffer;
  end_key: Buffer;
  region_epoch: RegionEpoch | null;
  peers: Peer[];
}
export interface Store {
  id: Id;
  address: string;
  state: string | number;
}

export interface RegionError {
  message: string;
  not_leader: { region_id: Id; leader: Peer | null } | null;
  region_not_found: { region_id: Id } | null;
  key_not_in_region: { key: Buffer; region_id: Id } | null;
  epoch_not_match: { current_regions: Region[] } | null;
  server_is_busy: { reason: string; backoff_ms: Id } | null;
  stale_command: object | null;
  store_not_match: { request_store_id: Id; actual_store_id: Id } | null;
  raft_entry_too_large: object | null;
}

export interface KvContext {
  region_id: Id;
  region_epoch: RegionEpoch | null;
  peer: Peer;
  is_retry_request?: boolean;
  api_version?: string;
}
export interface KvPair {
  key: Buffer;
  value: Buffer;
}

export interface PdHeader {
  cluster_id: Id;
  error: { type: string | number; message: string } | null;
}

const definition = protoLoader.loadSync([...TIKV_PROTO_FILES], {
  includeDirs: [TIKV_PROTO_DIR],
  keepCase: true,
  longs: String,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
});
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  tikvpb: { Tikv: grpc.ServiceClientConstructor };
  pdpb: { PD: grpc.ServiceClientConstructor };
};

export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // TiKV answers up to about 10 MiB by default; 1 MiB values in a scan page add up.
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
};

export function tikvClient(address: string): grpc.Client {
  return new loaded.tikvpb.Tikv(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

export function pdClient(address: string): grpc.Client {
  return new loaded.pdpb.PD(address, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

/** One unary call as a promise, with a deadline. */
export function unary<Res>(client: grpc.Client, method: string, request: object, timeoutMs: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (
      client as unknown as Record<
        string,
        (req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: Res) => void) => void
      >
    )[method];
    if (typeof fn !== 'function') {
      reject(new Error(`no RPC ${method}`));
      return;
    }
    fn.call(client, request, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}
