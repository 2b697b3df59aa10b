import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

describe('messaging settings', () => {
  test('defaults: delete for everyone within 48 h, 5 typing indicators a second per recipient', () => {
    const c = loadConfig({});
    assert.equal(c.messaging.deleteWindowSeconds, 48 * 3600);
    assert.deepEqual(c.messaging.typingPerRecipient, { max: 5, windowSeconds: 1 });
  });

  test('are configurable, and bad values name the variable', () => {
    const c = loadConfig({
      GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS: '3600',
      GUARDYN_MESSAGING__TYPING_PER_RECIPIENT: '2',
      GUARDYN_MESSAGING__TYPING_PER_RECIPIENT_WINDOW_SECONDS: '3',
    });
    assert.equal(c.messaging.deleteWindowSeconds, 3600);
    assert.deepEqual(c.messaging.typingPerRecipient, { max: 2, windowSeconds: 3 });
    for (const [name, value] of [
      ['GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS', '0'],
      ['GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS', 'soon'],
      ['GUARDYN_MESSAGING__TYPING_PER_RECIPIENT', '-1'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      );
    }
  });
});
