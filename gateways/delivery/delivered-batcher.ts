/**
 * Delivery receipts of the device feeds of one gateway process, gathered for a moment before they
 * are published: one signal per sender, conversation and recipient device per BATCH_MS (at most
 * MAX_IDS message ids), instead of one per hand-out. At a steady rate of 1:1 messages every
 * message is handed out in a turn of the event loop of its own, and every publish in its own turn
 * is a write of the NATS connection of its own; gathered, the receipts of many turns leave in one.
 * A receipt is a hint (streams/delivery-receipts.ts): the sender sees it BATCH_MS later at most.
 */
import type { Signals } from '../../streams/signals.ts';
import { publishDelivered, type DeliverySignal } from '../../streams/delivery-receipts.ts';

export const BATCH_MS = 10;
/** Message ids in one signal at most; a longer list leaves at once. */
export const MAX_IDS = 500;

export class DeliveredBatcher {
  private readonly held = new Map<string, { signal: DeliverySignal; ids: string[] }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly signals: Signals,
    private readonly batchMs = BATCH_MS,
  ) {}

  /** Signals that `signal.messageIds` reached the recipient's device (published within batchMs). */
  add(signal: DeliverySignal): void {
    if (signal.messageIds.length === 0) return;
    const key = `${signal.senderUserId}\u0000${signal.conversationId}\u0000${signal.recipientUserId}\u0000${signal.recipientDeviceId}`;
    let entry = this.held.get(key);
    if (entry === undefined) this.held.set(key, (entry = { signal, ids: [] }));
    entry.ids.push(...signal.messageIds);
    entry.signal = signal;
    if (entry.ids.length >= MAX_IDS) {
      this.held.delete(key);
      this.publish(entry);
      return;
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.batchMs);
      this.timer.unref();
    }
  }

  /** Publishes everything held now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = [...this.held.values()];
    this.held.clear();
    for (const entry of entries) this.publish(entry);
  }

  private publish(entry: { signal: DeliverySignal; ids: string[] }): void {
    for (let i = 0; i < entry.ids.length; i += MAX_IDS)
      publishDelivered(this.signals, { ...entry.signal, messageIds: entry.ids.slice(i, i + MAX_IDS) });
  }
}
