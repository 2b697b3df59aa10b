import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { natsSignals, type Signals } from './signals.ts';
import { ConnectionAnnouncer, ConnectionTracker, deviceConnectionSubject, type DeviceChange } from './connections.ts';

const U1 = 'user-1';
const U2 = 'user-2';

async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('device connections', () => {
  let server: TestNatsServer;
  const conns: NatsConnection[] = [];
  const nats = async () => {
    const nc = await connect({ servers: server.url });
    conns.push(nc);
    return nc;
  };
  before(async () => {
    server = await withNatsServer();
  });
  after(async () => {
    for (const nc of conns) if (!nc.isClosed()) await nc.close();
    await server.stop();
  });

  it('a device is online from its first connection until its last ends, with one change each way', async () => {
    const announcer = new ConnectionAnnouncer(natsSignals(await nats()));
    const tracker = await ConnectionTracker.start(natsSignals(await nats()));
    const changes: DeviceChange[] = [];
    tracker.onChange((c) => changes.push(c));
    const a = announcer.connected(U1, 'd1', 'ws');
    const b = announcer.connected(U1, 'd1', 'grpc');
    await until('online', () => tracker.isOnline(U1, 'd1'));
    assert.deepEqual(tracker.onlineDevices(U1), ['d1']);
    a.close();
    a.close(); // twice is once
    await sleep(100);
    assert.equal(tracker.isOnline(U1, 'd1'), true, 'one connection is left');
    b.close();
    await until('offline', () => !tracker.isOnline(U1));
    assert.deepEqual(
      changes.map((c) => [c.userId, c.deviceId, c.online]),
      [
        [U1, 'd1', true],
        [U1, 'd1', false],
      ],
    );
    tracker.stop();
    announcer.stop();
  });

  it('a tracker that starts late learns the live connections at once (resync)', async () => {
    const announcer = new ConnectionAnnouncer(natsSignals(await nats()), { beatMs: 60_000 });
    announcer.connected(U2, 'd7', 'ws');
    await sleep(50);
    const tracker = await ConnectionTracker.start(natsSignals(await nats()));
    await until('resynced', () => tracker.isOnline(U2, 'd7'), 1000);
    tracker.stop();
    announcer.stop();
  });

  it('an instance that falls silent (crashed, no clean close) takes its devices offline after the timeout', async () => {
    const gatewayNc = await nats();
    const announcer = new ConnectionAnnouncer(natsSignals(gatewayNc), { beatMs: 100 });
    const tracker = await ConnectionTracker.start(natsSignals(await nats()), { instanceTimeoutMs: 500 });
    announcer.connected('crash-user', 'd1', 'ws');
    await until('online', () => tracker.isOnline('crash-user'));
    // Timed from the start of the close: on a loaded machine the close itself can take longer than the check.
    const started = Date.now();
    await gatewayNc.close(); // no `down` goes out, and no more heartbeats
    await until('offline', () => !tracker.isOnline('crash-user'), 3000);
    assert.ok(Date.now() - started >= 250, 'not before the instance timeout');
    tracker.stop();
  });

  it('a connection whose down was lost is dropped after the heartbeat shows the mismatch', async () => {
    const nc = await nats();
    const announcer = new ConnectionAnnouncer(natsSignals(nc), { beatMs: 100 });
    const tracker = await ConnectionTracker.start(natsSignals(await nats()), { instanceTimeoutMs: 60_000 });
    const live = announcer.connected('lost-user', 'd1', 'ws');
    await until('live seen', () => tracker.isOnline('lost-user', 'd1'));
    const ghost: boolean[] = [];
    tracker.onChange((c) => c.deviceId === 'd2' && ghost.push(c.online));
    // An `up` the instance never had (as if its `down` had been lost).
    nc.publish(
      deviceConnectionSubject('lost-user', 'd2'),
      JSON.stringify({
        kind: 'up',
        userId: 'lost-user',
        deviceId: 'd2',
        connectionId: 'ghost',
        instanceId: announcer.instanceId,
        transport: 'ws',
        at: Date.now(),
      }),
    );
    await until('ghost seen and dropped', () => ghost.length === 2, 3000);
    assert.deepEqual(ghost, [true, false]);
    assert.equal(tracker.isOnline('lost-user', 'd1'), true, 'the live connection stays');
    live.close();
    tracker.stop();
    announcer.stop();
  });

  it('activity is passed on, throttled per connection', async () => {
    const announcer = new ConnectionAnnouncer(natsSignals(await nats()));
    const tracker = await ConnectionTracker.start(natsSignals(await nats()));
    let seen = 0;
    tracker.onActivity((a) => {
      if (a.userId === 'active-user') seen++;
    });
    const c = announcer.connected('active-user', 'd1', 'ws');
    c.activity();
    c.activity();
    c.activity();
    await until('activity', () => seen >= 1);
    await sleep(100);
    assert.equal(seen, 1);
    c.close();
    tracker.stop();
    announcer.stop();
  });

  it('stopping an announcer ends its connections; malformed signals are ignored', async () => {
    const nc = await nats();
    const announcer = new ConnectionAnnouncer(natsSignals(nc));
    const tracker = await ConnectionTracker.start(natsSignals(await nats()));
    nc.publish(deviceConnectionSubject('junk', 'd1'), 'not json');
    nc.publish(deviceConnectionSubject('junk', 'd1'), JSON.stringify({ kind: 'up', userId: 'junk' }));
    announcer.connected('stop-user', 'd1', 'grpc');
    await until('online', () => tracker.isOnline('stop-user'));
    assert.equal(tracker.isOnline('junk'), false);
    announcer.stop();
    await until('offline', () => !tracker.isOnline('stop-user'));
    assert.throws(() => announcer.connected('bad.user', 'd1', 'ws'), /not a valid subject token/);
    tracker.stop();
  });
});

describe('an announcer writes once per turn of the event loop', () => {
  /** Signals that record what the announcer publishes, and when. */
  function fakeSignals() {
    const published: Array<{ subject: string; kind?: string; connectionId?: string; connections?: number }> = [];
    const nc = {
      publish: (subject: string, data?: string) => {
        const v =
          data === undefined
            ? {}
            : (JSON.parse(data) as { kind?: string; connectionId?: string; connections?: number });
        published.push({ subject, kind: v.kind, connectionId: v.connectionId, connections: v.connections });
      },
      subscribe: () => () => undefined,
      flush: () => Promise.resolve(),
      closed: false,
    };
    return { signals: nc as Signals, published };
  }

  it('the signals of one turn leave together after it, in the order they were made', async () => {
    const { signals, published } = fakeSignals();
    const announcer = new ConnectionAnnouncer(signals, { beatMs: 60_000 });
    await new Promise((r) => setImmediate(r));
    published.length = 0;
    const handles = Array.from({ length: 200 }, (_, i) => announcer.connected(U1, `d${i}`, 'ws'));
    handles[0]!.close();
    assert.equal(published.length, 0, 'nothing is written during the turn');
    await new Promise((r) => setImmediate(r));
    assert.equal(published.length, 201, 'all of them right after it');
    assert.deepEqual(
      published.slice(0, 2).map((p) => p.kind),
      ['up', 'up'],
    );
    assert.equal(published[0]!.subject, deviceConnectionSubject(U1, 'd0'));
    assert.deepEqual(published.at(-1), {
      subject: deviceConnectionSubject(U1, 'd0'),
      kind: 'down',
      connectionId: handles[0]!.connectionId,
      connections: undefined,
    });
    announcer.stop();
  });

  it('stop() writes what is queued and the downs at once (the NATS connection may close next)', () => {
    const { signals, published } = fakeSignals();
    const announcer = new ConnectionAnnouncer(signals, { beatMs: 60_000 });
    announcer.connected(U1, 'd1', 'ws');
    announcer.stop();
    assert.deepEqual(
      published.map((p) => p.kind ?? `beat ${p.connections}`),
      ['beat 0', 'up', 'down'],
    );
  });
});
