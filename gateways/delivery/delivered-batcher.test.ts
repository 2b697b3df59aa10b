/**
 * Delivery receipts gathered for a moment: the hand-outs of many turns of the event loop leave as
 * one signal per sender, conversation and recipient device, with every message id, in order.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Signals } from '../../streams/signals.ts';
import { decodeDelivered, deliveredSubject, type DeliverySignal } from '../../streams/delivery-receipts.ts';
import { DeliveredBatcher, MAX_IDS } from './delivered-batcher.ts';

function recordingSignals() {
  const published: { subject: string; signal: DeliverySignal }[] = [];
  const signals = {
    closed: false,
    publish(subject: string, data?: Uint8Array | string) {
      published.push({ subject, signal: decodeDelivered(Buffer.from(data ?? ''))! });
    },
  } as unknown as Signals;
  return { signals, published };
}

const receipt = (ids: string[], device = 'dev-r', conversationId = 'c1'): DeliverySignal => ({
  senderUserId: 'sender',
  recipientUserId: 'recipient',
  recipientDeviceId: device,
  conversationId,
  messageIds: ids,
  at: 1000 + ids.length,
});

const turn = () => new Promise((r) => setImmediate(r));
const until = async (done: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe('DeliveredBatcher', () => {
  it('gathers the receipts of several turns into one signal per sender, conversation and device', async () => {
    const { signals, published } = recordingSignals();
    const batcher = new DeliveredBatcher(signals, 50);
    batcher.add(receipt(['m1']));
    await turn();
    batcher.add(receipt(['m2', 'm3']));
    await turn();
    batcher.add(receipt(['m4'], 'dev-other'));
    batcher.add(receipt(['m5'], 'dev-r', 'c2'));
    assert.equal(published.length, 0, 'nothing leaves before the moment is over');
    await until(() => published.length >= 3);
    assert.equal(published.length, 3);
    assert.ok(published.every((p) => p.subject === deliveredSubject('sender')));
    const byKey = new Map(published.map((p) => [`${p.signal.conversationId}/${p.signal.recipientDeviceId}`, p.signal]));
    assert.deepEqual(byKey.get('c1/dev-r')?.messageIds, ['m1', 'm2', 'm3']);
    assert.deepEqual(byKey.get('c1/dev-other')?.messageIds, ['m4']);
    assert.deepEqual(byKey.get('c2/dev-r')?.messageIds, ['m5']);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(published.length, 3, 'each id once');
  });

  it(`sends a list of ${MAX_IDS} ids at once, and nothing for an empty one`, () => {
    const { signals, published } = recordingSignals();
    const batcher = new DeliveredBatcher(signals, 60_000);
    batcher.add(receipt([]));
    const ids = Array.from({ length: MAX_IDS + 3 }, (_, i) => `m${i}`);
    batcher.add(receipt(ids));
    assert.deepEqual(
      published.map((p) => p.signal.messageIds.length),
      [MAX_IDS, 3],
    );
    assert.deepEqual(
      published.flatMap((p) => p.signal.messageIds),
      ids,
    );
    batcher.flush();
    assert.equal(published.length, 2, 'nothing was left held');
  });
});
