import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from '../streams/log.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { openEmbeddedStores, type EmbeddedStores } from '../stores/embedded.ts';
import { key } from '../stores/kv/keys.ts';
import { allProjections } from '../projections/index.ts';
import { catchUpView } from '../projections/runtime/rebuild.ts';
import { rebuildBesideLive } from './blue-green.ts';
import { ChainedAppender, seedConversations, sendMessage, T0 } from './fixtures.ts';

describe('rebuild --verify (blue/green)', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  let live: EmbeddedStores;

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bluegreen-'));
    live = await openEmbeddedStores(path.join(dir, 'views'));
    await seedConversations(log, 3, 3);
    const projections = allProjections(live, log);
    for (const view of ['conversations', 'timeline', 'inbox'] as const)
      await catchUpView(log, projections[view], silentLogger);
  });
  after(async () => {
    await live?.close();
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const greenDir = () => path.join(dir, 'views-green');

  it('a faithful live view compares equal, and the new version is removed afterwards', async () => {
    for (const view of ['conversations', 'timeline'] as const) {
      const r = await rebuildBesideLive(log, live, { view, greenDir: greenDir(), switchOver: false }, silentLogger);
      assert.deepEqual({ ...r.rows, same: r.rows.same > 0 }, { same: true, changed: 0, onlyLive: 0, onlyNew: 0 }, view);
      assert.equal(r.newCheckpoint, 9);
      assert.equal(r.liveCheckpoint, 9);
      assert.equal(r.switched, false);
    }
    assert.equal(fs.existsSync(greenDir()), false);
    const consumers = [];
    for await (const c of await log.jsm.consumers.list('MESSAGES')) consumers.push(c.name);
    assert.ok(!consumers.some((n) => n.endsWith('_green')), consumers.join(','));
  });

  it('reports rows changed, missing and extra in the live view by key', async () => {
    const kv = live.kv;
    const rows = await kv.scan({ start: key('conv', 'id', ''), end: key('conv', 'id', '\uffff'), limit: 10 });
    assert.ok(rows.length >= 2);
    await kv.delete(rows[0]!.key);
    await kv.put(rows[1]!.key, Buffer.from('{"tampered":true}'));
    await kv.put(key('conv', 'id', 'ghost'), Buffer.from('{}'));
    const r = await rebuildBesideLive(
      log,
      live,
      { view: 'conversations', greenDir: greenDir(), switchOver: false },
      silentLogger,
    );
    assert.deepEqual([r.rows.changed, r.rows.onlyLive, r.rows.onlyNew], [1, 1, 1]);
    assert.deepEqual(r.samples.map((s) => s.kind).sort(), ['changed', 'only-live', 'only-new']);
    assert.ok(r.samples.some((s) => s.kind === 'only-live' && s.key === 'conv/id/ghost'));
  });

  it('switches over only when asked, and then the live view is the rebuilt one, at the stream end', async () => {
    // The live view is now behind (new commits) and differs (the previous test): switch.
    const a = new ChainedAppender(log);
    await a.conversation('late', sendMessage('late', 'late-1', 'x', 'y', T0));
    const wake: string[] = [];
    const sub = log.nc.subscribe('guardyn.inbox.>', { callback: (_e, m) => wake.push(m.subject) });
    const r = await rebuildBesideLive(
      log,
      live,
      { view: 'conversations', greenDir: greenDir(), switchOver: true },
      silentLogger,
    );
    sub.unsubscribe();
    assert.equal(r.switched, true);
    assert.equal(r.newCheckpoint, 10);
    const again = await rebuildBesideLive(
      log,
      live,
      { view: 'conversations', greenDir: greenDir(), switchOver: false },
      silentLogger,
    );
    assert.deepEqual(
      [again.rows.changed, again.rows.onlyLive, again.rows.onlyNew, again.liveCheckpoint],
      [0, 0, 0, 10],
    );
    // The inbox rebuilt beside the live one announces nothing (no side effects).
    const inbox = await rebuildBesideLive(
      log,
      live,
      { view: 'inbox', greenDir: greenDir(), switchOver: false },
      silentLogger,
    );
    assert.equal(inbox.newCheckpoint, 10);
    await log.nc.flush();
    assert.deepEqual(wake, []);
    // (The live inbox projection does announce: the subscription would have seen it.)
    const sub2 = log.nc.subscribe('guardyn.inbox.>', { callback: (_e, m) => wake.push(m.subject) });
    await a.conversation('late', sendMessage('late', 'late-2', 'x', 'y', T0));
    await catchUpView(log, allProjections(live, log).inbox, silentLogger);
    await log.nc.flush();
    sub2.unsubscribe();
    assert.ok(wake.includes('guardyn.inbox.y'), wake.join(','));
  });
});
