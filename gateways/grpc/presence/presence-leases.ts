/**
 * Heartbeat leases: a device that calls the presence service (UpdateLastSeen,
 * UpdateStatus, SetTyping) without holding a stream is present while it keeps
 * calling. The first call announces a connection of the device
 * (streams/connections.ts, transport 'grpc'); later calls are activity and
 * extend the lease; `timeoutMs` after the last call the connection ends. A
 * crashed presence process ends its leases through the instance timeout.
 */
import type { ConnectionAnnouncer, ConnectionHandle } from '../../../streams/connections.ts';

interface Lease {
  readonly handle: ConnectionHandle;
  readonly timer: NodeJS.Timeout;
}

export class HeartbeatLeases {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly announcer: ConnectionAnnouncer,
    private readonly timeoutMs: number,
  ) {}

  /** The device called: present (and active) for another `timeoutMs`. */
  touch(userId: string, deviceId: string): void {
    const k = `${userId}|${deviceId}`;
    const lease = this.leases.get(k);
    if (lease !== undefined) {
      lease.handle.activity();
      lease.timer.refresh();
      return;
    }
    const handle = this.announcer.connected(userId, deviceId, 'grpc');
    handle.activity();
    const timer = setTimeout(() => this.end(userId, deviceId), this.timeoutMs);
    timer.unref();
    this.leases.set(k, { handle, timer });
  }

  /** The device signed off (or its lease ran out): its heartbeat connection ends now. */
  end(userId: string, deviceId: string): void {
    const k = `${userId}|${deviceId}`;
    const lease = this.leases.get(k);
    if (lease === undefined) return;
    clearTimeout(lease.timer);
    lease.handle.close();
    this.leases.delete(k);
  }

  get size(): number {
    return this.leases.size;
  }

  stop(): void {
    for (const lease of this.leases.values()) {
      clearTimeout(lease.timer);
      lease.handle.close();
    }
    this.leases.clear();
  }
}
