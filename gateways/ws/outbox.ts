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
 */
import type { WebSocket } from 'ws';

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
  readonly data: string;
  readonly droppable: boolean;
}

export class Outbox {
  private queue: Queued[] | undefined;
  private waiters: (() => void)[] | undefined;
  /** Since when frames have waited without any write completing (0: nothing waits). */
  private waitingSince = 0;
  private closed = false;

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

  private write(data: string): void {
    this.ws.send(data, this.flushed);
  }

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
  push(data: string, droppable: boolean): void {
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
  send(data: string): void {
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
