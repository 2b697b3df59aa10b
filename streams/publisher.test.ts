/**
 * The publisher's retries against a real nats-server: a commit that meets no
 * stream leader (503, as during an election) is sent again with the same
 * Nats-Msg-Id and stored once when the stream answers; a message without an id
 * is never sent twice; the budget ends in LogUnavailable. And the server list
 * of GUARDYN_MESSAGING__NATS_URL: checked by name, and enough to start while a
 * listed server is down.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { ConfigError, loadConfig } from '../runtime/config.ts';
import { LogUnavailable } from './errors.ts';
import { JetStreamPublisher } from './publisher.ts';
import { parseServerList } from '../runtime/nats-servers.ts';
import { EventLog } from './log.ts';
import { eventRegistry } from './events/index.ts';
import { silentLogger } from '../runtime/logger.ts';
import { freePort } from '../test/support/nats-cluster.ts';

describe('the publisher against a real nats-server', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  before(async () => {
    nats = await withNatsServer();
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
  });
  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  it('sends a message with an id again until the stream answers, and it is stored once', async () => {
    const publisher = new JetStreamPublisher(nc, {
      timeoutMs: 4000,
      resend: true,
      attemptMs: 300,
      noResponderBackoffMs: 50,
    });
    try {
      const h = headers();
      h.set('Nats-Msg-Id', 'retry-1');
      const acked = publisher.publish('late.a', new Uint8Array([1]), h);
      await sleep(400);
      await jsm.streams.add({ name: 'LATE', subjects: ['late.>'], duplicate_window: 60e9 });
      const ack = await acked;
      assert.equal(ack.stream, 'LATE');
      assert.equal(ack.seq, 1);
      assert.ok(ack.attempts > 1, `sent ${ack.attempts} times`);
      // A late send of the same id (a resend racing the first ack) is refused as a duplicate.
      const again = await publisher.publish('late.a', new Uint8Array([1]), h);
      assert.deepEqual([again.seq, again.duplicate], [1, true]);
      assert.equal((await jsm.streams.info('LATE')).state.messages, 1);
    } finally {
      publisher.close();
    }
  });

  it('a message without an id, or a publisher without resends, sends once: no responders fails at once', async () => {
    const withId = headers();
    withId.set('Nats-Msg-Id', 'once');
    for (const [publisher, h] of [
      [new JetStreamPublisher(nc, { timeoutMs: 3000, resend: true, attemptMs: 100 }), headers()],
      [new JetStreamPublisher(nc, 3000), withId],
    ] as const) {
      try {
        const t0 = Date.now();
        await assert.rejects(
          publisher.publish('nowhere.a', new Uint8Array([1]), h),
          (err: Error) => err instanceof LogUnavailable && /no JetStream stream answered/.test(err.message),
        );
        assert.ok(Date.now() - t0 < 1000, 'answered without waiting for the budget');
      } finally {
        publisher.close();
      }
    }
  });

  it('gives up with LogUnavailable when the budget is spent', async () => {
    const publisher = new JetStreamPublisher(nc, {
      timeoutMs: 600,
      resend: true,
      attemptMs: 200,
      noResponderBackoffMs: 50,
    });
    try {
      const h = headers();
      h.set('Nats-Msg-Id', 'never');
      const t0 = Date.now();
      await assert.rejects(publisher.publish('nowhere.b', new Uint8Array([1]), h), LogUnavailable);
      const took = Date.now() - t0;
      assert.ok(took >= 400 && took < 2000, `gave up after ${took} ms`);
    } finally {
      publisher.close();
    }
  });
});

describe('connecting through a server list', () => {
  let nats: TestNatsServer;
  before(async () => {
    nats = await withNatsServer();
  });
  after(async () => {
    await nats?.stop();
  });

  it('starts while a listed server is down, whichever order the list is tried in', async () => {
    const down = `nats://127.0.0.1:${await freePort()}`;
    for (const url of [`${down},${nats.url}`, `${nats.url},${down}`]) {
      const log = await EventLog.connect(url, eventRegistry, silentLogger);
      try {
        assert.equal(log.nc.getServer(), nats.url.slice('nats://'.length), url);
      } finally {
        await log.close();
      }
    }
  });
});

describe('GUARDYN_MESSAGING__NATS_URL', () => {
  it('takes one URL or a comma-separated list of servers', () => {
    assert.equal(loadConfig({ GUARDYN_MESSAGING__NATS_URL: 'nats://a:4222' }).natsUrl, 'nats://a:4222');
    assert.equal(
      loadConfig({ GUARDYN_MESSAGING__NATS_URL: 'nats://a:4222, nats://b:4222 ,c:4222' }).natsUrl,
      'nats://a:4222,nats://b:4222,c:4222',
    );
    assert.equal(loadConfig({}).natsUrl, undefined);
    assert.deepEqual(parseServerList('tls://n0:4222,wss://n1:443'), {
      ok: true,
      servers: ['tls://n0:4222', 'wss://n1:443'],
    });
  });

  it('refuses a bad list naming the variable and the entry', () => {
    const cases: [string, RegExp][] = [
      ['http://a:4222', /is not a NATS URL/],
      ['nats://a:4222,,nats://b:4222', /entry 2 is empty/],
      ['nats://a:4222,b', /entry 2 \("b"\) is not a NATS URL/],
      ['nats://a:4222,nats://a:4222', /entry 2 .* listed twice/],
      ['nats://a:4222,', /entry 2 is empty/],
      ['nats://a b:4222', /not a NATS URL/],
    ];
    for (const [value, reason] of cases) {
      assert.throws(
        () => loadConfig({ GUARDYN_MESSAGING__NATS_URL: value }),
        (err: Error) =>
          err instanceof ConfigError && err.message.includes('GUARDYN_MESSAGING__NATS_URL') && reason.test(err.message),
        value,
      );
    }
  });
});
