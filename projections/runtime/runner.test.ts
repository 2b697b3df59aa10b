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
import { STREAMS } from '../../streams/subjects.ts';
import { openEmbeddedStores } from '../../stores/embedded.ts';
import { key } from '../../stores/kv/keys.ts';
import { KvProjectionTarget, type KvTx } from './kv-target.ts';
import { ProjectionRunner } from './runner.ts';
import type { Projection } from './projection.ts';

/** A view counting claims per user; it refuses (throws on) the user id 'poison'. */
function claimsProjection(target: KvProjectionTarget): Projection<KvTx> {
  return {
    name: 'claims-test',
    stream: STREAMS.accounts,
    filterSubject: 'accounts.>',
    target,
    async project(commit, tx) {
      for (const e of commit.events) {
        const userId = (e.data as { userId: string }).userId;
        if (userId === 'poison') throw new Error('cannot apply a poison claim');
        const k = key('claims-test', userId);
        const n = Number(Buffer.from((await tx.get(k)) ?? Buffer.from('0')).toString());
        tx.put(k, Buffer.from(String(n + 1)));
      }
    },
  };
}

/** A view counting claims per user under its own keys; it refuses the user id `refuse`. */
function countingView(target: KvProjectionTarget, name: string, refuse: string): Projection<KvTx> {
  return {
    name,
    stream: STREAMS.accounts,
    filterSubject: 'accounts.>',
    target,
    async project(commit, tx) {
      for (const e of commit.events) {
        const userId = (e.data as { userId: string }).userId;
        if (userId === refuse) throw new Error(`view ${name} cannot apply ${refuse}`);
        const k = key(name, userId);
        const n = Number(Buffer.from((await tx.get(k)) ?? Buffer.from('0')).toString());
        tx.put(k, Buffer.from(String(n + 1)));
      }
    },
  };
}

describe('projection runtime', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-runtime-'));
  });
  after(async () => {
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parks a poison commit and an undecodable one with their errors, and applies everything else once', async () => {
    const claim = (userId: string, n: number) => appendClaim(log, `accounts.username.test${n}`, `c${n}`, userId);
    await claim('alice', 1);
    await claim('poison', 2);
    await log.js.publish('accounts.username.garbage', Buffer.from('this is not a commit'));
    await claim('alice', 4);
    await claim('bob', 5);

    const stores = await openEmbeddedStores(path.join(dir, 'a'));
    try {
      const target = new KvProjectionTarget(stores.kv, [key('claims-test')]);
      const runner = new ProjectionRunner(log, claimsProjection(target), silentLogger, { attemptsBeforePark: 2 });
      await runner.start();
      assert.equal(await runner.waitFor(5, 10_000), true, 'the view moved past the poison commits');
      await runner.stop();
      assert.equal(Buffer.from((await stores.kv.get(key('claims-test', 'alice')))!).toString(), '2');
      assert.equal(Buffer.from((await stores.kv.get(key('claims-test', 'bob')))!).toString(), '1');
      assert.equal(await stores.kv.get(key('claims-test', 'poison')), undefined);
      const parked = await target.parked('claims-test');
      assert.deepEqual(
        parked.map((p) => [p.seq, p.subject]),
        [
          [2, 'accounts.username.test2'],
          [3, 'accounts.username.garbage'],
        ],
      );
      assert.match(parked[0]!.error, /poison/);
      assert.match(parked[1]!.error, /not a commit body/);
      assert.equal(await target.checkpoint('claims-test'), 5);

      // A restart delivers nothing twice: the counts stay, and new commits are applied.
      await claim('bob', 6);
      const again = new ProjectionRunner(log, claimsProjection(target), silentLogger);
      await again.start();
      assert.equal(await again.waitFor(6, 10_000), true);
      await again.stop();
      assert.equal(Buffer.from((await stores.kv.get(key('claims-test', 'alice')))!).toString(), '2');
      assert.equal(Buffer.from((await stores.kv.get(key('claims-test', 'bob')))!).toString(), '2');
    } finally {
      await stores.close();
    }
  });

  it('restarts its consumer at the checkpoint when a delivery is lost in transit, so the view misses nothing', async () => {
    const claim = (userId: string, n: number) => appendClaim(log, `accounts.username.gap${n}`, `gap${n}`, userId);
    const stores = await openEmbeddedStores(path.join(dir, 'c'));
    try {
      const target = new KvProjectionTarget(stores.kv, [key('claims-test')]);
      const projection = { ...claimsProjection(target), name: 'claims-gap' };
      const first = await log.lastSeq(STREAMS.accounts);
      let lost: number | undefined;
      // The first delivery after the existing commits is lost once, as when a consumer's leader dies with it in flight.
      const runner = new ProjectionRunner(log, projection, silentLogger, {
        loseDelivery: (seq) => {
          if (lost === undefined && seq > first) {
            lost = seq;
            return true;
          }
          return false;
        },
      });
      await runner.start();
      assert.equal(await runner.waitFor(first, 10_000), true);
      for (let n = 1; n <= 5; n++) await claim(`carol${n}`, n);
      const last = await log.lastSeq(STREAMS.accounts);
      assert.equal(await runner.waitFor(last, 10_000), true);
      await runner.stop();
      assert.equal(lost, first + 1, 'a delivery was lost');
      for (let n = 1; n <= 5; n++) {
        assert.equal(
          Buffer.from((await stores.kv.get(key('claims-test', `carol${n}`))) ?? Buffer.from('missing')).toString(),
          '1',
          `carol${n} applied once`,
        );
      }
    } finally {
      await stores.close();
    }
  });

  it('answers read-your-writes waits: true once applied, false after the timeout', async () => {
    const stores = await openEmbeddedStores(path.join(dir, 'b'));
    try {
      const target = new KvProjectionTarget(stores.kv, [key('claims-test')]);
      const runner = new ProjectionRunner(log, { ...claimsProjection(target), name: 'claims-wait' }, silentLogger);
      await runner.start();
      const last = await log.lastSeq(STREAMS.accounts);
      assert.equal(await runner.waitFor(last, 10_000), true);
      const started = Date.now();
      assert.equal(await runner.waitFor(last + 100, 150), false);
      assert.ok(Date.now() - started >= 140);
      await runner.stop();
    } finally {
      await stores.close();
    }
  });

  it('applies several views of a stream from one reader: each commit decoded once, the views written in one store batch each time, a poison commit parked only in the view that refuses it, a view behind caught up on its own reader and then joined', async () => {
    const claim = (userId: string, n: number) => appendClaim(log, `accounts.username.shared${n}`, `shared${n}`, userId);
    const before = await log.lastSeq(STREAMS.accounts);
    await claim('dave', 1);
    await claim('erin', 2); // refused by view a only
    await claim('frank', 3); // refused by view b only
    const last = await log.lastSeq(STREAMS.accounts);
    const stores = await openEmbeddedStores(path.join(dir, 'd'));
    try {
      const target = new KvProjectionTarget(stores.kv, [key('shared-a'), key('shared-b')]);
      const a = countingView(target, 'shared-a', 'erin');
      const b = countingView(target, 'shared-b', 'frank');
      // View a has applied everything before the test's commits; view b starts from nothing.
      await target.commit('shared-a', target.begin(), before, []);
      let decodes = 0;
      const counting = new Proxy(log, {
        get(t, p, r) {
          if (p === 'decode')
            return (...args: Parameters<EventLog['decode']>) => {
              decodes++;
              return t.decode(...args);
            };
          const v = Reflect.get(t, p, r) as unknown;
          return typeof v === 'function' ? (v as (...x: unknown[]) => unknown).bind(t) : v;
        },
      });
      const batches: string[][] = [];
      const batch = stores.kv.batch.bind(stores.kv);
      const checkpointOf = (k: Uint8Array) =>
        /proj.(shared-[ab]).checkpoint/.exec(Buffer.from(k).toString('latin1'))?.[1];
      stores.kv.batch = (writes, conditions) => {
        batches.push(
          writes
            .map((w) => checkpointOf(w.key))
            .filter((v): v is string => v !== undefined)
            .sort(),
        );
        return batch(writes, conditions);
      };
      const runner = new ProjectionRunner(counting, [a, b], silentLogger, { attemptsBeforePark: 1, ordered: true });
      await runner.start();
      assert.equal(await runner.waitFor(last, 10_000), true, 'both views applied the stream');
      assert.equal(await runner.progressOf('shared-a').applied(), last);
      assert.equal(await runner.progressOf('shared-b').applied(), last);
      // The next shared batch finds view b level and takes it in.
      await claim('hank', 50);
      const joined = await log.lastSeq(STREAMS.accounts);
      assert.equal(await runner.waitFor(joined, 10_000), true);
      // Clean commits: the two views' changes and checkpoints go to the store together, in one batch per delivered batch.
      batches.length = 0;
      decodes = 0;
      for (let n = 4; n < 24; n++) await claim(`gina${n}`, n);
      const end = await log.lastSeq(STREAMS.accounts);
      assert.equal(await runner.waitFor(end, 10_000), true);
      await runner.stop();
      assert.ok(batches.length >= 1 && batches.length <= 20, `store batches ${batches.length} for 20 commits`);
      assert.ok(
        batches.every((b) => b.join() === 'shared-a,shared-b'),
        `every batch writes both views: ${JSON.stringify(batches)}`,
      );
      assert.equal(
        decodes,
        end - joined,
        'every commit decoded once, for both views (the catch-up reader stopped when b joined)',
      );
      const count = async (view: string, user: string) =>
        Buffer.from((await stores.kv.get(key(view, user))) ?? Buffer.from('0')).toString();
      assert.deepEqual(
        [await count('shared-a', 'dave'), await count('shared-a', 'erin'), await count('shared-a', 'frank')],
        ['1', '0', '1'],
      );
      assert.deepEqual(
        [await count('shared-b', 'dave'), await count('shared-b', 'erin'), await count('shared-b', 'frank')],
        ['1', '1', '0'],
      );
      // View b read the commits before the test's (alice, bob...) too: view a skipped them.
      assert.notEqual(await count('shared-b', 'alice'), '0');
      assert.equal(await count('shared-a', 'alice'), '0');
      assert.deepEqual(
        (await target.parked('shared-a')).map((p) => p.seq),
        [before + 2],
      );
      assert.deepEqual(
        (await target.parked('shared-b')).map((p) => p.subject).filter((s) => s.startsWith('accounts.username.shared')),
        ['accounts.username.shared3'],
      );
    } finally {
      await stores.close();
    }
  });
  it('a view behind the others (new or rebuilt) catches up on a reader of its own: the current views do not wait for its backlog, and it joins the shared reader when level', async () => {
    const claim = (userId: string, n: number) => appendClaim(log, `accounts.username.behind${n}`, `behind${n}`, userId);
    for (let n = 0; n < 40; n++) await claim(`backlog${n}`, n);
    const before = await log.lastSeq(STREAMS.accounts);
    for (let n = 40; n < 43; n++) await claim(`fresh${n}`, n);
    const last = await log.lastSeq(STREAMS.accounts);
    const stores = await openEmbeddedStores(path.join(dir, 'behind'));
    try {
      const target = new KvProjectionTarget(stores.kv, [key('behind-a'), key('behind-b')]);
      const current = countingView(target, 'behind-a', '');
      const counted = countingView(target, 'behind-b', '');
      // The new view is slow on its backlog (40 ms a commit): 1.6 s or more to get through it.
      const added: Projection<KvTx> = {
        ...counted,
        async project(commit, tx) {
          if (commit.seq <= before) await sleep(40);
          await counted.project(commit, tx);
        },
      };
      await target.commit('behind-a', target.begin(), before, []);
      const runner = new ProjectionRunner(log, [current, added], silentLogger, { ordered: true });
      await runner.start();
      try {
        assert.equal(await runner.progressOf('behind-a').waitFor(last, 10_000), true);
        assert.ok(
          (await runner.progressOf('behind-b').applied()) < before,
          'the current view applied the new commits while the new view was still in its backlog',
        );
        assert.equal(await runner.waitFor(last, 60_000), true, 'the new view caught up');
        // Level now: the next commit is applied to both by the shared reader, in one store batch.
        const batches: string[][] = [];
        const batch = stores.kv.batch.bind(stores.kv);
        stores.kv.batch = (writes, conditions) => {
          batches.push(
            writes
              .map((w) => /proj.(behind-[ab]).checkpoint/.exec(Buffer.from(w.key).toString('latin1'))?.[1])
              .filter((v): v is string => v !== undefined)
              .sort(),
          );
          return batch(writes, conditions);
        };
        await claim('joined', 99);
        const end = await log.lastSeq(STREAMS.accounts);
        assert.equal(await runner.waitFor(end, 10_000), true);
        for (let n = 100; n < 105; n++) await claim(`after${n}`, n);
        const after = await log.lastSeq(STREAMS.accounts);
        assert.equal(await runner.waitFor(after, 10_000), true);
        // The view joins at the first shared batch after level; the commit that makes the runner see it
        // level may still come through the view's own reader too, so that commit may be written once per
        // reader (at most two batches of one view each). From the first batch of both on, every batch
        // holds both views.
        const firstJoint = batches.findIndex((b) => b.join() === 'behind-a,behind-b');
        assert.ok(
          firstJoint >= 0 &&
            firstJoint <= 2 &&
            batches.slice(firstJoint).every((b) => b.join() === 'behind-a,behind-b'),
          `after joining, both views in every batch: ${JSON.stringify(batches)}`,
        );
      } finally {
        await runner.stop();
      }
      const count = async (view: string, user: string) =>
        Buffer.from((await stores.kv.get(key(view, user))) ?? Buffer.from('0')).toString();
      assert.deepEqual(
        [await count('behind-b', 'backlog0'), await count('behind-b', 'fresh41'), await count('behind-b', 'after104')],
        ['1', '1', '1'],
      );
      assert.deepEqual(
        [await count('behind-a', 'backlog0'), await count('behind-a', 'fresh41'), await count('behind-a', 'after104')],
        ['0', '1', '1'],
      );
    } finally {
      await stores.close();
    }
  });
  it("runs every view's after-commit hook when another view's target writes their batch together (the inbox's wake-ups)", async () => {
    const claim = (userId: string) => appendClaim(log, `accounts.username.${userId}`, userId, userId);
    const stores = await openEmbeddedStores(path.join(dir, 'hooks'));
    try {
      const seen: number[] = [];
      /** A target of its own on the same store, so the runner writes both views in one joint batch. */
      class Hooked extends KvProjectionTarget {
        override afterCommit(tx: KvTx, seq: number): void {
          if ([...tx.changes()].length > 0) seen.push(seq);
        }
      }
      const writer = countingView(new KvProjectionTarget(stores.kv, [key('hook-a')]), 'hook-a', '');
      const hooked = countingView(new Hooked(stores.kv, [key('hook-b')]), 'hook-b', '');
      for (let n = 0; n < 5; n++) await claim(`hooked${n}`);
      const last = await log.lastSeq(STREAMS.accounts);
      const runner = new ProjectionRunner(log, [writer, hooked], silentLogger, { ordered: true });
      await runner.start();
      try {
        assert.equal(await runner.waitFor(last, 10_000), true);
        assert.ok(
          seen.length > 0 && seen.at(-1) === last,
          `the hooked view's hook ran after its writes: ${JSON.stringify(seen)}`,
        );
      } finally {
        await runner.stop();
      }
    } finally {
      await stores.close();
    }
  });
});
