/**
 * The TURN server for calls (GUARDYN_TURN__*): the coturn that `guardyn up` starts as a
 * supervised child when `turnserver` is installed (ops/turn/coturn.ts). The TURN REST secret it
 * shares with the call service, the URIs and the credentials' lifetime are the call service's
 * (GUARDYN_CALLS__TURN_SECRET, GUARDYN_CALLS__TURN_URIS, GUARDYN_CALLS__TURN_TTL_SECONDS in
 * runtime/config-calls.ts): one secret for both. Read with the helpers of runtime/config.ts: a
 * bad value stops the start naming the variable.
 * docs/CALLS-TURN.md says how to run it behind NAT in production.
 */
import fs from 'node:fs';
import net from 'node:net';
import { ConfigError, readInt, readString, type Env } from './config-read.ts';

/** Whether `guardyn up` starts coturn: when found (auto), always (a missing turnserver stops the start), never. */
export const TURN_MODES = ['auto', 'on', 'off'] as const;
export type TurnMode = (typeof TURN_MODES)[number];

/**
 * Peer addresses the relay never sends to by default: the private, link-local, shared (CGNAT)
 * and reserved ranges, IPv4 and IPv6, so that a TURN allocation cannot be used to reach
 * services inside the deployment's own network. Loopback is refused by coturn itself unless
 * GUARDYN_TURN__ALLOW_LOOPBACK_PEERS=1.
 */
export const DEFAULT_DENIED_PEER_IPS: readonly string[] = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.0.0.0-192.0.0.255',
  '192.168.0.0-192.168.255.255',
  '198.18.0.0-198.19.255.255',
  '240.0.0.0-255.255.255.255',
  '::ffff:0.0.0.0-::ffff:255.255.255.255',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
];

export interface TurnConfig {
  /** GUARDYN_TURN__ENABLED: auto (default: started when turnserver is found), on, off. */
  readonly mode: TurnMode;
  /** GUARDYN_TURN__BIN: the turnserver binary; absent: `turnserver` on PATH, then /usr/bin/turnserver. */
  readonly bin: string | undefined;
  /** GUARDYN_TURN__REALM (guardyn). */
  readonly realm: string;
  /** GUARDYN_TURN__LISTEN_IP: the address coturn listens on (127.0.0.1: loopback unless configured). */
  readonly listenIp: string;
  /** GUARDYN_TURN__RELAY_IP: the local address relayed media leaves from; absent: the listening address when it is a single one. */
  readonly relayIp: string | undefined;
  /** GUARDYN_TURN__EXTERNAL_IP: the public address behind 1:1 NAT (`public` or `public/private`), given to clients in relayed candidates. */
  readonly externalIp: string | undefined;
  /** GUARDYN_TURN__PORT: TURN/STUN over UDP and TCP (3478). */
  readonly port: number;
  /** GUARDYN_TURN__TLS_PORT: TURN over TLS (5349), only with a certificate and key. */
  readonly tlsPort: number;
  /** GUARDYN_TURN__TLS_CERT_FILE / GUARDYN_TURN__TLS_KEY_FILE: PEM files; TLS only when both are set. */
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** GUARDYN_TURN__MIN_PORT / GUARDYN_TURN__MAX_PORT: the UDP ports of relayed media (49152-65535). */
  readonly relayPorts: { readonly min: number; readonly max: number };
  /** GUARDYN_TURN__DENIED_PEER_IPS: comma-separated address ranges the relay never reaches (default: private ranges; `none`). */
  readonly deniedPeerIps: readonly string[];
  /** GUARDYN_TURN__ALLOWED_PEER_IPS: ranges let through despite the denied ones (none). */
  readonly allowedPeerIps: readonly string[];
  /** GUARDYN_TURN__ALLOW_LOOPBACK_PEERS=1: relay to 127.0.0.0/8 (tests on one machine only; never in production). */
  readonly allowLoopbackPeers: boolean;
}

function readMode(env: Env): TurnMode {
  const name = 'GUARDYN_TURN__ENABLED';
  const raw = readString(env, name)?.toLowerCase();
  if (raw === undefined || raw === 'auto') return 'auto';
  if (/^(1|true|yes|on)$/.test(raw)) return 'on';
  if (/^(0|false|no|off)$/.test(raw)) return 'off';
  throw new ConfigError(`GUARDYN_TURN__ENABLED=${JSON.stringify(raw)} must be auto, 1 or 0`);
}

function readIp(env: Env, name: string): string | undefined {
  const raw = readString(env, name);
  if (raw !== undefined && net.isIP(raw) === 0)
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be an IPv4 or IPv6 address`);
  return raw;
}

function readExternalIp(env: Env): string | undefined {
  const name = 'GUARDYN_TURN__EXTERNAL_IP';
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const parts = raw.split('/');
  if (parts.length > 2 || parts.some((p) => net.isIP(p) === 0)) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} must be the public address, or public/private (e.g. 203.0.113.7/10.0.0.5)`,
    );
  }
  return raw;
}

/** An address range as coturn takes it: one address, or first-last of one family. */
function isRange(range: string): boolean {
  const ends = range.split('-');
  if (ends.length > 2 || ends.some((e) => net.isIP(e) === 0)) return false;
  return ends.length === 1 || net.isIP(ends[0]!) === net.isIP(ends[1]!);
}

function readRanges(env: Env, name: string, fallback: readonly string[]): readonly string[] {
  const raw = readString(env, name);
  if (raw === undefined) return fallback;
  if (raw.toLowerCase() === 'none') return [];
  const list = raw
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  const bad = list.find((r) => !isRange(r));
  if (bad !== undefined || list.length === 0) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} must be none or comma-separated addresses or ranges such as 10.0.0.0-10.255.255.255 (${JSON.stringify(bad ?? '')} is not one)`,
    );
  }
  return list;
}

function readFlag(env: Env, name: string): boolean {
  const raw = readString(env, name);
  if (raw === undefined || /^(0|false|no)$/i.test(raw)) return false;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} must be 1 or 0`);
}

function readPemFile(env: Env, name: string): string | undefined {
  const file = readString(env, name);
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${name}=${JSON.stringify(file)} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  if (!text.includes('-----BEGIN ')) throw new ConfigError(`${name}=${JSON.stringify(file)} is not a PEM file`);
  return file;
}

export const MIN_TURN_SECRET_LENGTH = 16;

export function readTurn(env: Env): TurnConfig {
  const realm = readString(env, 'GUARDYN_TURN__REALM') ?? 'guardyn';
  if (!/^[A-Za-z0-9.-]{1,128}$/.test(realm))
    throw new ConfigError(`GUARDYN_TURN__REALM=${JSON.stringify(realm)} must be letters, digits, dots and dashes`);
  const listenIp = readIp(env, 'GUARDYN_TURN__LISTEN_IP') ?? '127.0.0.1';
  const port = readInt(env, 'GUARDYN_TURN__PORT', 3478, 1, 65535);
  const tlsPort = readInt(env, 'GUARDYN_TURN__TLS_PORT', 5349, 1, 65535);
  if (tlsPort === port) throw new ConfigError(`GUARDYN_TURN__TLS_PORT=${tlsPort} must differ from GUARDYN_TURN__PORT`);
  const certFile = readPemFile(env, 'GUARDYN_TURN__TLS_CERT_FILE');
  const keyFile = readPemFile(env, 'GUARDYN_TURN__TLS_KEY_FILE');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError(
      `GUARDYN_TURN__TLS_CERT_FILE and GUARDYN_TURN__TLS_KEY_FILE go together: ${certFile === undefined ? 'GUARDYN_TURN__TLS_CERT_FILE' : 'GUARDYN_TURN__TLS_KEY_FILE'} is missing`,
    );
  }
  const min = readInt(env, 'GUARDYN_TURN__MIN_PORT', 49152, 1024, 65535);
  const max = readInt(env, 'GUARDYN_TURN__MAX_PORT', 65535, 1024, 65535);
  if (min > max) throw new ConfigError(`GUARDYN_TURN__MIN_PORT=${min} must not be above GUARDYN_TURN__MAX_PORT=${max}`);
  return {
    mode: readMode(env),
    bin: readString(env, 'GUARDYN_TURN__BIN'),
    realm,
    listenIp,
    relayIp: readIp(env, 'GUARDYN_TURN__RELAY_IP'),
    externalIp: readExternalIp(env),
    port,
    tlsPort,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : undefined,
    relayPorts: { min, max },
    deniedPeerIps: readRanges(env, 'GUARDYN_TURN__DENIED_PEER_IPS', DEFAULT_DENIED_PEER_IPS),
    allowedPeerIps: readRanges(env, 'GUARDYN_TURN__ALLOWED_PEER_IPS', []),
    allowLoopbackPeers: readFlag(env, 'GUARDYN_TURN__ALLOW_LOOPBACK_PEERS'),
  };
}

/** The address clients reach: the external one behind NAT, else the listening one (loopback when it listens everywhere). */
function clientHost(turn: TurnConfig): string {
  const host =
    turn.externalIp?.split('/')[0] ??
    (turn.listenIp === '0.0.0.0' || turn.listenIp === '::' ? '127.0.0.1' : turn.listenIp);
  return net.isIPv6(host) ? `[${host}]` : host;
}

/**
 * The URIs that reach this coturn (UDP, TCP, and TLS when configured), for GUARDYN_CALLS__TURN_URIS:
 * what clients are given with their credentials.
 */
export function turnUris(turn: TurnConfig): readonly string[] {
  const host = clientHost(turn);
  const uris = [`turn:${host}:${turn.port}?transport=udp`, `turn:${host}:${turn.port}?transport=tcp`];
  if (turn.tls !== undefined) uris.push(`turns:${host}:${turn.tlsPort}?transport=tcp`);
  return uris;
}
