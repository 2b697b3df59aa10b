/**
 * Device connections: which devices hold a live connection (a WebSocket or a
 * ReceiveMessages stream) to some gateway instance right now.
 *
 * Gateways announce on core NATS (never stored: no stream captures
 * `connections.>`); presence and the push projection follow the announcements
 * with a `ConnectionTracker`. Signals:
 *
 * - `connections.device.<userId>.<deviceId>`: `up`, `down` and `active` (client
 *   activity, at most once per ACTIVITY_EVERY_MS per connection) of one
 *   connection, named by its id and its gateway instance;
 * - `connections.instance.<instanceId>`: the instance's heartbeat every
 *   `beatMs`. When an instance falls silent for `instanceTimeoutMs` (crashed or
 *   cut off), its connections count as ended;
 * - `connections.sync`: a tracker that starts asks every announcer to repeat
 *   its live connections (`up`), so a restarted presence process knows who is
 *   online without waiting.
 *
 * An announcer's signals leave together once per turn of the event loop (in the order they were
 * made): the NATS client writes once per turn, so 200 sockets authenticated in one turn cost
 * one write, not 200.
 *
 * Delivery is at most once (core NATS). A lost `down` is healed by the
 * instance's next heartbeat (which carries its connection count; a mismatch
 * triggers a resync of that instance) and a lost `up` likewise.
 */
import { randomUUID } from 'node:crypto';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Signals, Unsubscribe } from './signals.ts';
import { token } from './subjects.ts';

export const CONNECTIONS_PREFIX = 'connections.';
export const SYNC_SUBJECT = 'connections.sync';
export const deviceConnectionSubject = (userId: string, deviceId: string): string =>
  `connections.device.${token(userId, 'user id')}.${token(deviceId, 'device id')}`;
export const instanceSubject = (instanceId: string): string =>
  `connections.instance.${token(instanceId, 'instance id')}`;
const syncInstanceSubject = (instanceId: string): string => `${SYNC_SUBJECT}.${token(instanceId, 'instance id')}`;

export const ACTIVITY_EVERY_MS = 30_000;

export type Transport = 'ws' | 'grpc';

const DeviceSignal = t.type({
  kind: t.keyof({ up: null, down: null, active: null }),
  userId: t.string,
  deviceId: t.string,
  connectionId: t.string,
  instanceId: t.string,
  transport: t.keyof({ ws: null, grpc: null }),
  at: t.number,
});
export type DeviceSignal = t.TypeOf<typeof DeviceSignal>;

/** `resyncs`: how many resync requests the instance has answered (a tracker waits for the count to move). */
const InstanceBeat = t.type({ instanceId: t.string, connections: t.number, resyncs: t.number, at: t.number });
type InstanceBeat = t.TypeOf<typeof InstanceBeat>;

function decode<A>(codec: t.Decoder<unknown, A>, data: Uint8Array): A | undefined {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return undefined;
  }
  const r = codec.decode(v);
  return isLeft(r) ? undefined : r.right;
}

const encode = (v: unknown): string => JSON.stringify(v);

/** One live connection as its gateway holds it. */
export interface ConnectionHandle {
  readonly connectionId: string;
  /** The client did something (a frame, a request): feeds idle detection (AWAY). */
  activity(): void;
  /** The connection ended; announces `down` once. */
  close(): void;
}

/**
 * The announcing side, one per gateway process: every connection it accepts
 * is announced `up` and, when it ends, `down`; a heartbeat proves the instance
 * is alive.
 */
export class ConnectionAnnouncer {
  readonly instanceId: string;
  private readonly live = new Map<string, DeviceSignal>();
  private readonly lastActivity = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private readonly subs: Unsubscribe[];
  private stopped = false;
  private resyncs = 0;
  /** Signals made during this turn of the event loop, published together after it (in order). */
  private outgoing: Array<readonly [string, string]> = [];
  private flushing: NodeJS.Immediate | undefined;

  constructor(
    private readonly signals: Signals,
    options: { beatMs?: number; instanceId?: string } = {},
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    token(this.instanceId, 'instance id');
    this.timer = setInterval(() => this.beat(), options.beatMs ?? 5000);
    this.timer.unref();
    const resync = () => {
      for (const signal of this.live.values())
        this.send(deviceConnectionSubject(signal.userId, signal.deviceId), encode({ ...signal, at: Date.now() }));
      this.resyncs++;
      this.beat();
    };
    this.subs = [
      signals.subscribe(SYNC_SUBJECT, resync),
      signals.subscribe(syncInstanceSubject(this.instanceId), resync),
    ];
    this.beat();
  }

  get size(): number {
    return this.live.size;
  }

  connected(userId: string, deviceId: string, transport: Transport): ConnectionHandle {
    const subject = deviceConnectionSubject(userId, deviceId);
    const connectionId = randomUUID();
    const up: DeviceSignal = {
      kind: 'up',
      userId,
      deviceId,
      connectionId,
      instanceId: this.instanceId,
      transport,
      at: Date.now(),
    };
    this.live.set(connectionId, up);
    this.send(subject, encode(up));
    let closed = false;
    return {
      connectionId,
      activity: () => {
        if (closed || this.stopped) return;
        const now = Date.now();
        if (now - (this.lastActivity.get(connectionId) ?? 0) < ACTIVITY_EVERY_MS) return;
        this.lastActivity.set(connectionId, now);
        this.send(subject, encode({ ...up, kind: 'active', at: now }));
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.live.delete(connectionId);
        this.lastActivity.delete(connectionId);
        if (!this.stopped && !this.signals.closed) this.send(subject, encode({ ...up, kind: 'down', at: Date.now() }));
      },
    };
  }

  private beat(): void {
    if (this.stopped || this.signals.closed) return;
    const beat: InstanceBeat = {
      instanceId: this.instanceId,
      connections: this.live.size,
      resyncs: this.resyncs,
      at: Date.now(),
    };
    // Behind the signals queued before it: a beat never counts a connection whose `up` has not left.
    this.send(instanceSubject(this.instanceId), encode(beat));
  }

  /** Queues a signal; the queue is published after this turn of the event loop. */
  private send(subject: string, data: string): void {
    this.outgoing.push([subject, data]);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    this.flushing = undefined;
    const out = this.outgoing;
    this.outgoing = [];
    if (this.signals.closed) return;
    for (const [subject, data] of out) this.signals.publish(subject, data);
  }

  /** Announces `down` for every live connection and stops beating. */
  stop(): void {
    if (this.stopped) return;
    clearInterval(this.timer);
    for (const unsubscribe of this.subs) unsubscribe();
    for (const signal of this.live.values())
      this.send(
        deviceConnectionSubject(signal.userId, signal.deviceId),
        encode({ ...signal, kind: 'down', at: Date.now() }),
      );
    // What was queued leaves now: the caller may close the NATS connection next.
    this.flush();
    this.live.clear();
    this.stopped = true;
  }
}

/** A device's online state changed (its first connection came up, or its last ended). */
export interface DeviceChange {
  readonly userId: string;
  readonly deviceId: string;
  readonly online: boolean;
  /** ms: when it came online / went offline. */
  readonly at: number;
}

/** Client activity on some connection of a device (throttled by the announcer). */
export interface DeviceActivity {
  readonly userId: string;
  readonly deviceId: string;
  readonly at: number;
}

interface TrackedConnection {
  readonly userId: string;
  readonly deviceId: string;
  readonly instanceId: string;
}

interface TrackedInstance {
  lastBeat: number;
  readonly connections: Set<string>;
  /** During a resync: connections not yet repeated by the instance; gone at its next beat. */
  pending?: Set<string>;
  /** The instance's resync count when `pending` was taken. */
  pendingSince?: number;
}

/**
 * The following side: an in-memory picture of every live connection of every
 * gateway instance, with change and activity listeners. Start it with
 * `ConnectionTracker.start` (it subscribes, then asks announcers to resync).
 */
export class ConnectionTracker {
  private readonly connections = new Map<string, TrackedConnection>();
  /** userId → deviceId → live connection ids */
  private readonly byUser = new Map<string, Map<string, Set<string>>>();
  private readonly instances = new Map<string, TrackedInstance>();
  private readonly changeListeners = new Set<(c: DeviceChange) => void>();
  private readonly activityListeners = new Set<(a: DeviceActivity) => void>();
  private unsubscribe: Unsubscribe | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly signals: Signals,
    private readonly instanceTimeoutMs: number,
  ) {}

  static async start(signals: Signals, options: { instanceTimeoutMs?: number } = {}): Promise<ConnectionTracker> {
    const tracker = new ConnectionTracker(signals, options.instanceTimeoutMs ?? 15_000);
    tracker.unsubscribe = signals.subscribe(`${CONNECTIONS_PREFIX}>`, (msg) => {
      if (msg.subject.startsWith('connections.device.')) {
        const signal = decode(DeviceSignal, msg.data);
        if (signal) tracker.onSignal(signal);
      } else if (msg.subject.startsWith('connections.instance.')) {
        const beat = decode(InstanceBeat, msg.data);
        if (beat) tracker.onBeat(beat);
      }
    });
    await signals.flush();
    signals.publish(SYNC_SUBJECT);
    await signals.flush();
    const every = Math.max(100, Math.floor(tracker.instanceTimeoutMs / 3));
    tracker.timer = setInterval(() => tracker.expireInstances(), every);
    tracker.timer.unref();
    return tracker;
  }

  onChange(listener: (c: DeviceChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onActivity(listener: (a: DeviceActivity) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  isOnline(userId: string, deviceId?: string): boolean {
    const devices = this.byUser.get(userId);
    if (!devices) return false;
    return deviceId === undefined ? devices.size > 0 : devices.has(deviceId);
  }

  onlineDevices(userId: string): string[] {
    return [...(this.byUser.get(userId)?.keys() ?? [])];
  }

  /** Live connections known, over all instances. */
  get size(): number {
    return this.connections.size;
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.changeListeners.clear();
    this.activityListeners.clear();
  }

  private instance(instanceId: string, at: number): TrackedInstance {
    let inst = this.instances.get(instanceId);
    if (!inst) {
      inst = { lastBeat: at, connections: new Set() };
      this.instances.set(instanceId, inst);
    }
    return inst;
  }

  private onSignal(s: DeviceSignal): void {
    if (s.kind === 'up') {
      const now = Date.now();
      const inst = this.instance(s.instanceId, now);
      inst.pending?.delete(s.connectionId);
      if (this.connections.has(s.connectionId)) return;
      inst.connections.add(s.connectionId);
      this.connections.set(s.connectionId, { userId: s.userId, deviceId: s.deviceId, instanceId: s.instanceId });
      let devices = this.byUser.get(s.userId);
      if (!devices) this.byUser.set(s.userId, (devices = new Map()));
      let ids = devices.get(s.deviceId);
      if (!ids) devices.set(s.deviceId, (ids = new Set()));
      ids.add(s.connectionId);
      if (ids.size === 1) this.emit({ userId: s.userId, deviceId: s.deviceId, online: true, at: s.at });
    } else if (s.kind === 'down') {
      this.remove(s.connectionId, s.at);
    } else {
      if (!this.connections.has(s.connectionId)) this.onSignal({ ...s, kind: 'up' });
      for (const l of this.activityListeners) l({ userId: s.userId, deviceId: s.deviceId, at: s.at });
    }
  }

  private onBeat(beat: InstanceBeat): void {
    const inst = this.instance(beat.instanceId, Date.now());
    inst.lastBeat = Date.now();
    if (inst.pending) {
      if (beat.resyncs <= (inst.pendingSince ?? 0)) return; // the resync has not been answered yet
      // What the instance did not repeat in its resync has ended (its `down` was lost).
      for (const id of inst.pending) this.remove(id, beat.at);
      delete inst.pending;
    }
    // A lost up or down shows as a count mismatch: ask that instance to repeat its connections.
    if (inst.connections.size !== beat.connections) {
      if (inst.connections.size > beat.connections) {
        inst.pending = new Set(inst.connections);
        inst.pendingSince = beat.resyncs;
      }
      this.signals.publish(syncInstanceSubject(beat.instanceId));
    }
  }

  private remove(connectionId: string, at: number): void {
    const c = this.connections.get(connectionId);
    if (!c) return;
    this.connections.delete(connectionId);
    this.instances.get(c.instanceId)?.connections.delete(connectionId);
    const devices = this.byUser.get(c.userId);
    const ids = devices?.get(c.deviceId);
    if (!devices || !ids) return;
    ids.delete(connectionId);
    if (ids.size > 0) return;
    devices.delete(c.deviceId);
    if (devices.size === 0) this.byUser.delete(c.userId);
    this.emit({ userId: c.userId, deviceId: c.deviceId, online: false, at });
  }

  private expireInstances(): void {
    const now = Date.now();
    for (const [id, inst] of this.instances) {
      if (now - inst.lastBeat < this.instanceTimeoutMs) continue;
      for (const c of [...inst.connections]) this.remove(c, now);
      this.instances.delete(id);
    }
  }

  private emit(change: DeviceChange): void {
    for (const l of this.changeListeners) l(change);
  }
}
