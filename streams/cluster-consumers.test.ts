/**
 * Consumers across a stream leader's death, on a real 3-node cluster: an
 * ordered consumer (as the presence hub and the audit reader use; it lives on
 * the stream's leader, so it dies with it) and a durable R3 pull consumer (as
 * the projections use) both resume with Guardyn's pull options
 * (streams/pull.ts) and deliver every message (the ordered one in order,
 * once), within seconds of the last publish rather than the client
 * library's 30 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { startNatsCluster, type TestNatsCluster } from '../test/support/nats-cluster.ts';
import { serverList } from '../runtime/nats-servers.ts';
import { OrderedFollower, PULL_EXPIRES_MS } from './pull.ts';

describe('consumers when the stream leader dies', { timeout: 120_000 }, () => {
  let cluster: TestNatsCluster;
  let nc: NatsConnection;
  before(async () => {
    cluster = await startNatsCluster();
    const setup = await connect({ servers: serverList(cluster.url) });
    try {
      await (await jetstreamManager(setup)).streams.add({ name: 'FAIL', subjects: ['fail.>'], num_replicas: 3 });
    } finally {
      await setup.close();
    }
    // Connected to a node that does not lead the stream: its connection survives the leader's death,
    // so only the consumers' heartbeats can tell that their pull requests died with it.
    const leader = await cluster.streamLeader('FAIL');
    const other = cluster.nodes.find((n) => n.name !== leader)!;
    nc = await connect({ servers: other.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  });
  after(async () => {
    await nc?.close().catch(() => undefined);
    await cluster?.stop();
  });

  it('an ordered and a durable consumer deliver every message once, in order', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add('FAIL', { durable_name: 'view_test', ack_policy: AckPolicy.Explicit });
    const js = jetstream(nc, { timeout: 1000 });

    const seen = { ordered: [] as number[], durable: [] as number[] };
    const lastAt = { ordered: 0, durable: 0 };
    const follow = async (name: 'ordered' | 'durable', messages: AsyncIterable<JsMsg>) => {
      for await (const m of messages) {
        seen[name].push(Number(m.string()));
        lastAt[name] = Date.now();
        m.ack();
      }
    };
    const ordered = new OrderedFollower(js, 'FAIL', {}, 100);
    const durable = await (await js.consumers.get('FAIL', 'view_test')).consume({ expires: PULL_EXPIRES_MS });
    const loops = [follow('ordered', ordered), follow('durable', durable)];

    /** Publishes n, retrying each with its message id until a leader takes it. */
    const publish = async (n: number) => {
      for (;;) {
        try {
          const h = headers();
          h.set('Nats-Msg-Id', `m${n}`);
          await js.publish(`fail.${n % 7}`, String(n), { headers: h, timeout: 1000 });
          return;
        } catch {
          await sleep(100);
        }
      }
    };
    for (let n = 1; n <= 50; n++) await publish(n);
    const leader = await cluster.streamLeader('FAIL');
    await cluster.kill(leader!);
    for (let n = 51; n <= 100; n++) await publish(n);
    const published = Date.now();

    const deadline = Date.now() + 30_000;
    while ((seen.ordered.length < 100 || seen.durable.length < 100) && Date.now() < deadline) await sleep(100);
    await ordered.close();
    await durable.close();
    await Promise.all(loops);
    const expected = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.deepEqual(seen.ordered, expected, 'the ordered consumer: every message once, in order');
    // A durable consumer delivers at least once (an ack lost with the leader is redelivered; the projections' checkpoints absorb that).
    assert.deepEqual(
      [...new Set(seen.durable)].sort((a, b) => a - b),
      expected,
      'the durable consumer: every message',
    );
    // Without the short pulls an orphaned pull waits for two missed 15 s heartbeats.
    for (const name of ['ordered', 'durable'] as const) {
      assert.ok(
        lastAt[name] - published < 12_000,
        `${name}: caught up ${lastAt[name] - published} ms after the last publish`,
      );
    }
    console.log(
      `# caught up after the last publish: ordered ${lastAt.ordered - published} ms (${ordered.restarts} restart(s) after a stall), durable ${lastAt.durable - published} ms`,
    );
    await cluster.restart(leader!);
  });
});
