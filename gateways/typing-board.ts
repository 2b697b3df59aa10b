/**
 * Who is typing to whom right now, for GetStatus's `is_typing`: follows every
 * typing signal (core NATS `typing.user.>`, streams/typing.ts) and remembers
 * a "typing" for TYPING_TTL_MS unless a "stopped" comes first, since a client
 * that vanishes mid-word never sends one. Memory: one entry per live typist
 * pair, expired ones swept.
 */
import type { Signals, Unsubscribe } from '../streams/signals.ts';
import { subscribeTyping } from '../streams/typing.ts';

/** How long a typing signal counts without a repeat (clients repeat it every few seconds while typing). */
export const TYPING_TTL_MS = 6000;

export class TypingBoard {
  private readonly until = new Map<string, number>();
  private readonly unsubscribe: Unsubscribe;
  private readonly timer: NodeJS.Timeout;

  constructor(
    signals: Signals,
    private readonly ttlMs = TYPING_TTL_MS,
  ) {
    this.unsubscribe = subscribeTyping(signals, undefined, (signal) => {
      const k = `${signal.fromUserId}|${signal.toUserId}`;
      if (signal.isTyping) this.until.set(k, Date.now() + this.ttlMs);
      else this.until.delete(k);
    });
    this.timer = setInterval(() => {
      const now = Date.now();
      for (const [k, t] of this.until) if (t <= now) this.until.delete(k);
    }, this.ttlMs);
    this.timer.unref();
  }

  /** Whether `fromUserId` is typing to `toUserId` now. */
  isTyping(fromUserId: string, toUserId: string): boolean {
    return (this.until.get(`${fromUserId}|${toUserId}`) ?? 0) > Date.now();
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }
}
