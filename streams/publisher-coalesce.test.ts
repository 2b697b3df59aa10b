/**
 * The publisher's coalescing (streams/publisher.ts, coalesceMs): a publish with
 * nothing else in flight leaves at once; publishes made while others await
 * their acknowledgements wait for the next acknowledgement (or coalesceMs) and
 * leave together; each is still settled by its own acknowledgement only.
 * Against a connection double that records what is handed to the socket; the
 * real server is in publisher.test.ts and log.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamPublisher, type PubAck } from './publisher.ts';

/** A connection that only records publishes (their reply subjects) and lets the test answer them. */
function fakeConnection() {
  const sent: string[] = [];
  let onReply: ((err: Error | null, msg: Msg) => void) | undefined;
  const nc = {
    isClosed: () => false,
    subscribe: (_subject: string, opts: { callback: (err: Error | null, msg: Msg) => void }) => {
      onReply = opts.callback;
      return { unsubscribe: () => undefined };
    },
    publish: (_subject: string, _data: Uint8Array, opts: { reply: string }) => {
      sent.push(opts.reply);
    },
    status: () => ({ [Symbol.asyncIterator]: async function* () {} }),
  } as unknown as NatsConnection;
  const ack = (reply: string, seq: number) => onReply!(null, {
    subject: reply,
    data: new TextEncoder().encode(JSON.stringify({ stream: 'S', seq })),
    headers: undefined,
  } as unknown as Msg);
  return { nc, sent, ack };
}

const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('publisher coalescing', () => {
  it('holds publishes made while others await acknowledgements until the next acknowledgement, then sends them together', async () => {
    const { nc, sent, ack } = fakeConnection();
    const publisher = new JetStreamPublisher(nc, { timeoutMs: 5000, coalesceMs: 60_000 });
    try {
      const first = publisher.publish('s.a', new Uint8Array(1), headers());
      await turn();
      assert.equal(sent.length, 1, 'nothing else in flight: sent at the end of the turn');
      const more: Promise<PubAck>[] = [];
      for (let i = 0; i < 5; i++) more.push(publisher.publish('s.b', new Uint8Array(1), headers()));
      await turn();
      await turn();
      assert.equal(sent.length, 1, 'held while the first awaits its acknowledgement');
      ack(sent[0]!, 1);
      assert.equal((await first).seq, 1);
      await turn();
      assert.equal(sent.length, 6, 'the acknowledgement let the held publishes go, together');
      let settled = 0;
      for (const p of more) void p.then(() => settled++);
      await turn();
      assert.equal(settled, 0, 'a held publish is settled only by its own acknowledgement');
      sent.slice(1).forEach((reply, i) => ack(reply, 2 + i));
      assert.deepEqual((await Promise.all(more)).map((a) => a.seq), [2, 3, 4, 5, 6]);
    } finally {
      publisher.close();
    }
  });

  it('sends held publishes after coalesceMs when no acknowledgement comes', async () => {
    const { nc, sent } = fakeConnection();
    const publisher = new JetStreamPublisher(nc, { timeoutMs: 5000, coalesceMs: 30 });
    try {
      void publisher.publish('s.a', new Uint8Array(1), headers()).catch(() => undefined);
      await turn();
      void publisher.publish('s.b', new Uint8Array(1), headers()).catch(() => undefined);
      await turn();
      assert.equal(sent.length, 1);
      const deadline = Date.now() + 5000;
      while (sent.length < 2 && Date.now() < deadline) await sleep(5);
      assert.equal(sent.length, 2, 'sent once coalesceMs passed');
    } finally {
      publisher.close();
    }
  });

  it('with coalesceMs 0 every turn sends what it published', async () => {
    const { nc, sent } = fakeConnection();
    const publisher = new JetStreamPublisher(nc, { timeoutMs: 5000, coalesceMs: 0 });
    try {
      void publisher.publish('s.a', new Uint8Array(1), headers()).catch(() => undefined);
      await turn();
      void publisher.publish('s.b', new Uint8Array(1), headers()).catch(() => undefined);
      await turn();
      assert.equal(sent.length, 2);
    } finally {
      publisher.close();
    }
  });
});
