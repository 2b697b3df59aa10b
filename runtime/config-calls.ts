/**
 * The calls role (GUARDYN_CALLS__*): the call service on :50055, the call
 * WebSocket on :8082, ring timeout, blob and rate limits, and the TURN REST
 * credentials it hands out (docs/CALLS.md). Read with the helpers of runtime/config.ts.
 */
import { ConfigError, readInt, readRateLimit, readString, type Env, type RateLimit } from './config-read.ts';

export interface TurnConfig {
  /**
   * The secret shared with the TURN server's `static-auth-secret` (GUARDYN_CALLS__TURN_SECRET);
   * absent: read from (or created in) dataDir/keys/turn-secret, the file ops/ hands to coturn.
   */
  readonly secret: string | undefined;
  /** TURN uris handed to clients (GUARDYN_CALLS__TURN_URIS, comma-separated turn:/turns:/stun: uris). */
  readonly uris: readonly string[];
  /** Lifetime of issued credentials, seconds (GUARDYN_CALLS__TURN_TTL_SECONDS, 86400). */
  readonly ttlSeconds: number;
}

export interface CallsConfig {
  /** gRPC port of the call service (GUARDYN_CALLS__GRPC_PORT, 50055). */
  readonly port: number;
  /** The call WebSocket (GUARDYN_CALLS__WEBSOCKET_PORT, 8082; GUARDYN_CALLS__ENABLE_WEBSOCKET=0 turns it off). */
  readonly websocketPort: number;
  readonly websocketEnabled: boolean;
  /** How long a call rings before it is missed, ms (GUARDYN_CALLS__RING_TIMEOUT_MS, 45000). */
  readonly ringTimeoutMs: number;
  /** Largest offer or answer blob, bytes (GUARDYN_CALLS__MAX_OFFER_BYTES, 65536). */
  readonly maxOfferBytes: number;
  /** Largest signal blob, bytes (GUARDYN_CALLS__MAX_SIGNAL_BYTES, 16384). */
  readonly maxSignalBytes: number;
  /** Calls a caller may start per window (GUARDYN_CALLS__STARTS_PER_CALLER, 10 per _WINDOW_SECONDS 60). */
  readonly startsPerCaller: RateLimit;
  /** Signals a device may send per window (GUARDYN_CALLS__SIGNALS_PER_DEVICE, 200 per _WINDOW_SECONDS 10). */
  readonly signalsPerDevice: RateLimit;
  readonly turn: TurnConfig;
}

const DEFAULT_TURN_URIS = ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'];

export function readCalls(env: Env): CallsConfig {
  const enable = readString(env, 'GUARDYN_CALLS__ENABLE_WEBSOCKET');
  if (enable !== undefined && !/^(0|1|true|false|yes|no)$/i.test(enable))
    throw new ConfigError(`GUARDYN_CALLS__ENABLE_WEBSOCKET=${JSON.stringify(enable)} must be 1 or 0`);
  const rawUris = readString(env, 'GUARDYN_CALLS__TURN_URIS');
  const uris =
    rawUris === undefined
      ? DEFAULT_TURN_URIS
      : rawUris
          .split(',')
          .map((u) => u.trim())
          .filter((u) => u !== '');
  const bad = uris.find((u) => !/^(turns?|stuns?):[^\s,]+$/.test(u));
  if (uris.length === 0 || bad !== undefined)
    throw new ConfigError(
      `GUARDYN_CALLS__TURN_URIS=${JSON.stringify(rawUris)} must list turn:, turns: or stun: uris, comma-separated`,
    );
  const secret = readString(env, 'GUARDYN_CALLS__TURN_SECRET');
  if (secret !== undefined && secret.length < 16)
    throw new ConfigError('GUARDYN_CALLS__TURN_SECRET must be at least 16 characters');
  return {
    port: readInt(env, 'GUARDYN_CALLS__GRPC_PORT', 50055, 0, 65535),
    websocketPort: readInt(env, 'GUARDYN_CALLS__WEBSOCKET_PORT', 8082, 0, 65535),
    websocketEnabled: enable === undefined || /^(1|true|yes)$/i.test(enable),
    ringTimeoutMs: readInt(env, 'GUARDYN_CALLS__RING_TIMEOUT_MS', 45_000, 100, 600_000),
    maxOfferBytes: readInt(env, 'GUARDYN_CALLS__MAX_OFFER_BYTES', 64 * 1024, 256, 1024 * 1024),
    maxSignalBytes: readInt(env, 'GUARDYN_CALLS__MAX_SIGNAL_BYTES', 16 * 1024, 64, 256 * 1024),
    startsPerCaller: readRateLimit(env, 'GUARDYN_CALLS__STARTS_PER_CALLER', 10, 60),
    signalsPerDevice: readRateLimit(env, 'GUARDYN_CALLS__SIGNALS_PER_DEVICE', 200, 10),
    turn: { secret, uris, ttlSeconds: readInt(env, 'GUARDYN_CALLS__TURN_TTL_SECONDS', 86_400, 60, 7 * 86_400) },
  };
}
