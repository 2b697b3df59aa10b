import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../runtime/config.ts';
import type { Projection, ViewName } from '../projections/index.ts';
import { leaseUnits, requireFencing, unitProjections } from './projection-workers.ts';

/** Stand-in views with the names of every view (only names and targets are read here). */
const names: ViewName[] = ['users', 'sessions', 'conversations', 'timeline', 'keys', 'inbox', 'groups', 'media', 'media_attachments', 'presence', 'pushtokens'];
const views = Object.fromEntries(names.map((name) => [name, { name, stream: 'S', filterSubject: 'x.>', target: { claim: async () => 0 }, project: () => {} }])) as unknown as Record<ViewName, Projection<unknown>>;

describe('projection worker units', () => {
  it('splits the work into one unit per partition and one for the single-owner views', () => {
    assert.deepEqual(leaseUnits(1), ['single']);
    assert.deepEqual(leaseUnits(3), ['p0', 'p1', 'p2', 'single']);
    assert.deepEqual(unitProjections(views, 'p1', 3).map((p) => p.name), ['conversations-p1', 'timeline-p1', 'inbox-p1', 'groups-p1']);
    assert.deepEqual(unitProjections(views, 'single', 3).map((p) => p.name), ['users', 'sessions', 'keys', 'media', 'media_attachments', 'presence', 'pushtokens']);
    assert.deepEqual(unitProjections(views, 'single', 1).map((p) => p.name), names);
    assert.throws(() => unitProjections(views, 'p3', 3), RangeError);
  });

  it('refuses lease mode over view stores that cannot fence a stale worker', () => {
    const base = { GUARDYN_PROJECTIONS__PARTITIONS: '2' };
    assert.doesNotThrow(() => requireFencing(loadConfig(base), views));
    assert.throws(() => requireFencing(loadConfig({ ...base, GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: 'pd:2379' }), views), /TiKV/);
    assert.throws(() => requireFencing(loadConfig({ ...base, GUARDYN_DATABASE__SCYLLADB_NODES: 'scylla:9042' }), views), /ScyllaDB/);
    const unfenceable = { ...views, users: { ...views.users, target: {} } } as unknown as Record<ViewName, Projection<unknown>>;
    assert.throws(() => requireFencing(loadConfig(base), unfenceable), /view users/);
  });
});
