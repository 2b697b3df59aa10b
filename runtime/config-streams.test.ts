import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('gRPC stream limits', () => {
  test('defaults: 20 open streams per user, 8 per device', () => {
    const c = loadConfig({}).limits;
    assert.equal(c.streamsPerUser, 20);
    assert.equal(c.streamsPerDevice, 8);
  });

  test('are configurable (0 turns one off), and bad values stop the start naming the variable', () => {
    const c = loadConfig({ GUARDYN_LIMITS__STREAMS_PER_USER: '0', GUARDYN_LIMITS__STREAMS_PER_DEVICE: '3' }).limits;
    assert.equal(c.streamsPerUser, 0);
    assert.equal(c.streamsPerDevice, 3);
    for (const [name, value] of [
      ['GUARDYN_LIMITS__STREAMS_PER_USER', '-1'],
      ['GUARDYN_LIMITS__STREAMS_PER_DEVICE', 'many'],
      ['GUARDYN_LIMITS__STREAMS_PER_DEVICE', '100001'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      );
    }
  });
});
