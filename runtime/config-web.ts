/**
 * Browsers on the notifications role's HTTP server (:8080): the gRPC-Web bridge
 * and the demo web client (GUARDYN_WEB__*), read with the helpers of runtime/config.ts.
 */
import { ConfigError, readInt, readString, type Env } from './config-read.ts';

export interface WebConfig {
  /** gRPC-Web for the four services on the HTTP server (GUARDYN_WEB__GRPC_WEB, 1). */
  readonly grpcWeb: boolean;
  /** The web client at / (GUARDYN_WEB__CLIENT, 1). */
  readonly client: boolean;
  /**
   * Cross-origin pages allowed to call gRPC-Web (GUARDYN_WEB__ALLOWED_ORIGINS: comma-separated
   * origins, or `*` for any). The page served by the same server is always allowed; unset: no other.
   */
  readonly allowedOrigins: readonly string[] | '*';
  /** Largest gRPC-Web request message, bytes (GUARDYN_WEB__MAX_MESSAGE_BYTES, 2 MiB: the gRPC servers' own limit). */
  readonly maxMessageBytes: number;
}

function readOnOff(env: Env, name: string): boolean {
  const raw = readString(env, name);
  if (raw === undefined || /^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} must be 1 or 0`);
}

export function readWeb(env: Env): WebConfig {
  const name = 'GUARDYN_WEB__ALLOWED_ORIGINS';
  const raw = readString(env, name);
  let allowedOrigins: WebConfig['allowedOrigins'] = [];
  if (raw === '*') allowedOrigins = '*';
  else if (raw !== undefined) {
    const list = raw
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');
    const bad = list.find((o) => !/^https?:\/\/[^\s/]+$/i.test(o));
    if (bad !== undefined || list.length === 0)
      throw new ConfigError(
        `${name}=${JSON.stringify(raw)} must be * or list origins such as https://app.example (scheme and host, no path)`,
      );
    allowedOrigins = list.map((o) => o.toLowerCase());
  }
  return {
    grpcWeb: readOnOff(env, 'GUARDYN_WEB__GRPC_WEB'),
    client: readOnOff(env, 'GUARDYN_WEB__CLIENT'),
    allowedOrigins,
    maxMessageBytes: readInt(env, 'GUARDYN_WEB__MAX_MESSAGE_BYTES', 2 * 1024 * 1024, 1024, 64 * 1024 * 1024),
  };
}
