import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { FileBlobStore } from '../stores/blob/files.ts';
import { silentLogger } from '../runtime/logger.ts';
import type { MediaRecord } from './media.ts';
import type { MediaView } from '../projections/media/queries.ts';
import { ORPHAN_GRACE_MS, reapObjects } from './media-cleanup.ts';

describe('reapObjects: the walk over stored objects', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-reap-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('removes the objects of deleted media and old objects no record names; keeps live media and fresh unknown objects', async () => {
    const blobs = await FileBlobStore.open({ root, signingKey: randomBytes(32), publicUrl: '' });
    const ids = { live: randomUUID(), deleted: randomUUID(), unknown: randomUUID() };
    for (const id of Object.values(ids))
      await blobs.put(`media/${id}`, Readable.from([Buffer.from('x')]), { size: 1, contentType: 'text/plain' });
    const record = (id: string, deleted: boolean) =>
      ({ mediaId: id, storageKey: `media/${id}`, deleted }) as MediaRecord;
    const view = {
      record: async (id: string) =>
        id === ids.live ? record(id, false) : id === ids.deleted ? record(id, true) : undefined,
    } as unknown as MediaView;
    const deps = { blobs, view, logger: silentLogger };
    const present = async () => (await blobs.list('media/', { limit: 10 })).map((o) => o.key).sort();

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
