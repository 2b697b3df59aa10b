/**
 * Concurrent long-lived streams per user and per device, counted in one
 * gateway process (the gRPC server streams: ReceiveMessages, presence
 * Subscribe, DownloadMedia; gRPC-Web streams reach the same servers). A stream
 * takes a slot once its caller is known and gives it back when it ends, however
 * it ends; a stream over either limit is refused before it holds anything.
 *
 * The WebSocket has its own per-user socket limit (GUARDYN_WEBSOCKET__MAX_SOCKETS_PER_USER).
 * Like every GUARDYN_LIMITS__* limit, these are per process, and 0 turns one off.
 */

export interface StreamLimits {
  /** Streams one user may hold open at once (GUARDYN_LIMITS__STREAMS_PER_USER); 0: no limit. */
  readonly perUser: number;
  /** Streams one device (user and device) may hold open at once (GUARDYN_LIMITS__STREAMS_PER_DEVICE); 0: no limit. */
  readonly perDevice: number;
}

export const STREAM_LIMIT_VARIABLES = {
  perUser: 'GUARDYN_LIMITS__STREAMS_PER_USER',
  perDevice: 'GUARDYN_LIMITS__STREAMS_PER_DEVICE',
} as const;

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perUser: 20, perDevice: 8 };

/** Why a stream was refused: which limit, its value and the variable that sets it. */
export interface StreamRefusal {
  readonly refused: true;
  readonly scope: 'user' | 'device';
  readonly limit: number;
  readonly variable: string;
}

/** A slot held by one stream; `release` is idempotent. */
export interface StreamSlot {
  readonly refused: false;
  release(): void;
}

export class StreamSlots {
  private readonly byUser = new Map<string, number>();
  private readonly byDevice = new Map<string, number>();

  constructor(readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {}

  /** The slots of the configured limits (GuardynConfig.limits). */
  static configured(limits: { readonly streamsPerUser: number; readonly streamsPerDevice: number }): StreamSlots {
    return new StreamSlots({ perUser: limits.streamsPerUser, perDevice: limits.streamsPerDevice });
  }

  /** A slot for a new stream of (userId, deviceId), or the limit it would exceed. */
  acquire(userId: string, deviceId: string): StreamSlot | StreamRefusal {
    const device = `${userId}/${deviceId}`;
    const { perUser, perDevice } = this.limits;
    if (perDevice > 0 && (this.byDevice.get(device) ?? 0) >= perDevice) {
      return { refused: true, scope: 'device', limit: perDevice, variable: STREAM_LIMIT_VARIABLES.perDevice };
    }
    if (perUser > 0 && (this.byUser.get(userId) ?? 0) >= perUser) {
      return { refused: true, scope: 'user', limit: perUser, variable: STREAM_LIMIT_VARIABLES.perUser };
    }
    bump(this.byUser, userId, 1);
    bump(this.byDevice, device, 1);
    let held = true;
    return {
      refused: false,
      release: () => {
        if (!held) return;
        held = false;
        bump(this.byUser, userId, -1);
        bump(this.byDevice, device, -1);
      },
    };
  }

  /** Streams open now: of the user, or of one of its devices. */
  open(userId: string, deviceId?: string): number {
    return (deviceId === undefined ? this.byUser.get(userId) : this.byDevice.get(`${userId}/${deviceId}`)) ?? 0;
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n <= 0) counts.delete(key);
  else counts.set(key, n);
}
