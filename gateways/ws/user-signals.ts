/**
 * Ephemeral signals addressed to a user on core NATS (typing indicators on
 * `typing.user.<userId>`): one subscription per user with sockets on this
 * gateway, shared by that user's sockets and dropped with the last of them.
 * Every gateway instance subscribes for its own users, so a signal published
 * anywhere reaches the sockets wherever they are.
 */
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { decodeTyping, typingSubject, type TypingSignal } from '../../streams/typing.ts';

export type TypingListener = (signal: TypingSignal) => void;

export class TypingRelay {
  private readonly byUser = new Map<string, { sub: Subscription; listeners: Set<TypingListener> }>();

  constructor(private readonly nc: NatsConnection) {}

  listen(userId: string, listener: TypingListener): () => void {
    let slot = this.byUser.get(userId);
    if (slot === undefined) {
      const listeners = new Set<TypingListener>();
      const sub = this.nc.subscribe(typingSubject(userId), {
        callback: (err, msg) => {
          if (err) return;
          const signal = decodeTyping(msg.data);
          if (signal === undefined || signal.toUserId !== userId) return;
          for (const l of listeners) l(signal);
        },
      });
      slot = { sub, listeners };
      this.byUser.set(userId, slot);
    }
    slot.listeners.add(listener);
    const mine = slot;
    return () => {
      mine.listeners.delete(listener);
      if (mine.listeners.size === 0 && this.byUser.get(userId) === mine) {
        this.byUser.delete(userId);
        mine.sub.unsubscribe();
      }
    };
  }
}
