/**
 * What the connected nats-server can do. Newer JetStream features are used only
 * where the server has them: a 2.9 server silently drops options it does not
 * know, so the version decides, never the hope that an option took.
 */

export interface ServerCapabilities {
  readonly version: string;
  /** `filter_subjects` on consumers (2.10). */
  readonly multiFilterConsumers: boolean;
  /** Stream `metadata` and `compression` (2.10). */
  readonly streamMetadata: boolean;
  /** Per-message TTL (`allow_msg_ttl`, `Nats-TTL`) (2.11). */
  readonly perMessageTtl: boolean;
  /** Atomic batch publish (`allow_atomic`) (2.12). */
  readonly atomicBatch: boolean;
}

export function parseVersion(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) throw new Error(`unrecognised nats-server version ${JSON.stringify(version)}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = parseVersion(version);
  return a > major || (a === major && b >= minor);
}

export function capabilitiesOf(version: string): ServerCapabilities {
  if (!atLeast(version, 2, 9)) {
    throw new Error(
      `nats-server ${version} is too old: Guardyn needs 2.9 or newer (run bash ops/install-nats-server.sh)`,
    );
  }
  return {
    version,
    multiFilterConsumers: atLeast(version, 2, 10),
    streamMetadata: atLeast(version, 2, 10),
    perMessageTtl: atLeast(version, 2, 11),
    atomicBatch: atLeast(version, 2, 12),
  };
}
