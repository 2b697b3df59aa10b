/**
 * Guardyn's configuration: the GUARDYN_* environment variables, decoded once at
 * start with io-ts. A bad value stops the start with a message naming the
 * variable; an absent one takes the documented default.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import path from 'node:path';

const IntFromString = (name: string, min: number, max: number) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) => {
      if (typeof u !== 'string' || !/^\d+$/.test(u.trim())) return t.failure(u, c, `must be a whole number`);
      const n = Number(u.trim());
      return n >= min && n <= max ? t.success(n) : t.failure(u, c, `must be between ${min} and ${max}`);
    },
    String,
  );

export interface GuardynConfig {
  /** Where embedded stores, a local nats-server's store and generated keys live. */
  readonly dataDir: string;
  /** NATS URL of an existing server; absent: `guardyn up` starts a local nats-server. */
  readonly natsUrl: string | undefined;
  readonly host: string;
  /** Overrides the port when one role runs alone (`guardyn serve auth`). */
  readonly portOverride: number | undefined;
  readonly ports: { readonly auth: number; readonly messaging: number };
  readonly logLevel: string;
  readonly messaging: {
    readonly maxContentBytes: number;
    /** How long after sending a sender may delete a message for everyone (GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS, 48 h). */
    readonly deleteWindowSeconds: number;
    /** Typing indicators per (sender, recipient) (GUARDYN_MESSAGING__TYPING_PER_RECIPIENT, 5 a second). */
    readonly typingPerRecipient: RateLimit;
    /** Most members of one group, the owner included (GUARDYN_MESSAGING__MAX_GROUP_SIZE, 1000; at most 10000). */
    readonly maxGroupSize: number;
  };
  readonly auth: {
    readonly accessTokenTtlSeconds: number;
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
}

export const JWT_ALGORITHMS = ['EdDSA', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** At most `max` events per `windowSeconds` (sliding window); max 0 turns the limit off. */
export interface RateLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

/** Throttling at the gateways (gateways/limits/): in memory, per gateway process. */
export interface LimitsConfig {
  /** Failed logins per account (by lower-cased username, whether it exists or not). */
  readonly loginFailuresPerAccount: RateLimit;
  /** Failed logins per client address. */
  readonly loginFailuresPerAddress: RateLimit;
  /** Registration attempts per client address. */
  readonly registrationsPerAddress: RateLimit;
  /** SearchUsers calls per client address. */
  readonly searchesPerAddress: RateLimit;
  /** Most keys (accounts, addresses) one limiter tracks; the least recently used is forgotten first. */
  readonly maxTrackedKeys: number;
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

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const decoded = IntFromString(name, min, max).decode(raw);
  if (isLeft(decoded)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} ${decoded.left[0]?.message ?? 'is invalid'}`);
  }
  return decoded.right;
}

function readString(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function readFlag(env: Env, name: string): boolean {
  const raw = readString(env, name);
  if (raw === undefined) return false;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} must be 1 or 0`);
}

function readRateLimit(env: Env, name: string, max: number, windowSeconds: number): RateLimit {
  return {
    max: readInt(env, name, max, 0, 1_000_000),
    windowSeconds: readInt(env, `${name}_WINDOW_SECONDS`, windowSeconds, 1, 7 * 86400),
  };
}

function readAlgorithms(env: Env, name: string): readonly JwtAlgorithm[] {
  const raw = readString(env, name);
  if (raw === undefined) return [...JWT_ALGORITHMS];
  const names = raw.split(',').map((a) => a.trim()).filter((a) => a !== '');
  const unknown = names.filter((a) => !(JWT_ALGORITHMS as readonly string[]).includes(a));
  if (names.length === 0 || unknown.length > 0) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must list one or more of ${JWT_ALGORITHMS.join(', ')} (asymmetric only: never none or HS*)`);
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
  if (natsUrl !== undefined && !/^(nats|tls|ws|wss):\/\/[^\s]+$|^[\w.-]+:\d+$/.test(natsUrl)) {
    throw new ConfigError(`GUARDYN_MESSAGING__NATS_URL=${JSON.stringify(natsUrl)} is not a NATS URL (nats://host:port)`);
  }
  const port = readString(env, 'GUARDYN_PORT');
  return {
    dataDir: path.resolve(readString(env, 'GUARDYN_DATA_DIR') ?? './data'),
    natsUrl,
    host: readString(env, 'GUARDYN_HOST') ?? '0.0.0.0',
    portOverride: port === undefined ? undefined : readInt(env, 'GUARDYN_PORT', 0, 0, 65535),
    ports: {
      auth: readInt(env, 'GUARDYN_AUTH__PORT', 50051, 0, 65535),
      messaging: readInt(env, 'GUARDYN_MESSAGING__PORT', 50052, 0, 65535),
    },
    logLevel: readString(env, 'GUARDYN_LOG_LEVEL') ?? 'info',
    messaging: {
      maxContentBytes: readInt(env, 'GUARDYN_MESSAGING__MAX_CONTENT_BYTES', 256 * 1024, 1, 16 * 1024 * 1024),
      deleteWindowSeconds: readInt(env, 'GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS', 48 * 3600, 1, 10 * 365 * 86400),
      typingPerRecipient: readRateLimit(env, 'GUARDYN_MESSAGING__TYPING_PER_RECIPIENT', 5, 1),
      maxGroupSize: readInt(env, 'GUARDYN_MESSAGING__MAX_GROUP_SIZE', 1000, 2, 10_000),
    },
    auth: readAuth(env),
    limits: {
      loginFailuresPerAccount: readRateLimit(env, 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT', 10, 900),
      loginFailuresPerAddress: readRateLimit(env, 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS', 100, 900),
      registrationsPerAddress: readRateLimit(env, 'GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS', 30, 60),
      searchesPerAddress: readRateLimit(env, 'GUARDYN_LIMITS__SEARCHES_PER_ADDRESS', 60, 60),
      maxTrackedKeys: readInt(env, 'GUARDYN_LIMITS__MAX_TRACKED_KEYS', 100_000, 100, 10_000_000),
      clientAddressHeader: readHeaderName(env, 'GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER'),
    },
    query: { minSeqWaitMs: readInt(env, 'GUARDYN_QUERY__MIN_SEQ_WAIT_MS', 300, 0, 5000) },
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
    throw new ConfigError(`GUARDYN_AUTH__JWT_ACTIVE_KID=${JSON.stringify(activeKid)} must be 1-64 characters of letters, digits, '_', '.', '-' (a key file name without .pem)`);
  }
  const audience = readString(env, 'GUARDYN_AUTH__AUDIENCE') ?? 'guardyn';
  return {
    accessTokenTtlSeconds: readInt(env, 'GUARDYN_AUTH__ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86400),
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

function readHeaderName(env: Env, name: string): string | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(raw) || raw.length > 64) throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a metadata header name`);
  return raw.toLowerCase();
}
