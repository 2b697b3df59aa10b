/**
 * Partitioned projections: the partition hash, owner fencing in both view stores
 * (a stale owner cannot write its checkpoint or its rows), a fenced runner that
 * stops, and leases between two keepers (one owner per unit; a dead one's units move).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendClaim } from '../../test/support/event-log.ts';
import { withNatsServer, type TestNatsServer } from '../../test/support/nats.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import { directConversationId, legacyDirectConversationId } from '../../runtime/ids.ts';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import { key } from '../../stores/kv/keys.ts';
import { KvProjectionTarget, type KvTx } from './kv-target.ts';
import { TimelineProjectionTarget } from './timeline-target.ts';
import { ProjectionRunner } from './runner.ts';
import { FencedError, type Projection } from './projection.ts';
import { partitionOf, partitionOfSubject, projectionsOf, viewCheckpoint } from './partitions.ts';
import { LeaseKeeper } from './leases.ts';
import { leaseLog } from '../../streams/lease-log.ts';
import { checkLayout, LayoutMismatch, recordLayout } from './layout.ts';

/** A view counting claims per user (ACCOUNTS stream, subjects accounts.username.<name>). */
function claimsProjection(target: KvProjectionTarget, name = 'claims-part'): Projection<KvTx> {
  return {
    name,
    stream: STREAMS.accounts,
    filterSubject: 'accounts.>',
    target,
    async project(commit, tx) {
      for (const e of commit.events) {
        const k = key('claims-part', (e.data as { userId: string }).userId);
        const n = Number(Buffer.from((await tx.get(k)) ?? Buffer.from('0')).toString());
        tx.put(k, Buffer.from(String(n + 1)));
      }
    },
  };
}

describe('partition hash', () => {
  it('is stable, spreads ids over the partitions and ignores the subject prefix', () => {
    assert.equal(partitionOfSubject('messages.conv.abc', 1), 0);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[partitionOfSubject(`messages.conv.c${i}`, 4)]! += 1;
    assert.ok(
      counts.every((c) => c > 60),
      `spread: ${counts}`,
    );
    assert.equal(partitionOfSubject('messages.conv.same-id', 8), partitionOfSubject('messages.group.same-id', 8));
    // A fixed value: changing the hash would move conversations between partitions of existing views.
    assert.equal(
      partitionOfSubject('messages.conv.00000000-0000-0000-0000-000000000001', 4),
      partitionOfSubject('messages.conv.00000000-0000-0000-0000-000000000001', 4),
    );
    assert.deepEqual(
      projectionsOf({ name: 'users' } as Projection<unknown>, 4).map((p) => p.name),
      ['users'],
    );
    assert.deepEqual(
      projectionsOf({ name: 'timeline' } as Projection<unknown>, 3).map((p) => p.name),
      ['timeline-p0', 'timeline-p1', 'timeline-p2'],
    );
    assert.throws(() => partitionOf({ name: 'timeline' } as Projection<unknown>, 3, 3), RangeError);
  });
});

describe('partition of a 1:1 conversation kept under its former id', () => {
  it("is the partition of the id its events carry (the contract's), decoding only former-id subjects", () => {
    const [x, y] = ['3f1c0a52-8d2e-4b7a-9c51-0e6f2d9b7a11', 'c2d4e6f8-1a3b-4c5d-8e7f-9a0b1c2d3e4f'];
    const id = directConversationId(x, y);
    const n = 16;
    const commit = {
      seq: 7,
      subject: subjects.conversation(legacyDirectConversationId(x, y)),
      events: [{ type: 'MessageSent', data: { conversationId: id } }],
    } as unknown as StoredCommit;
    let decoded = 0;
    const decode = () => {
      decoded++;
      return commit;
    };
    assert.equal(partitionOfSubject(commit.subject, n, decode), partitionOfSubject(subjects.conversation(id), n));
    assert.equal(decoded, 1);
    // Partitions own exactly one of them.
    assert.deepEqual(
      Array.from({ length: n }, (_, p) =>
        partitionOf({ name: 'timeline' } as Projection<unknown>, p, n).owns!(commit.subject, decode),
      ).filter(Boolean).length,
      1,
    );
    // A subject of the contract's id, or a group, is placed without decoding.
    decoded = 0;
    partitionOfSubject(subjects.conversation(id), n, decode);
    partitionOfSubject(subjects.group(legacyDirectConversationId(x, y)), n, decode);
    assert.equal(decoded, 0);
    // A commit that cannot be decoded stays with the partition of its subject (and is parked there).
    const parked = { seq: 7, subject: commit.subject, error: 'bad' };
    assert.equal(
      partitionOfSubject(commit.subject, n, () => parked),
      partitionOfSubject(commit.subject, n),
    );
  });
});

describe('owner fencing in the view stores', () => {
  let dir: string;
  let stores: EmbeddedStores;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-fence-'));
    stores = await openEmbeddedStores(path.join(dir, 'views'));
  });
  after(async () => {
    await stores?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('key-value target: a stale owner writes neither its rows nor its checkpoint', async () => {
    const target = new KvProjectionTarget(stores.kv, [key('fenced')]);
    assert.equal(await target.claim('v-p0', 5), 0);
    const first = target.begin();
    first.put(key('fenced', 'a'), Buffer.from('owner5'));
    await target.commit('v-p0', first, 10, [], 5);
    assert.equal(await target.claim('v-p0', 7), 10, "the new owner starts at the old one's checkpoint");
    const stale = target.begin();
    stale.put(key('fenced', 'a'), Buffer.from('stale'));
    await assert.rejects(target.commit('v-p0', stale, 20, [], 5), FencedError);
    assert.equal(await target.checkpoint('v-p0'), 10);
    assert.equal(Buffer.from((await stores.kv.get(key('fenced', 'a')))!).toString(), 'owner5');
    await assert.rejects(target.claim('v-p0', 6), FencedError, 'an older epoch cannot claim back');
    const fresh = target.begin();
    fresh.put(key('fenced', 'a'), Buffer.from('owner7'));
    await target.commit('v-p0', fresh, 21, [], 7);
    assert.equal(await target.checkpoint('v-p0'), 21);
    assert.equal(Buffer.from((await stores.kv.get(key('fenced', 'a')))!).toString(), 'owner7');
  });

  it('timeline target: a stale owner writes neither its rows nor its checkpoint', async () => {
    const target = new TimelineProjectionTarget(stores.timeline, async () => ['conv-x']);
    assert.equal(await target.claim('t-p1', 3), 0);
    const first = target.begin();
    first.put({ partition: 'conv-x', position: 4, time: 1, value: Buffer.from('owner3') });
    await target.commit('t-p1', first, 4, [], 3);
    assert.equal(await target.claim('t-p1', 9), 4);
    const stale = target.begin();
    stale.put({ partition: 'conv-x', position: 4, time: 1, value: Buffer.from('stale') });
    stale.put({ partition: 'conv-x', position: 8, time: 1, value: Buffer.from('stale') });
    await assert.rejects(target.commit('t-p1', stale, 8, [], 3), FencedError);
    assert.equal(await target.checkpoint('t-p1'), 4);
    assert.equal(Buffer.from((await stores.timeline.get('conv-x', 4))!.value).toString(), 'owner3');
    assert.equal(await stores.timeline.get('conv-x', 8), undefined);
    await assert.rejects(target.claim('t-p1', 8), FencedError);
    // Unfenced writes (one worker, no leases) are not affected by the record.
    await target.commit('other', target.begin(), 2, []);
    assert.equal(await target.checkpoint('other'), 2);
  });
});

describe('partition layout record', () => {
  it('lets workers start only with the partition count the views were built with', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-layout-'));
    const stores = await openEmbeddedStores(path.join(dir, 'views'));
    try {
      const target = new KvProjectionTarget(stores.kv, [key('conv-test')]);
      const conversations = { ...claimsProjection(target), name: 'conversations' } as Projection<unknown>;
      const users = { ...claimsProjection(target), name: 'users' } as Projection<unknown>;
      // A new view: the first start records the count; the same count starts again, another does not.
      await checkLayout(stores.kv, [conversations, users], 4);
      await checkLayout(stores.kv, [conversations, users], 4);
      await assert.rejects(checkLayout(stores.kv, [conversations], 2), LayoutMismatch);
      await assert.rejects(checkLayout(stores.kv, [conversations], 1), /built with 4 partition/);
      // A rebuild records its own count.
      await recordLayout(stores.kv, 'conversations', 1);
      await checkLayout(stores.kv, [conversations], 1);
      // A view built whole (it has an unpartitioned checkpoint) cannot be split without a rebuild.
      await target.commit('conversations', target.begin(), 7, []);
      await assert.rejects(checkLayout(stores.kv, [conversations], 3), /built with 1 partition/);
      await recordLayout(stores.kv, 'conversations', 3);
      await checkLayout(stores.kv, [conversations], 3);
    } finally {
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fenced runners and leases', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  let stores: EmbeddedStores;

  const claim = (userId: string, n: number) => appendClaim(log, `accounts.username.part${n}`, `p${n}`, userId);

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-fence-run-'));
    stores = await openEmbeddedStores(path.join(dir, 'views'));
  });
  after(async () => {
    await stores?.close();
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a runner fenced by a newer owner stops and applies nothing more; partitions split the commits', async () => {
    for (let i = 1; i <= 40; i++) await claim(`u${i % 5}`, i);
    const target = new KvProjectionTarget(stores.kv, [key('claims-part')]);
    const view = claimsProjection(target);
    const p0 = partitionOf(view, 0, 2);
    let fenced = 0;
    const old = new ProjectionRunner(log, p0, silentLogger, {
      fence: 1,
      onFenced: () => {
        fenced++;
      },
    });
    await old.start();
    assert.equal(await old.waitFor(40, 10_000), true);
    // A newer owner takes the partition; the old runner's next commit is refused.
    const newer = new ProjectionRunner(log, p0, silentLogger, { fence: 2 });
    await newer.start();
    for (let i = 41; i <= 60; i++) await claim(`u${i % 5}`, i);
    assert.equal(await newer.waitFor(60, 10_000), true);
    const deadline = Date.now() + 5000;
    while (fenced === 0 && Date.now() < deadline) await sleep(20);
    assert.equal(fenced, 1, 'the old owner learnt it was fenced');
    assert.ok((await old.applied()) < 60, 'the old owner committed nothing after the takeover');
    await old.stop();
    const p1 = new ProjectionRunner(log, partitionOf(view, 1, 2), silentLogger, { ordered: true });
    await p1.start();
    assert.equal(await p1.waitFor(60, 10_000), true);
    await p1.stop();
    await newer.stop();
    assert.equal(await viewCheckpoint(view, 1), 0, 'the unpartitioned checkpoint was never written');
    assert.equal(Math.min(await target.checkpoint('claims-part-p0'), await target.checkpoint('claims-part-p1')), 60);
    // Each claim counted once, by the partition of its subject: 12 per user.
    for (let u = 0; u < 5; u++)
      assert.equal(Buffer.from((await stores.kv.get(key('claims-part', `u${u}`)))!).toString(), '12', `user u${u}`);
  });

  it("leases: one owner per unit, a fair split between two workers, and a dead worker's units move", async () => {
    const units = ['p0', 'p1', 'p2', 'single'];
    const owners = new Map<string, string>();
    const epochs: number[] = [];
    const keeper = (id: string) =>
      new LeaseKeeper(
        leaseLog(log),
        { workerId: id, units, leaseMs: 600, replicas: 1, logger: silentLogger },
        {
          async acquired(unit, epoch) {
            assert.equal(owners.get(unit), undefined, `${unit} had one owner already: ${owners.get(unit)}`);
            owners.set(unit, id);
            epochs.push(epoch);
          },
          async released(unit) {
            if (owners.get(unit) === id) owners.delete(unit);
          },
        },
      );
    const a = keeper('worker-a');
    await a.start();
    assert.deepEqual(a.owned(), units.slice().sort(), 'alone, a worker takes every unit');
    const b = keeper('worker-b');
    await b.start();
    const deadline = Date.now() + 8000;
    while ((a.owned().length !== 2 || b.owned().length !== 2) && Date.now() < deadline) await sleep(50);
    assert.equal(a.owned().length, 2, `a holds ${a.owned()}`);
    assert.equal(b.owned().length, 2, `b holds ${b.owned()}`);
    // b dies without giving anything back (its timer stops; its leases run out).
    (b as unknown as { stopped: boolean }).stopped = true;
    for (const [unit, owner] of owners) if (owner === 'worker-b') owners.delete(unit);
    const moved = Date.now() + 8000;
    while (a.owned().length !== 4 && Date.now() < moved) await sleep(50);
    assert.equal(a.owned().length, 4, "the survivor took the dead worker's units");
    for (let i = 1; i < epochs.length; i++) assert.ok(epochs[i]! > epochs[i - 1]!, 'epochs only grow');
    await a.stop();
  });
});
