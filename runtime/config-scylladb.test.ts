import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

const fails = (env: Record<string, string>, variable: string) =>
  assert.throws(
    () => loadConfig(env),
    (e: Error) => e instanceof ConfigError && e.message.includes(variable),
    variable,
  );

describe('ScyllaDB settings', () => {
  test('absent without GUARDYN_DATABASE__SCYLLADB_NODES (the embedded stores serve)', () => {
    assert.equal(loadConfig({}).scyllaDb, undefined);
  });

  test('defaults: keyspace guardyn, SimpleStrategy 1, LOCAL_QUORUM, one-day buckets', () => {
    assert.deepEqual(loadConfig({ GUARDYN_DATABASE__SCYLLADB_NODES: 'db1:9042, db2' }).scyllaDb, {
      nodes: ['db1:9042', 'db2'],
      localDataCenter: 'datacenter1',
      keyspace: 'guardyn',
      replication: { class: 'SimpleStrategy', factor: 1 },
      readConsistency: 'LOCAL_QUORUM',
      writeConsistency: 'LOCAL_QUORUM',
      bucketMs: 86_400_000,
      credentials: undefined,
    });
  });

  test('are configurable', () => {
    const c = loadConfig({
      GUARDYN_DATABASE__SCYLLADB_NODES: '10.0.0.1',
      GUARDYN_DATABASE__SCYLLADB_LOCAL_DC: 'eu-west',
      GUARDYN_DATABASE__SCYLLADB_KEYSPACE: 'chat',
      GUARDYN_DATABASE__SCYLLADB_REPLICATION: 'NetworkTopologyStrategy:eu-west=3,us-east=2',
      GUARDYN_DATABASE__SCYLLADB_READ_CONSISTENCY: 'local_one',
      GUARDYN_DATABASE__SCYLLADB_WRITE_CONSISTENCY: 'EACH_QUORUM',
      GUARDYN_DATABASE__SCYLLADB_BUCKET_HOURS: '6',
      GUARDYN_DATABASE__SCYLLADB_USERNAME: 'u',
      GUARDYN_DATABASE__SCYLLADB_PASSWORD: 'p',
    }).scyllaDb;
    assert.deepEqual(c?.replication, { class: 'NetworkTopologyStrategy', factors: { 'eu-west': 3, 'us-east': 2 } });
    assert.equal(c?.readConsistency, 'LOCAL_ONE');
    assert.equal(c?.writeConsistency, 'EACH_QUORUM');
    assert.equal(c?.bucketMs, 6 * 3_600_000);
    assert.equal(c?.keyspace, 'chat');
    assert.deepEqual(c?.credentials, { username: 'u', password: 'p' });
  });

  test('bad values name the variable', () => {
    const nodes = { GUARDYN_DATABASE__SCYLLADB_NODES: 'db1' };
    fails({ GUARDYN_DATABASE__SCYLLADB_NODES: 'db 1' }, 'GUARDYN_DATABASE__SCYLLADB_NODES');
    fails({ ...nodes, GUARDYN_DATABASE__SCYLLADB_KEYSPACE: 'Chat-1' }, 'GUARDYN_DATABASE__SCYLLADB_KEYSPACE');
    fails(
      { ...nodes, GUARDYN_DATABASE__SCYLLADB_REPLICATION: 'SimpleStrategy:0' },
      'GUARDYN_DATABASE__SCYLLADB_REPLICATION',
    );
    fails(
      { ...nodes, GUARDYN_DATABASE__SCYLLADB_REPLICATION: 'NetworkTopologyStrategy:' },
      'GUARDYN_DATABASE__SCYLLADB_REPLICATION',
    );
    fails(
      { ...nodes, GUARDYN_DATABASE__SCYLLADB_READ_CONSISTENCY: 'SERIAL' },
      'GUARDYN_DATABASE__SCYLLADB_READ_CONSISTENCY',
    );
    fails({ ...nodes, GUARDYN_DATABASE__SCYLLADB_BUCKET_HOURS: '0' }, 'GUARDYN_DATABASE__SCYLLADB_BUCKET_HOURS');
    fails({ ...nodes, GUARDYN_DATABASE__SCYLLADB_USERNAME: 'u' }, 'GUARDYN_DATABASE__SCYLLADB_PASSWORD');
  });
});
