import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import {
  DeliverPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  type OrderedConsumerOptions,
} from '@nats-io/jetstream';

/**
 * Options of Guardyn's long-running pull consumers (`consumer.consume`). A pull
 * request lives on the consumer's leader; when that leader dies or moves (a
 * NATS node lost, a consumer re-elected), the request is gone and the client
 * only notices after two missed idle heartbeats. The client library's default
 * pull expiry (30 s, heartbeat every 15 s) would leave a view or a worker
 * still for 30 s after a failover; 5 s pulls (heartbeat 2.5 s) bound that to
 * about 5 s, for one small pull request per 5 s while idle.
 */
export const PULL_EXPIRES_MS = 5000;

/**
 * Heartbeats missed in a row after which a consumer counts as stalled. The client library
 * re-pulls after two missed heartbeats when it can still reach the consumer; an ordered
 * consumer lives on one server (R1), and when that server is dead the library's check of the
 * consumer gets no answer and it waits for that server forever. Four misses (10 s at 5 s pulls)
 * is past a Raft election (at most 9 s), so a consumer that can recover by itself has.
 */
export const STALL_MISSES = 4;

/** Calls `onStall` once when `messages` missed STALL_MISSES heartbeats in a row. */
export function watchStall(messages: ConsumerMessages, onStall: () => void): void {
  void (async () => {
    for await (const s of messages.status()) {
      if (s.type === 'heartbeats_missed' && s.count >= STALL_MISSES) {
        onStall();
        return;
      }
    }
  })().catch(() => undefined);
}

/**
 * An ordered consumer of `stream` that outlives the server holding it: when it stalls
 * (watchStall), it is closed and created again from the sequence after the last message it
 * gave, retrying while the stream has no leader. Messages come in stream order, each once.
 */
export class OrderedFollower implements AsyncIterable<JsMsg> {
  private messages: ConsumerMessages | undefined;
  private closed = false;
  /** Times the consumer was created again after a stall. */
  restarts = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly stream: string,
    private readonly config: Partial<OrderedConsumerOptions>,
    private readonly maxMessages: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<JsMsg> {
    let last = 0;
    while (!this.closed) {
      const from: Partial<OrderedConsumerOptions> =
        last === 0 ? {} : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 };
      // A fresh name each time: the stalled consumer's name may still be held where it lived.
      const config: Partial<OrderedConsumerOptions> = { ...this.config, ...from, name_prefix: freshConsumerPrefix() };
      let messages: ConsumerMessages;
      try {
        messages = await (await this.js.consumers.get(this.stream, config)).consume({
          max_messages: this.maxMessages,
          expires: PULL_EXPIRES_MS,
        });
      } catch (err) {
        if (this.closed) return;
        if (last === 0 && this.restarts === 0) throw err;
        await sleep(1000);
        continue;
      }
      this.messages = messages;
      if (this.closed) {
        await messages.close().catch(() => undefined);
        return;
      }
      let stalled = false;
      watchStall(messages, () => {
        stalled = true;
        void messages.close().catch(() => undefined);
      });
      for await (const m of messages) {
        last = m.seq;
        yield m;
      }
      if (!stalled) return;
      this.restarts++;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.messages?.close().catch(() => undefined);
  }
}

/** A name prefix no consumer had: a consumer created again after a stall must not reuse the stalled one's name. */
export function freshConsumerPrefix(): string {
  return `guardyn_${randomUUID().replaceAll('-', '')}`;
}
