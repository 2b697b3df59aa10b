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
  readonly messaging: { readonly maxContentBytes: number };
  readonly auth: {
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
    /** A PKCS#8 PEM Ed25519 private key; absent: one is generated under dataDir/keys. */
    readonly jwtPrivateKeyPem: string | undefined;
    readonly issuer: string;
    readonly argon2: { readonly memoryKiB: number; readonly passes: number; readonly parallelism: number };
  };
  readonly query: { readonly minSeqWaitMs: number };
}

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
    },
    auth: {
      accessTokenTtlSeconds: readInt(env, 'GUARDYN_AUTH__ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86400),
      refreshTokenTtlSeconds: readInt(env, 'GUARDYN_AUTH__REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 60, 365 * 86400),
      jwtPrivateKeyPem: readString(env, 'GUARDYN_AUTH__JWT_PRIVATE_KEY'),
      issuer: readString(env, 'GUARDYN_AUTH__ISSUER') ?? 'guardyn',
      argon2: {
        memoryKiB: readInt(env, 'GUARDYN_AUTH__ARGON2_MEMORY_KIB', 19456, 1024, 1048576),
        passes: readInt(env, 'GUARDYN_AUTH__ARGON2_PASSES', 2, 1, 10),
        parallelism: readInt(env, 'GUARDYN_AUTH__ARGON2_PARALLELISM', 1, 1, 16),
      },
    },
    query: { minSeqWaitMs: readInt(env, 'GUARDYN_QUERY__MIN_SEQ_WAIT_MS', 300, 0, 5000) },
  };
}
