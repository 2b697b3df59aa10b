/**
 * One core-NATS subscription per subject, shared by every listener of this
 * process that follows it and dropped with the last of them (a user's
 * streams, sockets or devices on one gateway share the user's subject).
 */
import type { Signals, Unsubscribe } from './signals.ts';

export class SharedSubscriptions<T> {
  private readonly bySubject = new Map<string, { unsubscribe: Unsubscribe; listeners: Set<(value: T) => void> }>();

  /** `decode` turns a message into a value, or undefined to drop it. */
  constructor(
    private readonly signals: Signals,
    private readonly decode: (data: Uint8Array) => T | undefined,
  ) {}

  /** Calls `listener` with every decodable message on `subject`; returns the unsubscribe. */
  listen(subject: string, listener: (value: T) => void): () => void {
    let slot = this.bySubject.get(subject);
    if (slot === undefined) {
      const listeners = new Set<(value: T) => void>();
      const unsubscribe = this.signals.subscribe(subject, (signal) => {
        const value = this.decode(signal.data);
        if (value === undefined) return;
        for (const l of [...listeners]) l(value);
      });
      slot = { unsubscribe, listeners };
      this.bySubject.set(subject, slot);
    }
    slot.listeners.add(listener);
    const mine = slot;
    return () => {
      mine.listeners.delete(listener);
      if (mine.listeners.size === 0 && this.bySubject.get(subject) === mine) {
        this.bySubject.delete(subject);
        mine.unsubscribe();
      }
    };
  }
}
