/**
 * Configuration of the ScyllaDB (CQL) stores (GUARDYN_DATABASE__SCYLLADB_*), read with the
 * helpers of runtime/config.ts. Absent GUARDYN_DATABASE__SCYLLADB_NODES: no ScyllaDB (the
 * embedded stores serve, as before).
 */
import { ConfigError, readInt, readString, type Env } from './config-read.ts';

/** CQL consistency levels a read or a write may use (the serial ones are for lightweight transactions only). */
export const CONSISTENCY_LEVELS = [
  'ONE',
  'TWO',
  'THREE',
  'QUORUM',
  'ALL',
  'LOCAL_QUORUM',
  'EACH_QUORUM',
  'LOCAL_ONE',
] as const;
export type ConsistencyLevel = (typeof CONSISTENCY_LEVELS)[number];

/** The keyspace's replication (GUARDYN_SCYLLADB__REPLICATION), as the migrations create it. */
export type Replication =
  | { readonly class: 'SimpleStrategy'; readonly factor: number }
  | { readonly class: 'NetworkTopologyStrategy'; readonly factors: Readonly<Record<string, number>> };

export interface ScyllaDbConfig {
  /** host or host:port of some nodes (GUARDYN_DATABASE__SCYLLADB_NODES, comma separated). */
  readonly nodes: readonly string[];
  /** The datacenter the token-aware, DC-aware load balancing prefers (…_LOCAL_DC, datacenter1). */
  readonly localDataCenter: string;
  /** …_KEYSPACE (guardyn). */
  readonly keyspace: string;
  /** For creating the keyspace (…_REPLICATION: `SimpleStrategy:1` (default) or `NetworkTopologyStrategy:dc1=3,dc2=3`). */
  readonly replication: Replication;
  /** …_READ_CONSISTENCY / …_WRITE_CONSISTENCY (LOCAL_QUORUM). */
  readonly readConsistency: ConsistencyLevel;
  readonly writeConsistency: ConsistencyLevel;
  /** Width of a timeline time bucket (…_BUCKET_HOURS, 24), fixed when the keyspace is first used. */
  readonly bucketMs: number;
  /** …_USERNAME / …_PASSWORD (PasswordAuthenticator), both or neither. */
  readonly credentials: { readonly username: string; readonly password: string } | undefined;
}

const PREFIX = 'GUARDYN_DATABASE__SCYLLADB';

function readConsistency(env: Env, name: string): ConsistencyLevel {
  const raw = readString(env, name)?.toUpperCase();
  if (raw === undefined) return 'LOCAL_QUORUM';
  if (!(CONSISTENCY_LEVELS as readonly string[]).includes(raw))
    throw new ConfigError(`${name}=${JSON.stringify(env[name])} must be one of ${CONSISTENCY_LEVELS.join(', ')}`);
  return raw as ConsistencyLevel;
}

function readReplication(env: Env, name: string): Replication {
  const raw = readString(env, name);
  if (raw === undefined) return { class: 'SimpleStrategy', factor: 1 };
  const bad = () =>
    new ConfigError(
      `${name}=${JSON.stringify(raw)} must be SimpleStrategy:<factor> or NetworkTopologyStrategy:<dc>=<factor>,... (factors 1-15)`,
    );
  const simple = /^SimpleStrategy:(\d{1,2})$/.exec(raw);
  if (simple !== null) {
    const factor = Number(simple[1]);
    if (factor < 1 || factor > 15) throw bad();
    return { class: 'SimpleStrategy', factor };
  }
  const nts = /^NetworkTopologyStrategy:(.+)$/.exec(raw);
  if (nts === null) throw bad();
  const factors: Record<string, number> = {};
  for (const part of nts[1]!.split(',')) {
    const m = /^\s*([A-Za-z0-9_.-]{1,64})=(\d{1,2})\s*$/.exec(part);
    if (m === null || Number(m[2]) < 1 || Number(m[2]) > 15) throw bad();
    factors[m[1]!] = Number(m[2]);
  }
  return { class: 'NetworkTopologyStrategy', factors };
}

export function readScyllaDb(env: Env): ScyllaDbConfig | undefined {
  const nodesRaw = readString(env, `${PREFIX}_NODES`);
  if (nodesRaw === undefined) return undefined;
  const nodes = nodesRaw
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const badNode = nodes.find((n) => !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(n));
  if (nodes.length === 0 || badNode !== undefined)
    throw new ConfigError(`${PREFIX}_NODES=${JSON.stringify(nodesRaw)} must list host or host:port, comma separated`);
  const keyspace = readString(env, `${PREFIX}_KEYSPACE`) ?? 'guardyn';
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(keyspace))
    throw new ConfigError(
      `${PREFIX}_KEYSPACE=${JSON.stringify(keyspace)} must be 1-48 lower-case letters, digits or '_', starting with a letter`,
    );
  const username = readString(env, `${PREFIX}_USERNAME`);
  const password = readString(env, `${PREFIX}_PASSWORD`);
  if ((username === undefined) !== (password === undefined))
    throw new ConfigError(`set both ${PREFIX}_USERNAME and ${PREFIX}_PASSWORD, or neither`);
  return {
    nodes,
    localDataCenter: readString(env, `${PREFIX}_LOCAL_DC`) ?? 'datacenter1',
    keyspace,
    replication: readReplication(env, `${PREFIX}_REPLICATION`),
    readConsistency: readConsistency(env, `${PREFIX}_READ_CONSISTENCY`),
    writeConsistency: readConsistency(env, `${PREFIX}_WRITE_CONSISTENCY`),
    bucketMs: readInt(env, `${PREFIX}_BUCKET_HOURS`, 24, 1, 24 * 366) * 3_600_000,
    credentials: username === undefined || password === undefined ? undefined : { username, password },
  };
}
