import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedQueue } from './keyed-queue.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('KeyedQueue', () => {
  it('starts a task on an idle key at once, queues the next ones in order, and forgets the key after', async () => {
    const q = new KeyedQueue();
    const order: string[] = [];
    const gate = deferred();
    const a = q.run('k', async () => {
      order.push('a start');
      await gate.promise;
      order.push('a end');
      return 'a';
    });
    assert.deepEqual(order, ['a start'], 'the first task started in the same turn');
    const b = q.run('k', async () => {
      order.push('b');
      throw new Error('b failed');
    });
    const c = q.run('k', async () => {
      order.push('c');
      return 'c';
    });
    const other = q.run('other', async () => {
      order.push('other');
      return 'o';
    });
    assert.equal(await other, 'o');
    assert.deepEqual(order, ['a start', 'other'], 'another key does not wait');
    gate.resolve();
    assert.equal(await a, 'a');
    await assert.rejects(b, /b failed/);
    assert.equal(await c, 'c', 'a failed task does not block the next');
    assert.deepEqual(order, ['a start', 'other', 'a end', 'b', 'c']);
    await new Promise((r) => setImmediate(r));
    assert.equal(q.size, 0);
  });

  it('turns a task that throws at once into a rejection', async () => {
    const q = new KeyedQueue();
    await assert.rejects(
      q.run('k', () => {
        throw new Error('sync');
      }),
      /sync/,
    );
    assert.equal(await q.run('k', async () => 1), 1);
  });
});
