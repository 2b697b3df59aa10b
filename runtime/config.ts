/**
 * Guardyn's configuration: the GUARDYN_* environment variables, decoded once at
 * start with io-ts. A bad value stops the start with a message naming the
 * variable; an absent one takes the documented default.
 */
import path from 'node:path';
import { ConfigError, readFlag, readInt, readRateLimit, readString, type Env, type RateLimit } from './config-read.ts';
import {
  readMetrics,
  readNotifications,
  type MetricsConfig,
  type NotificationsConfig,
} from './config-notifications.ts';
import { parseServerList } from './nats-servers.ts';
import { readTikvConfig, type TikvConfig } from './config-tikv.ts';
import { readProjections, type ProjectionsConfig } from './config-projections.ts';
import { readScyllaDb, type ScyllaDbConfig } from './config-scylladb.ts';
import { readWeb, type WebConfig } from './config-web.ts';
import { readTurn, type TurnConfig } from './config-turn.ts';
import { readCalls, type CallsConfig } from './config-calls.ts';
import { readLocalNats, type LocalNatsConfig } from './config-nats.ts';
import { readLogFormat, type LogFormatSetting } from './config-log.ts';

export { ConfigError, readInt, readRateLimit, readString, type Env, type RateLimit } from './config-read.ts';

export interface GuardynConfig {
  /** Where embedded stores, a local nats-server's store and generated keys live. */
  readonly dataDir: string;
  /** NATS URL of an existing server, or the servers of a cluster comma-separated (runtime/nats-servers.ts); absent: `guardyn up` starts a local nats-server. */
  readonly natsUrl: string | undefined;
  /** The local nats-server of `guardyn up` (runtime/config-nats.ts): port and disk sync policy. */
  readonly localNats: LocalNatsConfig;
  readonly host: string;
  /** Overrides the port when one role runs alone (`guardyn serve auth`). */
  readonly portOverride: number | undefined;
  readonly ports: { readonly auth: number; readonly messaging: number; readonly presence: number };
  readonly logLevel: string;
  /** Log lines: readable on a terminal, JSON otherwise (GUARDYN_LOG_FORMAT, auto; runtime/config-log.ts). */
  readonly logFormat: LogFormatSetting;
  /** Warn lines per kind of client mistake a minute, then one "suppressed K similar" line (GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE, 20). */
  readonly logClientMistakesPerMinute: number;
  readonly messaging: {
    readonly maxContentBytes: number;
    /** How long after sending a sender may delete a message for everyone (GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS, 48 h). */
    readonly deleteWindowSeconds: number;
    /** Typing indicators per (sender, recipient) (GUARDYN_MESSAGING__TYPING_PER_RECIPIENT, 5 a second). */
    readonly typingPerRecipient: RateLimit;
    /** Most members of one group, the owner included (GUARDYN_MESSAGING__MAX_GROUP_SIZE, 1000; at most 10000). */
    readonly maxGroupSize: number;
    /** Replicas of the streams (GUARDYN_MESSAGING__STREAM_REPLICAS, 1-5 or auto: 3 on a cluster of 3 or more; streams/replicas.ts). */
    readonly streamReplicas: StreamReplicasSetting;
  };
  readonly auth: {
    readonly accessTokenTtlSeconds: number;
    /**
     * How long a gateway reuses "this session is active" while it follows the log's session endings
     * (GUARDYN_AUTH__SESSION_CACHE_SECONDS, 30; 1-600): a revocation is refused within moments
     * through the follower; this bounds it should the follower be stuck unnoticed.
     */
    readonly sessionCacheSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    /** A PKCS#8 PEM Ed25519 private key; absent: one is generated under dataDir/keys. */
    readonly jwtPrivateKeyPem: string | undefined;
    /** A directory of PEM private keys (the JWT key set, `<kid>.pem`); replaces jwtPrivateKeyPem and the generated key. */
    readonly jwtKeysDir: string | undefined;
    /** The kid (file name without .pem) of the key that signs; absent: the newest activated key. */
    readonly jwtActiveKid: string | undefined;
    /** How often the key directory is read again (0: only at start). */
    readonly jwtKeysReloadSeconds: number;
    /** How long a new key file waits before it may become the active key (when no kid is named). */
    readonly jwtKeyActivationDelaySeconds: number;
    /** JWS algorithms accepted and usable for signing: a subset of EdDSA, ES256. */
    readonly jwtAlgorithms: readonly JwtAlgorithm[];
    readonly issuer: string;
    /** The `aud` claim of access tokens; tokens for another audience are refused. */
    readonly audience: string;
    readonly argon2: {
      readonly memoryKiB: number;
      readonly passes: number;
      readonly parallelism: number;
      /** GUARDYN_AUTH__ARGON2_ALLOW_WEAK=1: settings below the OWASP minimum were accepted (tests, benchmarks). */
      readonly allowWeak: boolean;
    };
  };
  readonly limits: LimitsConfig;
  readonly presence: PresenceConfig;
  readonly query: { readonly minSeqWaitMs: number };
  /** Signed audit checkpoints (audit/): GUARDYN_AUDIT__* variables. */
  readonly audit: {
    /** PKCS#8 PEM Ed25519 private key that signs checkpoints; absent: generated under dataDir/keys. */
    readonly signingKeyPem: string | undefined;
    /** SPKI PEM Ed25519 public key for verifiers without the private key. */
    readonly publicKeyPem: string | undefined;
    /** How often checkpoints are written (GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS, 60; 0 turns them off). */
    readonly checkpointIntervalSeconds: number;
  };
  /** The notifications role: HTTP API, push projection and worker (runtime/config-notifications.ts). */
  readonly notifications: NotificationsConfig;
  /** The Prometheus endpoint of every process. */
  readonly metrics: MetricsConfig;
  /** The WebSocket gateway of the messaging role (gateways/ws/). */
  readonly websocket: WebSocketConfig;
  /** gRPC-Web and the web client on the notifications HTTP server (runtime/config-web.ts). */
  readonly web: WebConfig;
  /** The TURN server for calls, started by `guardyn up` when installed (runtime/config-turn.ts). */
  readonly turn: TurnConfig;
  readonly media: MediaConfig;
  /** The calls role: call service, call WebSocket, TURN credentials (runtime/config-calls.ts). */
  readonly calls: CallsConfig;
  /** The TiKV key-value store (GUARDYN_DATABASE__TIKV_PD_ENDPOINTS); absent: the embedded LMDB store. */
  readonly tikv: TikvConfig | undefined;
  /** Projection workers: partitions and leases (runtime/config-projections.ts). */
  readonly projections: ProjectionsConfig;
  /** ScyllaDB (CQL) stores (GUARDYN_DATABASE__SCYLLADB_*); undefined: the embedded stores. */
  readonly scyllaDb: ScyllaDbConfig | undefined;
}

/** The media role (GUARDYN_MEDIA__*). */
export interface MediaConfig {
  /** gRPC port of the media service (GUARDYN_MEDIA__PORT, 50054). */
  readonly port: number;
  /** Port of the embedded blob store's HTTP listener that serves presigned URLs (GUARDYN_MEDIA__HTTP_PORT, 8090). */
  readonly httpPort: number;
  /** Base of presigned URLs of the embedded store as clients reach it (GUARDYN_MEDIA__PUBLIC_URL; default http://127.0.0.1:<httpPort>). */
  readonly publicUrl: string | undefined;
  /** The S3 store; absent (no GUARDYN_MEDIA__S3_ENDPOINT): the embedded store under dataDir/blobs. */
  readonly s3:
    | {
        readonly endpoint: string;
        readonly accessKey: string;
        readonly secretKey: string;
        readonly bucket: string;
        readonly region: string;
      }
    | undefined;
  readonly maxSizeBytes: number;
  readonly quotaBytes: number;
  readonly quotaCount: number;
  readonly uploadUrlExpirySeconds: number;
  readonly downloadUrlExpirySeconds: number;
  readonly pendingTtlSeconds: number;
  readonly unattachedTtlSeconds: number;
  readonly cleanupIntervalSeconds: number;
  /** Largest image (width × height, as its header declares) decoded for a thumbnail (GUARDYN_MEDIA__THUMBNAIL_MAX_PIXELS, 40000000). */
  readonly thumbnailMaxPixels: number;
  /** Worker threads decoding images for thumbnails (GUARDYN_MEDIA__THUMBNAIL_WORKERS, 1). */
  readonly thumbnailWorkers: number;
  /** JavaScript heap of a thumbnail worker, MiB (GUARDYN_MEDIA__THUMBNAIL_WORKER_MEMORY_MB, 256). */
  readonly thumbnailWorkerMemoryMb: number;
  /** Longest one thumbnail may take before its worker is terminated (GUARDYN_MEDIA__THUMBNAIL_TIMEOUT_MS, 30000). */
  readonly thumbnailTimeoutMs: number;
}

function readMedia(env: Env): MediaConfig {
  const endpoint = readString(env, 'GUARDYN_MEDIA__S3_ENDPOINT');
  let s3: MediaConfig['s3'];
  if (endpoint !== undefined) {
    if (!/^https?:\/\/[^\s/]+\/?$/.test(endpoint))
      throw new ConfigError(`GUARDYN_MEDIA__S3_ENDPOINT=${JSON.stringify(endpoint)} must be http(s)://host:port`);
    const accessKey = readString(env, 'GUARDYN_MEDIA__S3_ACCESS_KEY');
    const secretKey = readString(env, 'GUARDYN_MEDIA__S3_SECRET_KEY');
    if (accessKey === undefined || secretKey === undefined)
      throw new ConfigError(
        'GUARDYN_MEDIA__S3_ENDPOINT needs GUARDYN_MEDIA__S3_ACCESS_KEY and GUARDYN_MEDIA__S3_SECRET_KEY',
      );
    const bucket = readString(env, 'GUARDYN_MEDIA__S3_BUCKET') ?? 'guardyn-media';
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      throw new ConfigError(`GUARDYN_MEDIA__S3_BUCKET=${JSON.stringify(bucket)} is not a bucket name`);
    s3 = {
      endpoint: endpoint.replace(/\/$/, ''),
      accessKey,
      secretKey,
      bucket,
      region: readString(env, 'GUARDYN_MEDIA__S3_REGION') ?? 'us-east-1',
    };
  }
  const GiB = 1024 * 1024 * 1024;
  return {
    port: readInt(env, 'GUARDYN_MEDIA__PORT', 50054, 0, 65535),
    httpPort: readInt(env, 'GUARDYN_MEDIA__HTTP_PORT', 8090, 0, 65535),
    publicUrl: readString(env, 'GUARDYN_MEDIA__PUBLIC_URL')?.replace(/\/$/, ''),
    s3,
    maxSizeBytes: readInt(env, 'GUARDYN_MEDIA__MAX_SIZE_BYTES', 2 * GiB, 1, 5 * 1024 * GiB),
    quotaBytes: readInt(env, 'GUARDYN_MEDIA__QUOTA_BYTES', 10 * GiB, 1, Number.MAX_SAFE_INTEGER),
    quotaCount: readInt(env, 'GUARDYN_MEDIA__QUOTA_COUNT', 10_000, 1, 100_000_000),
    uploadUrlExpirySeconds: readInt(env, 'GUARDYN_MEDIA__UPLOAD_URL_EXPIRY_SECONDS', 3600, 1, 7 * 86400),
    downloadUrlExpirySeconds: readInt(env, 'GUARDYN_MEDIA__DOWNLOAD_URL_EXPIRY_SECONDS', 3600, 1, 7 * 86400),
    pendingTtlSeconds: readInt(env, 'GUARDYN_MEDIA__PENDING_TTL_SECONDS', 24 * 3600, 1, 365 * 86400),
    unattachedTtlSeconds: readInt(env, 'GUARDYN_MEDIA__UNATTACHED_TTL_SECONDS', 7 * 86400, 1, 365 * 86400),
    cleanupIntervalSeconds: readInt(env, 'GUARDYN_MEDIA__CLEANUP_INTERVAL_SECONDS', 600, 1, 86400),
    thumbnailMaxPixels: readInt(env, 'GUARDYN_MEDIA__THUMBNAIL_MAX_PIXELS', 40_000_000, 1, 1_000_000_000),
    thumbnailWorkers: readInt(env, 'GUARDYN_MEDIA__THUMBNAIL_WORKERS', 1, 1, 64),
    thumbnailWorkerMemoryMb: readInt(env, 'GUARDYN_MEDIA__THUMBNAIL_WORKER_MEMORY_MB', 256, 16, 65_536),
    thumbnailTimeoutMs: readInt(env, 'GUARDYN_MEDIA__THUMBNAIL_TIMEOUT_MS', 30_000, 1, 3_600_000),
  };
}

/** Presence (GUARDYN_PRESENCE__*): how status follows connections. Times in ms, so tests can run fast. */
export interface PresenceConfig {
  /** Idle time (no client activity) after which a connected user shows AWAY (AWAY_AFTER_MS, 5 minutes). */
  readonly awayAfterMs: number;
  /** A device that only heartbeats (UpdateLastSeen, UpdateStatus, SetTyping) stays present this long after its last call (HEARTBEAT_TIMEOUT_MS, 60 s). */
  readonly heartbeatTimeoutMs: number;
  /** While the live state stays, the last-seen time is committed at most this often (LAST_SEEN_EVERY_MS, 60 s). */
  readonly lastSeenEveryMs: number;
  /** How often every gateway process announces it is alive (INSTANCE_BEAT_MS, 5 s). */
  readonly instanceBeatMs: number;
  /** A gateway process silent this long is taken for crashed: its devices go offline (INSTANCE_TIMEOUT_MS, 15 s). */
  readonly instanceTimeoutMs: number;
  /** Typing signals per (sender, recipient) through SetTyping (TYPING_PER_RECIPIENT, 5 a second). */
  readonly typingPerRecipient: RateLimit;
  /** Whose presence a user sees: their contacts' (`contacts`, default) or every registered user's (`everyone`) (VISIBILITY). */
  readonly visibility: PresenceVisibilityPolicy;
}

/** GUARDYN_MESSAGING__STREAM_REPLICAS: a number of replicas, or `auto` (streams/replicas.ts decides from the cluster). */
export type StreamReplicasSetting = number | 'auto';

export const MAX_STREAM_REPLICAS = 5;

/** The values of GUARDYN_PRESENCE__VISIBILITY. */
export const PRESENCE_VISIBILITIES = ['contacts', 'everyone'] as const;
export type PresenceVisibilityPolicy = (typeof PRESENCE_VISIBILITIES)[number];

export const JWT_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** Throttling at the gateways (gateways/limits/): in memory, per gateway process. */
export interface LimitsConfig {
  /** Failed logins per account (by lower-cased username, whether it exists or not). */
  readonly loginFailuresPerAccount: RateLimit;
  /** Failed logins per client address. */
  readonly loginFailuresPerAddress: RateLimit;
  /** Failed logins per (account, client address): over it that address may not try that account at all. */
  readonly loginFailuresPerAccountAddress: RateLimit;
  /** Registration attempts per client address. */
  readonly registrationsPerAddress: RateLimit;
  /** SearchUsers calls per client address. */
  readonly searchesPerAddress: RateLimit;
  /** Most keys (accounts, addresses) one limiter tracks; the least recently used is forgotten first. */
  readonly maxTrackedKeys: number;
  /** gRPC server streams one user may hold open on one process (ReceiveMessages, Subscribe, DownloadMedia); 0: no limit. */
  readonly streamsPerUser: number;
  /** gRPC server streams one device may hold open on one process; 0: no limit. */
  readonly streamsPerDevice: number;
  /**
   * A metadata header naming the client address, set by a trusted proxy in front
   * (e.g. `x-forwarded-for`, its right-most entry is used); absent: the TCP peer.
   */
  readonly clientAddressHeader: string | undefined;
}

/**
 * The OWASP Password Storage Cheat Sheet's Argon2id settings of equal strength
 * (memory KiB, passes), all with parallelism 1. A configuration is strong enough
 * when it is at least one of them in both memory and passes.
 */
export const OWASP_ARGON2ID_MINIMUMS: readonly { readonly memoryKiB: number; readonly passes: number }[] = [
  { memoryKiB: 47104, passes: 1 },
  { memoryKiB: 19456, passes: 2 },
  { memoryKiB: 12288, passes: 3 },
  { memoryKiB: 9216, passes: 4 },
  { memoryKiB: 7168, passes: 5 },
];

function readAlgorithms(env: Env, name: string): readonly JwtAlgorithm[] {
  const raw = readString(env, name);
  if (raw === undefined) return [...JWT_ALGORITHMS];
  const names = raw
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const unknown = names.filter((a) => !(JWT_ALGORITHMS as readonly string[]).includes(a));
  if (names.length === 0 || unknown.length > 0) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} must list one or more of ${JWT_ALGORITHMS.join(', ')} (asymmetric only: never none or HS*)`,
    );
  }
  return [...new Set(names)] as JwtAlgorithm[];
}

const KID = /^[A-Za-z0-9_.-]{1,64}$/;

function readArgon2(env: Env): GuardynConfig['auth']['argon2'] {
  const memoryKiB = readInt(env, 'GUARDYN_AUTH__ARGON2_MEMORY_KIB', 19456, 1024, 1048576);
  const passes = readInt(env, 'GUARDYN_AUTH__ARGON2_PASSES', 2, 1, 10);
  const parallelism = readInt(env, 'GUARDYN_AUTH__ARGON2_PARALLELISM', 1, 1, 16);
  const allowWeak = readFlag(env, 'GUARDYN_AUTH__ARGON2_ALLOW_WEAK');
  const strongEnough = OWASP_ARGON2ID_MINIMUMS.some((m) => memoryKiB >= m.memoryKiB && passes >= m.passes);
  if (!strongEnough && !allowWeak) {
    throw new ConfigError(
      `Argon2id settings GUARDYN_AUTH__ARGON2_MEMORY_KIB=${memoryKiB} GUARDYN_AUTH__ARGON2_PASSES=${passes} are below the OWASP minimum ` +
        `(19456 KiB with 2 passes, or an equivalent: ${OWASP_ARGON2ID_MINIMUMS.map((m) => `${m.memoryKiB} KiB x ${m.passes}`).join(', ')}); ` +
        'raise them, or set GUARDYN_AUTH__ARGON2_ALLOW_WEAK=1 for tests and benchmarks only',
    );
  }
  return { memoryKiB, passes, parallelism, allowWeak };
}

export function loadConfig(env: Env = process.env): GuardynConfig {
  const natsUrl = readString(env, 'GUARDYN_MESSAGING__NATS_URL');
  const natsServers = natsUrl === undefined ? undefined : parseServerList(natsUrl);
  if (natsServers !== undefined && !natsServers.ok) {
    throw new ConfigError(
      `GUARDYN_MESSAGING__NATS_URL=${JSON.stringify(natsUrl)} ${natsServers.reason}; give one URL or a comma-separated list of the cluster's servers`,
    );
  }
  const port = readString(env, 'GUARDYN_PORT');
  return {
    dataDir: path.resolve(readString(env, 'GUARDYN_DATA_DIR') ?? './data'),
    natsUrl: natsServers?.ok === true ? natsServers.servers.join(',') : undefined,
    localNats: readLocalNats(env),
    host: readString(env, 'GUARDYN_HOST') ?? '0.0.0.0',
    portOverride: port === undefined ? undefined : readInt(env, 'GUARDYN_PORT', 0, 0, 65535),
    ports: {
      auth: readInt(env, 'GUARDYN_AUTH__PORT', 50051, 0, 65535),
      messaging: readInt(env, 'GUARDYN_MESSAGING__PORT', 50052, 0, 65535),
      presence: readInt(env, 'GUARDYN_PRESENCE__PORT', 50053, 0, 65535),
    },
    logLevel: readString(env, 'GUARDYN_LOG_LEVEL') ?? 'info',
    logFormat: readLogFormat(env),
    logClientMistakesPerMinute: readInt(env, 'GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE', 20, 0, 100_000),
    messaging: {
      maxContentBytes: readInt(env, 'GUARDYN_MESSAGING__MAX_CONTENT_BYTES', 256 * 1024, 1, 16 * 1024 * 1024),
      deleteWindowSeconds: readInt(env, 'GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS', 48 * 3600, 1, 10 * 365 * 86400),
      typingPerRecipient: readRateLimit(env, 'GUARDYN_MESSAGING__TYPING_PER_RECIPIENT', 5, 1),
      maxGroupSize: readInt(env, 'GUARDYN_MESSAGING__MAX_GROUP_SIZE', 1000, 2, 10_000),
      streamReplicas: readStreamReplicas(env),
    },
    auth: readAuth(env),
    limits: {
      loginFailuresPerAccount: readRateLimit(env, 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT', 10, 900),
      loginFailuresPerAddress: readRateLimit(env, 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS', 100, 900),
      loginFailuresPerAccountAddress: readRateLimit(env, 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS', 10, 900),
      registrationsPerAddress: readRateLimit(env, 'GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS', 30, 60),
      searchesPerAddress: readRateLimit(env, 'GUARDYN_LIMITS__SEARCHES_PER_ADDRESS', 60, 60),
      maxTrackedKeys: readInt(env, 'GUARDYN_LIMITS__MAX_TRACKED_KEYS', 100_000, 100, 10_000_000),
      streamsPerUser: readInt(env, 'GUARDYN_LIMITS__STREAMS_PER_USER', 20, 0, 100_000),
      streamsPerDevice: readInt(env, 'GUARDYN_LIMITS__STREAMS_PER_DEVICE', 8, 0, 100_000),
      clientAddressHeader: readHeaderName(env, 'GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER'),
    },
    presence: readPresence(env),
    query: { minSeqWaitMs: readInt(env, 'GUARDYN_QUERY__MIN_SEQ_WAIT_MS', 300, 0, 5000) },
    media: readMedia(env),
    calls: readCalls(env),
    tikv: readTikvConfig(env),
    projections: readProjections(env),
    scyllaDb: readScyllaDb(env),
    websocket: readWebSocket(env),
    web: readWeb(env),
    turn: readTurn(env),
    notifications: readNotifications(env),
    metrics: readMetrics(env),
    audit: {
      signingKeyPem: readString(env, 'GUARDYN_AUDIT__SIGNING_KEY'),
      publicKeyPem: readString(env, 'GUARDYN_AUDIT__PUBLIC_KEY'),
      checkpointIntervalSeconds: readInt(env, 'GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS', 60, 0, 86400),
    },
  };
}

function readAuth(env: Env): GuardynConfig['auth'] {
  const jwtPrivateKeyPem = readString(env, 'GUARDYN_AUTH__JWT_PRIVATE_KEY');
  const keysDir = readString(env, 'GUARDYN_AUTH__JWT_KEYS_DIR');
  if (jwtPrivateKeyPem !== undefined && keysDir !== undefined) {
    throw new ConfigError('set GUARDYN_AUTH__JWT_PRIVATE_KEY or GUARDYN_AUTH__JWT_KEYS_DIR, not both');
  }
  const activeKid = readString(env, 'GUARDYN_AUTH__JWT_ACTIVE_KID');
  if (activeKid !== undefined && keysDir === undefined) {
    throw new ConfigError('GUARDYN_AUTH__JWT_ACTIVE_KID names a key of GUARDYN_AUTH__JWT_KEYS_DIR, which is not set');
  }
  if (activeKid !== undefined && !KID.test(activeKid)) {
    throw new ConfigError(
      `GUARDYN_AUTH__JWT_ACTIVE_KID=${JSON.stringify(activeKid)} must be 1-64 characters of letters, digits, '_', '.', '-' (a key file name without .pem)`,
    );
  }
  const audience = readString(env, 'GUARDYN_AUTH__AUDIENCE') ?? 'guardyn';
  return {
    accessTokenTtlSeconds: readInt(env, 'GUARDYN_AUTH__ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86400),
    sessionCacheSeconds: readInt(env, 'GUARDYN_AUTH__SESSION_CACHE_SECONDS', 30, 1, 600),
    refreshTokenTtlSeconds: readInt(env, 'GUARDYN_AUTH__REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 60, 365 * 86400),
    jwtPrivateKeyPem,
    jwtKeysDir: keysDir === undefined ? undefined : path.resolve(keysDir),
    jwtActiveKid: activeKid,
    jwtKeysReloadSeconds: readInt(env, 'GUARDYN_AUTH__JWT_KEYS_RELOAD_SECONDS', 60, 0, 86400),
    jwtKeyActivationDelaySeconds: readInt(env, 'GUARDYN_AUTH__JWT_KEY_ACTIVATION_DELAY_SECONDS', 120, 0, 7 * 86400),
    jwtAlgorithms: readAlgorithms(env, 'GUARDYN_AUTH__JWT_ALGORITHMS'),
    issuer: readString(env, 'GUARDYN_AUTH__ISSUER') ?? 'guardyn',
    audience,
    argon2: readArgon2(env),
  };
}

function readPresence(env: Env): PresenceConfig {
  const instanceBeatMs = readInt(env, 'GUARDYN_PRESENCE__INSTANCE_BEAT_MS', 5000, 50, 60_000);
  const instanceTimeoutMs = readInt(env, 'GUARDYN_PRESENCE__INSTANCE_TIMEOUT_MS', 15_000, 150, 600_000);
  if (instanceTimeoutMs < 2 * instanceBeatMs) {
    throw new ConfigError(
      `GUARDYN_PRESENCE__INSTANCE_TIMEOUT_MS=${instanceTimeoutMs} must be at least twice GUARDYN_PRESENCE__INSTANCE_BEAT_MS=${instanceBeatMs}, or live processes would be taken for crashed`,
    );
  }
  return {
    awayAfterMs: readInt(env, 'GUARDYN_PRESENCE__AWAY_AFTER_MS', 300_000, 100, 86_400_000),
    heartbeatTimeoutMs: readInt(env, 'GUARDYN_PRESENCE__HEARTBEAT_TIMEOUT_MS', 60_000, 100, 3_600_000),
    lastSeenEveryMs: readInt(env, 'GUARDYN_PRESENCE__LAST_SEEN_EVERY_MS', 60_000, 0, 3_600_000),
    instanceBeatMs,
    instanceTimeoutMs,
    typingPerRecipient: readRateLimit(env, 'GUARDYN_PRESENCE__TYPING_PER_RECIPIENT', 5, 1),
    visibility: readPresenceVisibility(env),
  };
}

function readPresenceVisibility(env: Env): PresenceVisibilityPolicy {
  const name = 'GUARDYN_PRESENCE__VISIBILITY';
  const raw = readString(env, name);
  if (raw === undefined) return 'contacts';
  const value = PRESENCE_VISIBILITIES.find((v) => v === raw.toLowerCase());
  if (value === undefined)
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be one of ${PRESENCE_VISIBILITIES.join(', ')}`);
  return value;
}

function readStreamReplicas(env: Env): StreamReplicasSetting {
  const name = 'GUARDYN_MESSAGING__STREAM_REPLICAS';
  const raw = readString(env, name);
  if (raw === undefined || raw.toLowerCase() === 'auto') return 'auto';
  if (!/^\d+$/.test(raw))
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be auto or a number from 1 to ${MAX_STREAM_REPLICAS}`);
  return readInt(env, name, 1, 1, MAX_STREAM_REPLICAS);
}

function readHeaderName(env: Env, name: string): string | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(raw) || raw.length > 64)
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a metadata header name`);
  return raw.toLowerCase();
}

/** The WebSocket gateway (`/ws`, part of the messaging role); see docs/WEBSOCKET.md. */
export interface WebSocketConfig {
  /** GUARDYN_MESSAGING__ENABLE_WEBSOCKET (1). */
  readonly enabled: boolean;
  /** GUARDYN_MESSAGING__WEBSOCKET_PORT (8081). */
  readonly port: number;
  /** Largest frame accepted, bytes (GUARDYN_WEBSOCKET__MAX_FRAME_BYTES, 64 KiB). */
  readonly maxFrameBytes: number;
  /** Sockets one user may hold on one gateway; the oldest is closed beyond it (GUARDYN_WEBSOCKET__MAX_SOCKETS_PER_USER, 10). */
  readonly maxSocketsPerUser: number;
  /** Origins allowed to open a socket (GUARDYN_WEBSOCKET__ALLOWED_ORIGINS, comma separated); undefined: any. A request without Origin (a native app) is always allowed. */
  readonly allowedOrigins: readonly string[] | undefined;
  /** Client frames per socket (GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET / _WINDOW_SECONDS, 30 per 1 s). */
  readonly framesPerSocket: RateLimit;
  /** How long a socket may stay unauthenticated (GUARDYN_WEBSOCKET__AUTH_TIMEOUT_MS, 5000). */
  readonly authTimeoutMs: number;
  /** Protocol ping interval (GUARDYN_WEBSOCKET__PING_INTERVAL_MS, 25000). */
  readonly pingIntervalMs: number;
  /** A socket silent this long is closed (GUARDYN_WEBSOCKET__IDLE_TIMEOUT_MS, 60000). */
  readonly idleTimeoutMs: number;
  /** Frames waiting per socket beyond the transport's buffer (GUARDYN_WEBSOCKET__QUEUE_FRAMES, 256). */
  readonly queueFrames: number;
  /** A socket whose queue stays full this long is closed (GUARDYN_WEBSOCKET__STALL_TIMEOUT_MS, 10000). */
  readonly stallTimeoutMs: number;
  /** Most stored events a `resume` replays; a larger gap is answered with `resync` (GUARDYN_WEBSOCKET__RESUME_MAX_EVENTS, 10000). */
  readonly resumeMaxEvents: number;
  /** How often the sessions of open sockets are checked again (GUARDYN_WEBSOCKET__SESSION_CHECK_MS, 1000). */
  readonly sessionCheckMs: number;
}

function readWebSocket(env: Env): WebSocketConfig {
  const enabled =
    readString(env, 'GUARDYN_MESSAGING__ENABLE_WEBSOCKET') === undefined
      ? true
      : readFlag(env, 'GUARDYN_MESSAGING__ENABLE_WEBSOCKET');
  const origins = readString(env, 'GUARDYN_WEBSOCKET__ALLOWED_ORIGINS');
  let allowedOrigins: string[] | undefined;
  if (origins !== undefined) {
    allowedOrigins = origins
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');
    const bad = allowedOrigins.find((o) => !/^https?:\/\/[^\s/]+$/i.test(o));
    if (bad !== undefined || allowedOrigins.length === 0) {
      throw new ConfigError(
        `GUARDYN_WEBSOCKET__ALLOWED_ORIGINS=${JSON.stringify(origins)} must list origins such as https://app.example (scheme and host, no path)`,
      );
    }
    allowedOrigins = allowedOrigins.map((o) => o.toLowerCase());
  }
  return {
    enabled,
    port: readInt(env, 'GUARDYN_MESSAGING__WEBSOCKET_PORT', 8081, 0, 65535),
    maxFrameBytes: readInt(env, 'GUARDYN_WEBSOCKET__MAX_FRAME_BYTES', 64 * 1024, 1024, 16 * 1024 * 1024),
    maxSocketsPerUser: readInt(env, 'GUARDYN_WEBSOCKET__MAX_SOCKETS_PER_USER', 10, 1, 1000),
    allowedOrigins,
    framesPerSocket: readRateLimit(env, 'GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET', 30, 1),
    authTimeoutMs: readInt(env, 'GUARDYN_WEBSOCKET__AUTH_TIMEOUT_MS', 5000, 50, 60_000),
    pingIntervalMs: readInt(env, 'GUARDYN_WEBSOCKET__PING_INTERVAL_MS', 25_000, 50, 600_000),
    idleTimeoutMs: readInt(env, 'GUARDYN_WEBSOCKET__IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
    queueFrames: readInt(env, 'GUARDYN_WEBSOCKET__QUEUE_FRAMES', 256, 4, 100_000),
    stallTimeoutMs: readInt(env, 'GUARDYN_WEBSOCKET__STALL_TIMEOUT_MS', 10_000, 50, 600_000),
    resumeMaxEvents: readInt(env, 'GUARDYN_WEBSOCKET__RESUME_MAX_EVENTS', 10_000, 1, 10_000),
    sessionCheckMs: readInt(env, 'GUARDYN_WEBSOCKET__SESSION_CHECK_MS', 1000, 50, 60_000),
  };
}
