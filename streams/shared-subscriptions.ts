/**
 * One core-NATS subscription per subject, shared by every listener of this
 * process that follows it and dropped with the last of them (a user's
 * streams, sockets or devices on one gateway share the user's subject).
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

export class SharedSubscriptions<T> {
  private readonly bySubject = new Map<string, { sub: Subscription; listeners: Set<(value: T) => void> }>();

  /** `decode` turns a message into a value, or undefined to drop it. */
  constructor(
    private readonly nc: NatsConnection,
    private readonly decode: (data: Uint8Array) => T | undefined,
  ) {}

  /** Calls `listener` with every decodable message on `subject`; returns the unsubscribe. */
  listen(subject: string, listener: (value: T) => void): () => void {
    let slot = this.bySubject.get(subject);
    if (slot === undefined) {
      const listeners = new Set<(value: T) => void>();
      const sub = this.nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) return;
          const value = this.decode(msg.data);
          if (value === undefined) return;
          for (const l of [...listeners]) l(value);
        },
      });
      slot = { sub, listeners };
      this.bySubject.set(subject, slot);
    }
    slot.listeners.add(listener);
    const mine = slot;
    return () => {
      mine.listeners.delete(listener);
      if (mine.listeners.size === 0 && this.bySubject.get(subject) === mine) {
        this.bySubject.delete(subject);
        mine.sub.unsubscribe();
      }
    };
  }
}
