/**
 * Configuration of the notifications role and of the metrics endpoint
 * (GUARDYN_NOTIFICATIONS__*, GUARDYN_METRICS__*), read with the helpers of
 * runtime/config.ts. Provider credentials are named by file; the files are
 * read when the role starts (projections/push/providers/providers.ts).
 */
import path from 'node:path';
import { ConfigError, readInt, readString, type Env } from './config-read.ts';

export interface FcmConfig {
  /** A service-account JSON key file (project_id, client_email, private_key, token_uri). */
  readonly serviceAccountFile: string;
  readonly endpoint: string | undefined;
  /** Overrides the key file's token_uri. */
  readonly tokenUri: string | undefined;
}

export interface ApnsConfig {
  /** The .p8 (PKCS#8 PEM, P-256) provider key. */
  readonly keyFile: string;
  readonly keyId: string;
  readonly teamId: string;
  /** The app's bundle id. */
  readonly topic: string;
  readonly endpoint: string | undefined;
  readonly sandboxEndpoint: string | undefined;
}

export interface NotificationsConfig {
  readonly port: number;
  /** Messages older than this when the push projection sees them get no push. */
  readonly maxAgeSeconds: number;
  readonly retry: { readonly maxAttempts: number; readonly baseMs: number; readonly maxMs: number };
  /** A provider request's timeout. */
  readonly providerTimeoutMs: number;
  /** How long a silent gateway instance's devices still count as online. */
  readonly instanceTimeoutMs: number;
  readonly fcm: FcmConfig | undefined;
  readonly apns: ApnsConfig | undefined;
}

export interface MetricsConfig {
  /** undefined: no metrics endpoint (GUARDYN_METRICS__PORT=off). */
  readonly port: number | undefined;
}

function readUrl(env: Env, name: string): string | undefined {
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be an http(s) URL`);
  return url.href.replace(/\/$/, '');
}

function readFcm(env: Env): FcmConfig | undefined {
  const file = readString(env, 'GUARDYN_NOTIFICATIONS__FCM_SERVICE_ACCOUNT_FILE');
  const endpoint = readUrl(env, 'GUARDYN_NOTIFICATIONS__FCM_ENDPOINT');
  const tokenUri = readUrl(env, 'GUARDYN_NOTIFICATIONS__FCM_TOKEN_URI');
  if (file === undefined) return undefined;
  return { serviceAccountFile: path.resolve(file), endpoint, tokenUri };
}

function readApns(env: Env): ApnsConfig | undefined {
  const keyFile = readString(env, 'GUARDYN_NOTIFICATIONS__APNS_KEY_FILE');
  const keyId = readString(env, 'GUARDYN_NOTIFICATIONS__APNS_KEY_ID');
  const teamId = readString(env, 'GUARDYN_NOTIFICATIONS__APNS_TEAM_ID');
  const topic = readString(env, 'GUARDYN_NOTIFICATIONS__APNS_TOPIC');
  const endpoint = readUrl(env, 'GUARDYN_NOTIFICATIONS__APNS_ENDPOINT');
  const sandboxEndpoint = readUrl(env, 'GUARDYN_NOTIFICATIONS__APNS_SANDBOX_ENDPOINT');
  if (keyFile === undefined && keyId === undefined && teamId === undefined && topic === undefined) return undefined;
  const missing = [
    ['GUARDYN_NOTIFICATIONS__APNS_KEY_FILE', keyFile],
    ['GUARDYN_NOTIFICATIONS__APNS_KEY_ID', keyId],
    ['GUARDYN_NOTIFICATIONS__APNS_TEAM_ID', teamId],
    ['GUARDYN_NOTIFICATIONS__APNS_TOPIC', topic],
  ]
    .filter(([, v]) => v === undefined)
    .map(([n]) => n);
  if (missing.length > 0) throw new ConfigError(`APNs needs ${missing.join(', ')} as well`);
  return { keyFile: path.resolve(keyFile!), keyId: keyId!, teamId: teamId!, topic: topic!, endpoint, sandboxEndpoint };
}

export function readNotifications(env: Env): NotificationsConfig {
  const baseMs = readInt(env, 'GUARDYN_NOTIFICATIONS__RETRY_BASE_MS', 1000, 1, 3_600_000);
  const maxMs = readInt(env, 'GUARDYN_NOTIFICATIONS__RETRY_MAX_MS', 300_000, 1, 86_400_000);
  if (maxMs < baseMs)
    throw new ConfigError(
      `GUARDYN_NOTIFICATIONS__RETRY_MAX_MS (${maxMs}) must not be below GUARDYN_NOTIFICATIONS__RETRY_BASE_MS (${baseMs})`,
    );
  return {
    port: readInt(env, 'GUARDYN_NOTIFICATIONS__PORT', 8080, 0, 65535),
    maxAgeSeconds: readInt(env, 'GUARDYN_NOTIFICATIONS__MAX_AGE_SECONDS', 3600, 1, 7 * 86400),
    retry: { maxAttempts: readInt(env, 'GUARDYN_NOTIFICATIONS__MAX_ATTEMPTS', 8, 1, 100), baseMs, maxMs },
    providerTimeoutMs: readInt(env, 'GUARDYN_NOTIFICATIONS__PROVIDER_TIMEOUT_MS', 10_000, 100, 120_000),
    instanceTimeoutMs: readInt(env, 'GUARDYN_NOTIFICATIONS__INSTANCE_TIMEOUT_MS', 15_000, 100, 600_000),
    fcm: readFcm(env),
    apns: readApns(env),
  };
}

export function readMetrics(env: Env): MetricsConfig {
  const raw = readString(env, 'GUARDYN_METRICS__PORT');
  if (raw !== undefined && /^off$/i.test(raw)) return { port: undefined };
  return { port: readInt(env, 'GUARDYN_METRICS__PORT', 9090, 0, 65535) };
}
