import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config.ts';
import { readTikvConfig } from './config-tikv.ts';

describe('GUARDYN_DATABASE__TIKV_PD_ENDPOINTS', () => {
  const read = (value: string | undefined) => readTikvConfig({ GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: value });

  it('is absent unless set', () => {
    assert.equal(read(undefined), undefined);
    assert.equal(read('  '), undefined);
  });

  it('reads a list of host:port and http://host:port, without repeats', () => {
    assert.deepEqual(read('pd-0:2379, http://pd-1:2379/,pd-0:2379,[::1]:2379'), {
      pdEndpoints: ['pd-0:2379', 'pd-1:2379', '[::1]:2379'],
    });
  });

  it('rejects an endpoint without a port, or with a bad one, naming the variable', () => {
    for (const bad of ['pd-0', 'pd-0:0', 'pd-0:70000', 'ftp://pd:1', ',']) {
      assert.throws(
        () => read(bad),
        (e: unknown) => e instanceof ConfigError && /GUARDYN_DATABASE__TIKV_PD_ENDPOINTS/.test(e.message),
        bad,
      );
    }
  });
});

describe('GUARDYN_DATABASE__TIKV_KEY_PREFIX', () => {
  const read = (prefix: string | undefined) =>
    readTikvConfig({ GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: 'pd:2379', GUARDYN_DATABASE__TIKV_KEY_PREFIX: prefix });

  it('is absent unless set, and read as given', () => {
    assert.deepEqual(read(undefined), { pdEndpoints: ['pd:2379'] });
    assert.deepEqual(read('tenant-a/'), { pdEndpoints: ['pd:2379'], keyPrefix: 'tenant-a/' });
  });

  it('rejects a prefix with other characters, or too long, naming the variable', () => {
    for (const bad of ['a b', 'x'.repeat(129), 'é']) {
      assert.throws(
        () => read(bad),
        (e: unknown) => e instanceof ConfigError && /GUARDYN_DATABASE__TIKV_KEY_PREFIX/.test(e.message),
        bad,
      );
    }
  });
});
