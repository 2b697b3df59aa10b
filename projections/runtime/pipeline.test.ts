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
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import { key } from '../../stores/kv/keys.ts';
import type { KvStore, KvWrite } from '../../stores/kv/port.ts';
import { KvProjectionTarget, type KvTx } from './kv-target.ts';
import { ProjectionRunner } from './runner.ts';
import type { Projection } from './projection.ts';

/** A view counting claims per user; it records the sequence of every commit it projects. */
function countingView(target: KvProjectionTarget, name: string, projected: number[]): Projection<KvTx> {
  return {
    name,
    stream: STREAMS.accounts,
    filterSubject: 'accounts.>',
    target,
    async project(commit, tx) {
      projected.push(commit.seq);
      for (const e of commit.events) {
        const k = key(name, (e.data as { userId: string }).userId);
        const n = Number(Buffer.from((await tx.get(k)) ?? Buffer.from('0')).toString());
        tx.put(k, Buffer.from(String(n + 1)));
      }
    },
  };
}

/** The key-value store with each batch (1, 2, ...) passed through `before` first (which may hold or fail it). */
function storeWith(kv: KvStore, before: (attempt: number, writes: readonly KvWrite[]) => Promise<void>): KvStore {
  let attempt = 0;
  return new Proxy(kv, {
    get(target, p) {
      const v = Reflect.get(target, p) as unknown;
      if (typeof v !== 'function') return v;
      if (p !== 'batch') return v.bind(target);
      return async (writes: readonly KvWrite[], conditions?: never[]) => {
        await before(++attempt, writes);
        return target.batch(writes, conditions);
      };
    },
  });
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

const checkpointOf = (writes: readonly KvWrite[], name: string): number => {
  const k = Buffer.from(key('proj', name, 'checkpoint')).toString('latin1');
  const w = writes.find((x) => Buffer.from(x.key).toString('latin1') === k);
  return Number(Buffer.from(w!.value!).toString());
};

describe('projection runtime: a batch projects while the previous one commits', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  let stores: EmbeddedStores;
  let subjects = 0;

  /** Appends `count` claims of `userId`; the last sequence. */
  async function claims(userId: string, count: number): Promise<number> {
    let seq = 0;
    for (let i = 0; i < count; i++) {
      const n = ++subjects;
      ({ seq } = await appendClaim(log, `accounts.username.pipe${n}`, `p${n}`, userId));
    }
    return seq;
  }

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-pipeline-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores?.close();
    await log?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('projects the next batch while a batch commits; commits in order, one at a time; read-your-writes only once committed', async () => {
    const first = await claims('ann', 1);
    const last = await claims('ann', 7);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const issued: number[] = [];
    const store = storeWith(stores.kv, async (attempt, writes) => {
      issued.push(checkpointOf(writes, 'pipe-a'));
      if (attempt === 1) await held;
    });
    const projected: number[] = [];
    const target = new KvProjectionTarget(store, [key('pipe-a')]);
    const runner = new ProjectionRunner(log, countingView(target, 'pipe-a', projected), silentLogger, {
      batchSize: 2,
    });
    await runner.start();
    try {
      assert.equal(await until(() => issued.length === 1), true, 'the first batch was handed to the store');
      const firstBatchEnd = issued[0]!;
      assert.ok(firstBatchEnd >= first && firstBatchEnd < last);
      assert.equal(
        await until(() => projected.some((s) => s > firstBatchEnd)),
        true,
        'the next batch was projected while the first one commits',
      );
      assert.equal(issued.length, 1, 'the next batch waits for the first one to commit before its write');
      assert.equal(await runner.waitFor(first, 50), false, 'nothing is applied before it is committed');
      release();
      assert.equal(await runner.waitFor(last, 20_000), true);
      assert.deepEqual(
        issued,
        [...issued].sort((a, b) => a - b),
        'batches commit in stream order',
      );
      assert.equal(Buffer.from((await stores.kv.get(key('pipe-a', 'ann')))!).toString(), '8');
      assert.equal(await target.checkpoint('pipe-a'), last);
    } finally {
      release();
      await runner.stop();
    }
  });

  it('a batch projected while the previous write failed before landing is projected again: nothing is lost', async () => {
    // This view starts at the stream's start: its first batches are ann's claims of the test before.
    const last = await claims('bea', 8);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const projected: number[] = [];
    let firstBatchEnd = 0;
    const store = storeWith(stores.kv, async (attempt, writes) => {
      if (attempt === 1) {
        firstBatchEnd = checkpointOf(writes, 'pipe-b');
        throw new Error('store unavailable for a moment');
      }
      // The retry is held until the next batch was projected without the first batch's writes anywhere.
      if (attempt === 2) await held;
    });
    const target = new KvProjectionTarget(store, [key('pipe-b')]);
    const runner = new ProjectionRunner(log, countingView(target, 'pipe-b', projected), silentLogger, {
      batchSize: 2,
    });
    await runner.start();
    try {
      assert.equal(await until(() => firstBatchEnd > 0 && projected.some((s) => s > firstBatchEnd)), true);
      release();
      assert.equal(await runner.waitFor(last, 20_000), true);
      assert.equal(Buffer.from((await stores.kv.get(key('pipe-b', 'ann')))!).toString(), '8');
      assert.equal(Buffer.from((await stores.kv.get(key('pipe-b', 'bea')))!).toString(), '8');
    } finally {
      release();
      await runner.stop();
    }
  });
});
