/**
 * The local nats-server that `guardyn up` starts when GUARDYN_MESSAGING__NATS_URL is
 * not set (GUARDYN_NATS__*): its client port and how often its JetStream file store
 * syncs to disk. Read with the helpers of runtime/config.ts.
 */
import { ConfigError, readInt, readString, type Env } from './config-read.ts';

/** `always`: fsync every write before it is acknowledged; otherwise a duration such as `2m`, `30s`, `500ms`. */
export type SyncInterval = 'always' | { readonly ms: number; readonly text: string };

export interface LocalNatsConfig {
  /** Client port on 127.0.0.1 (GUARDYN_NATS__PORT, 4222; 0 picks a free one). */
  readonly port: number;
  /**
   * JetStream's file store sync policy (GUARDYN_NATS__SYNC_INTERVAL, `always`): a single
   * node has no quorum to cover a power loss, so by default every write is synced before
   * it is acknowledged. A duration bounds the window of acknowledged writes a power loss
   * may take instead (nats-server's own default is 2m). Servers before 2.10 have no such
   * option and keep their built-in interval (ops/nats/local-server.ts).
   */
  readonly syncInterval: SyncInterval;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const MAX_SYNC_MS = 24 * 3_600_000;

/** `always`, or a whole number with a unit (ms, s, m, h) between 1 ms and 24 h. */
export function parseSyncInterval(raw: string, name = 'GUARDYN_NATS__SYNC_INTERVAL'): SyncInterval {
  const text = raw.trim().toLowerCase();
  if (text === 'always') return 'always';
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  const ms = m === null ? NaN : Number(m[1]) * UNIT_MS[m[2]!]!;
  if (!Number.isSafeInteger(ms) || ms < 1 || ms > MAX_SYNC_MS) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} must be always or a duration between 1ms and 24h such as 2m, 30s or 500ms`,
    );
  }
  return { ms, text };
}

export function readLocalNats(env: Env): LocalNatsConfig {
  const sync = readString(env, 'GUARDYN_NATS__SYNC_INTERVAL');
  return {
    port: readInt(env, 'GUARDYN_NATS__PORT', 4222, 0, 65535),
    syncInterval: sync === undefined ? 'always' : parseSyncInterval(sync),
  };
}
