import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { silentLogger } from '../../runtime/logger.ts';
import type { MediaRecord } from './decider.ts';
import type { MediaBlobs, MediaReads } from './reads.ts';
import { ORPHAN_GRACE_MS, reapObjects } from './cleanup.ts';

/** Stored objects in memory, as the walk sees them: listed in key order after a key, removed by key. */
function memoryBlobs(): Pick<MediaBlobs, 'list' | 'delete'> & { keys(): string[]; add(key: string): void } {
  const objects = new Map<string, number>();
  const keys = () => [...objects.keys()].sort();
  return {
    keys,
    add: (key) => void objects.set(key, Date.now()),
    list: async (prefix, { after, limit }) =>
      keys()
        .filter((k) => k.startsWith(prefix) && (after === undefined || k > after))
        .slice(0, limit)
        .map((key) => ({ key, modifiedAt: objects.get(key)! })),
    delete: async (key) => void objects.delete(key),
  };
}

describe('reapObjects: the walk over stored objects', () => {
  test('removes the objects of deleted media and old objects no record names; keeps live media and fresh unknown objects', async () => {
    const blobs = memoryBlobs();
    const ids = { live: randomUUID(), deleted: randomUUID(), unknown: randomUUID() };
    for (const id of Object.values(ids)) blobs.add(`media/${id}`);
    const record = (id: string, deleted: boolean) =>
      ({ mediaId: id, storageKey: `media/${id}`, deleted }) as MediaRecord;
    const view: Pick<MediaReads, 'record'> = {
      record: async (id: string) =>
        id === ids.live ? record(id, false) : id === ids.deleted ? record(id, true) : undefined,
    };
    const deps = { blobs, view, logger: silentLogger };
    const present = async () => blobs.keys();
    assert.deepEqual(await reapObjects(deps, undefined), { removed: 1, next: undefined });
    assert.deepEqual(await present(), [`media/${ids.live}`, `media/${ids.unknown}`].sort());
    // Past the grace, an object no media record names goes too; a page of one goes on from its key.
    const later = Date.now() + ORPHAN_GRACE_MS + 1000;
    const first = await reapObjects(deps, undefined, later, 1);
    assert.match(first.next ?? '', /^media\//, 'a full page says where to go on');
    const second = await reapObjects(deps, first.next, later, 1);
    assert.equal(first.removed + second.removed, 1);
    assert.deepEqual(await present(), [`media/${ids.live}`]);
  });
});
