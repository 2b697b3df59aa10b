/**
 * Ephemeral signals addressed to a user on core NATS (typing indicators on
 * `typing.user.<userId>`, delivery receipts on `receipts.delivered.<userId>`): one subscription per user with sockets on this
 * gateway, shared by that user's sockets and dropped with the last of them.
 * Every gateway instance subscribes for its own users, so a signal published
 * anywhere reaches the sockets wherever they are.
 */
import type { Signals } from '../../streams/signals.ts';
import { SharedSubscriptions } from '../../streams/shared-subscriptions.ts';
import { decodeDelivered, deliveredSubject, type DeliverySignal } from '../../streams/delivery-receipts.ts';
import { decodeTyping, typingSubject, type TypingSignal } from '../../streams/typing.ts';

export type TypingListener = (signal: TypingSignal) => void;

export class TypingRelay {
  private readonly subscriptions: SharedSubscriptions<TypingSignal>;

  constructor(signals: Signals) {
    this.subscriptions = new SharedSubscriptions(signals, decodeTyping);
  }

  listen(userId: string, listener: TypingListener): () => void {
    return this.subscriptions.listen(typingSubject(userId), (signal) => {
      if (signal.toUserId === userId) listener(signal);
    });
  }
}

/** Delivery receipts addressed to a user (as sender) on `receipts.delivered.<userId>`, shared like typing. */
export class DeliveryRelay {
  private readonly subscriptions: SharedSubscriptions<DeliverySignal>;

  constructor(signals: Signals) {
    this.subscriptions = new SharedSubscriptions(signals, decodeDelivered);
  }

  listen(userId: string, listener: (signal: DeliverySignal) => void): () => void {
    return this.subscriptions.listen(deliveredSubject(userId), (signal) => {
      if (signal.senderUserId === userId) listener(signal);
    });
  }
}
