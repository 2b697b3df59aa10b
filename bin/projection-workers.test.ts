import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../runtime/config.ts';
import type { Projection, ViewName } from '../projections/index.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventLog } from '../streams/log.ts';
import { silentLogger } from '../runtime/logger.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import { recordedVersion, versionKey, ViewVersionMismatch } from '../projections/runtime/versions.ts';
import { leaseUnits, renewOutdatedViews, requireFencing, unitProjections } from './projection-workers.ts';
import { KvProjectionTarget } from '../projections/runtime/kv-target.ts';
import type { KvStore } from '../stores/kv/port.ts';

/** Stand-in views with the names of every view (only names and targets are read here). */
const names: ViewName[] = [
  'users',
  'sessions',
  'conversations',
  'timeline',
  'keys',
  'inbox',
  'groups',
  'media',
  'media_attachments',
  'presence',
  'pushtokens',
];
const views = Object.fromEntries(
  names.map((name) => [
    name,
    { name, stream: 'S', filterSubject: 'x.>', target: { claim: async () => 0 }, project: () => {} },
  ]),
) as unknown as Record<ViewName, Projection<unknown>>;

describe('projection worker units', () => {
  it('splits the work into one unit per partition and one for the single-owner views', () => {
    assert.deepEqual(leaseUnits(1), ['single']);
    assert.deepEqual(leaseUnits(3), ['p0', 'p1', 'p2', 'single']);
    assert.deepEqual(
      unitProjections(views, 'p1', 3).map((p) => p.name),
      ['conversations-p1', 'timeline-p1', 'inbox-p1', 'groups-p1'],
    );
    assert.deepEqual(
      unitProjections(views, 'single', 3).map((p) => p.name),
      ['users', 'sessions', 'keys', 'media', 'media_attachments', 'presence', 'pushtokens'],
    );
    assert.deepEqual(
      unitProjections(views, 'single', 1).map((p) => p.name),
      names,
    );
    assert.throws(() => unitProjections(views, 'p3', 3), RangeError);
  });

  it('runs lease mode over LMDB, ScyllaDB and TiKV, and refuses a view store without owner epochs', () => {
    const base = { GUARDYN_PROJECTIONS__PARTITIONS: '2' };
    assert.doesNotThrow(() => requireFencing(loadConfig(base), views));
    // The CQL timeline orders a stale owner's late writes by version (docs/adr/0220).
    assert.doesNotThrow(() =>
      requireFencing(loadConfig({ ...base, GUARDYN_DATABASE__SCYLLADB_NODES: 'scylla:9042' }), views),
    );
    const unfenceable = { ...views, users: { ...views.users, target: {} } } as unknown as Record<
      ViewName,
      Projection<unknown>
    >;
    assert.throws(() => requireFencing(loadConfig(base), unfenceable), /view users/);
    // Key-value views on TiKV commit fenced batches through a redo record (docs/adr/0340).
    const onTikv = {
      ...views,
      conversations: {
        ...views.conversations,
        target: new KvProjectionTarget({ versionedWrites: true } as unknown as KvStore, []),
      },
    } as unknown as Record<ViewName, Projection<unknown>>;
    assert.doesNotThrow(() =>
      requireFencing(loadConfig({ ...base, GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: 'pd:2379' }), onTikv),
    );
  });
});

describe('views built by an older Guardyn (projections/runtime/versions.ts)', () => {
  /** Stand-in views: conversations and users were built (checkpoint 9), the rest are new; resets are counted. */
  function builtViews(resets: string[]) {
    return Object.fromEntries(
      names.map((name) => [
        name,
        {
          name,
          stream: 'S',
          filterSubject: 'x.>',
          project: () => {},
          target: {
            checkpoint: async () => (name === 'conversations' || name === 'users' ? 9 : 0),
            reset: async (n: string) => {
              resets.push(n);
            },
          },
        },
      ]),
    ) as unknown as Record<ViewName, Projection<unknown>>;
  }
  const log = { jsm: { consumers: { delete: async () => true } } } as unknown as EventLog;

  it('several workers refuse to start and name the rebuild; one worker empties the outdated view and records its version', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-versions-'));
    const stores = await openEmbeddedStores(dir);
    try {
      const resets: string[] = [];
      const views = builtViews(resets);
      await assert.rejects(
        renewOutdatedViews(log, views, silentLogger, stores.kv, 2, true),
        (err: Error) =>
          err instanceof ViewVersionMismatch &&
          /conversations \(version 1, this code keeps 2\)/.test(err.message) &&
          /`guardyn rebuild conversations`/.test(err.message),
      );
      assert.deepEqual(resets, [], 'nothing emptied while refusing');
      // New views were recorded at this code's version; a built view whose version did not change is left alone.
      assert.equal(await recordedVersion(stores.kv, 'timeline'), 2);
      assert.equal(await recordedVersion(stores.kv, 'groups'), 1);
      assert.equal(await recordedVersion(stores.kv, 'users'), undefined);

      await renewOutdatedViews(log, views, silentLogger, stores.kv, 1, false);
      assert.deepEqual(resets, ['conversations']);
      assert.equal(await recordedVersion(stores.kv, 'conversations'), 2);
      // Once renewed, nothing more to do.
      await renewOutdatedViews(log, views, silentLogger, stores.kv, 1, false);
      assert.deepEqual(resets, ['conversations']);
      // A record of another version (say, after a downgrade and back) counts as outdated too.
      await stores.kv.put(versionKey('timeline'), Buffer.from('1'));
      await renewOutdatedViews(log, views, silentLogger, stores.kv, 1, false);
      assert.deepEqual(resets, ['conversations', 'timeline']);
    } finally {
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
