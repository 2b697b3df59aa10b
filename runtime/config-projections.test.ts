import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config.ts';
import { readProjections } from './config-projections.ts';

describe('GUARDYN_PROJECTIONS__*', () => {
  it('defaults to one unpartitioned worker without leases', () => {
    const c = readProjections({});
    assert.equal(c.partitions, 1);
    assert.equal(c.leases, false);
    assert.equal(c.leaseMs, 5000);
    assert.match(c.workerId, /^[A-Za-z0-9_-]+-\d+$/);
  });

  it('turns leases on with partitions or a named worker', () => {
    assert.deepEqual(
      readProjections({
        GUARDYN_PROJECTIONS__PARTITIONS: '4',
        GUARDYN_PROJECTIONS__WORKER_ID: 'w1',
        GUARDYN_PROJECTIONS__LEASE_MS: '1500',
      }),
      { partitions: 4, leases: true, workerId: 'w1', leaseMs: 1500 },
    );
    assert.equal(readProjections({ GUARDYN_PROJECTIONS__WORKER_ID: 'solo' }).leases, true);
    assert.equal(readProjections({ GUARDYN_PROJECTIONS__PARTITIONS: '2' }).leases, true);
  });

  it('rejects bad values, naming the variable', () => {
    const cases: Record<string, string>[] = [
      { GUARDYN_PROJECTIONS__PARTITIONS: '0' },
      { GUARDYN_PROJECTIONS__PARTITIONS: '65' },
      { GUARDYN_PROJECTIONS__PARTITIONS: 'four' },
      { GUARDYN_PROJECTIONS__WORKER_ID: 'has.dot' },
      { GUARDYN_PROJECTIONS__WORKER_ID: 'a b' },
      { GUARDYN_PROJECTIONS__LEASE_MS: '10' },
    ];
    for (const env of cases) {
      const name = Object.keys(env)[0]!;
      assert.throws(
        () => readProjections(env),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name),
        JSON.stringify(env),
      );
    }
  });
});
