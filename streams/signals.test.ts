import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { connectSignals, type OwnedSignals, type Signal } from './signals.ts';

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('signals (core NATS publish/subscribe)', () => {
  let server: TestNatsServer;
  let a: OwnedSignals;
  let b: OwnedSignals;
  before(async () => {
    server = await withNatsServer();
    [a, b] = await Promise.all([connectSignals(server.url), connectSignals(server.url)]);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  it('delivers what is published on a matching subject, in order, until unsubscribed', async () => {
    const got: Signal[] = [];
    const stop = b.subscribe('test.signal.*', (s) => got.push(s));
    await b.flush();
    a.publish('test.signal.one', 'first');
    a.publish('test.signal.two', Buffer.from('second'));
    a.publish('test.other.one', 'not for it');
    await a.flush();
    await until('two signals', () => got.length >= 2);
    assert.deepEqual(
      got.map((s) => [s.subject, Buffer.from(s.data).toString()]),
      [
        ['test.signal.one', 'first'],
        ['test.signal.two', 'second'],
      ],
    );
    stop();
    stop(); // twice is once
    await b.flush();
    a.publish('test.signal.three', 'after');
    const probe: Signal[] = [];
    const stopProbe = b.subscribe('test.signal.>', (s) => probe.push(s));
    await b.flush();
    a.publish('test.signal.four', 'marker');
    await until('the marker', () => probe.length >= 1);
    stopProbe();
    assert.equal(got.length, 2, 'nothing after the unsubscribe');
  });

  it('a listener that throws keeps its subscription', async () => {
    let calls = 0;
    const stop = b.subscribe('test.throwing', () => {
      calls++;
      throw new Error('listener fault');
    });
    await b.flush();
    a.publish('test.throwing', '1');
    a.publish('test.throwing', '2');
    await until('both signals', () => calls === 2);
    stop();
  });

  it('publishing refuses a bad subject, and nothing is sent once closed', async () => {
    assert.throws(() => a.publish('', 'x'));
    const c = await connectSignals(server.url);
    assert.equal(c.closed, false);
    await c.close();
    assert.equal(c.closed, true);
    assert.throws(() => c.publish('test.closed', 'x'));
  });
});
