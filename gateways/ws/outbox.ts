/**
 * One socket's bounded send queue (slow consumers).
 *
 * Frames go straight to the socket while its transport buffer
 * (`bufferedAmount`: bytes handed to the socket but not yet to the kernel) is
 * under `highWaterBytes`. Beyond it:
 * - stored events (messages, read receipts) are not queued at all: the feed
 *   waits in `whenWritable()` (they stay in the inbox, not in memory);
 * - everything else waits in a queue of at most `maxFrames` frames; when it is
 *   full, the oldest droppable frame (typing, presence, delivery receipts) is
 *   dropped first; with nothing droppable left the socket is a slow consumer
 *   and is closed.
 * A socket whose queue or waiters have made no progress for `stallMs` is
 * closed by `stalled(now)` (the gateway's sweep asks). Memory per socket is
 * thus at most the high-water mark plus `maxFrames` small frames.
 *
 * The frames written to a socket in one turn of the event loop leave in one
 * write (the socket is corked at the first and uncorked on the next tick):
 * live delivery hands a socket every message of a batch of commits in one
 * turn, and each `ws.send` would otherwise be a system call of its own.
 * A frame is text; a Buffer holds its UTF-8 bytes already (a frame built once
 * for many sockets is encoded once, not once per socket).
 */
import type { WebSocket } from 'ws';

/** A frame: its text, or that text's UTF-8 bytes (sent as a text frame all the same). */
export type FrameData = string | Buffer;

/** The transport under a `ws` socket (undefined for stand-ins in tests): corked for a turn of the event loop. */
interface Corkable {
  cork(): void;
  uncork(): void;
  readonly destroyed?: boolean;
}
const transportOf = (ws: WebSocket): Corkable | undefined => (ws as unknown as { _socket?: Corkable })._socket;
const TEXT = { binary: false } as const;

export interface OutboxOptions {
  readonly highWaterBytes: number;
  readonly maxFrames: number;
  readonly stallMs: number;
  /** Called once when the socket must be closed as a slow consumer. */
  readonly onSlow: (reason: string) => void;
  /** Called for every frame dropped (metrics). */
  readonly onDrop?: () => void;
}

interface Queued {
  readonly data: FrameData;
  readonly droppable: boolean;
}

export class Outbox {
  private queue: Queued[] | undefined;
  private waiters: (() => void)[] | undefined;
  /** Since when frames have waited without any write completing (0: nothing waits). */
  private waitingSince = 0;
  private closed = false;
  /** The transport corked until the next tick (writes of this turn coalesce). */
  private corked: Corkable | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly options: OutboxOptions,
  ) {}

  /** Frames queued (for tests and metrics). */
  get queued(): number {
    return this.queue?.length ?? 0;
  }

  private writable(): boolean {
    return this.ws.bufferedAmount < this.options.highWaterBytes;
  }

  private write(data: FrameData): void {
    if (this.corked === undefined) {
      const transport = transportOf(this.ws);
      if (transport !== undefined && transport.destroyed !== true) {
        transport.cork();
        this.corked = transport;
        process.nextTick(this.uncork);
      }
    }
    if (typeof data === 'string') this.ws.send(data, this.flushed);
    else this.ws.send(data, TEXT, this.flushed);
  }

  private readonly uncork = (): void => {
    const transport = this.corked;
    this.corked = undefined;
    transport?.uncork();
  };

  /** A write reached the kernel: move the queue on, then wake the waiters. */
  private readonly flushed = (err?: Error): void => {
    if (err !== undefined || this.closed) return;
    this.waitingSince = this.queue !== undefined || this.waiters !== undefined ? Date.now() : 0;
    const queue = this.queue;
    while (queue !== undefined && queue.length > 0 && this.writable()) this.write(queue.shift()!.data);
    if (queue !== undefined && queue.length === 0) this.queue = undefined;
    if (this.queue === undefined && this.waiters !== undefined && this.writable()) {
      const waiters = this.waiters;
      this.waiters = undefined;
      for (const w of waiters) w();
    }
    if (this.queue === undefined && this.waiters === undefined) this.waitingSince = 0;
  };

  /** Sends a frame that is not a stored event; `droppable` frames go first when the queue is full. */
  push(data: FrameData, droppable: boolean): void {
    if (this.closed) return;
    if (this.queue === undefined && this.writable()) return this.write(data);
    const queue = (this.queue ??= []);
    if (this.waitingSince === 0) this.waitingSince = Date.now();
    if (queue.length >= this.options.maxFrames) {
      if (droppable) return this.options.onDrop?.();
      const i = queue.findIndex((q) => q.droppable);
      if (i < 0) return this.slow('send queue full');
      queue.splice(i, 1);
      this.options.onDrop?.();
    }
    queue.push({ data, droppable });
  }

  /** Resolves when a stored event may be written (nothing queued, transport under the high-water mark). */
  whenWritable(): Promise<void> | undefined {
    if (this.closed || (this.queue === undefined && this.writable())) return undefined;
    if (this.waitingSince === 0) this.waitingSince = Date.now();
    return new Promise<void>((resolve) => (this.waiters ??= []).push(resolve));
  }

  /** Writes a stored event now (after `whenWritable`). */
  send(data: FrameData): void {
    if (!this.closed) this.write(data);
  }

  /** Whether frames have waited longer than the stall limit; if so the socket is closed as slow. */
  checkStall(now: number): boolean {
    if (this.closed || this.waitingSince === 0) return false;
    if (this.queue === undefined && this.waiters === undefined) {
      this.waitingSince = 0;
      return false;
    }
    if (now - this.waitingSince < this.options.stallMs) return false;
    this.slow(`no progress for ${this.options.stallMs} ms`);
    return true;
  }

  private slow(reason: string): void {
    if (this.closed) return;
    this.options.onSlow(reason);
    this.close();
  }

  /** Drops everything and releases the waiters (the socket is gone). */
  close(): void {
    this.closed = true;
    this.queue = undefined;
    const waiters = this.waiters;
    this.waiters = undefined;
    for (const w of waiters ?? []) w();
  }
}
