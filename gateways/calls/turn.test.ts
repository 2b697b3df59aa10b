import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { turnCredentials } from './turn.ts';

describe('TURN REST credentials', () => {
  test('username is expiry:userId, password base64 HMAC-SHA1 of the username under the shared secret', () => {
    const c = turnCredentials('0123456789abcdef-secret', 'user-1', 600, ['turn:127.0.0.1:3478'], 1_700_000_000_500);
    assert.equal(c.username, '1700000600:user-1');
    assert.equal(
      c.password,
      createHmac('sha1', '0123456789abcdef-secret').update('1700000600:user-1').digest('base64'),
    );
    assert.equal(c.expiresAt, 1_700_000_600_000);
    // A known answer, computed apart (Python's hmac): HMAC-SHA1 under "secret" of "1:u", base64.
    assert.equal(turnCredentials('secret', 'u', 1, [], 0).password, 'KUHD1CkWw8p55pIgHmyFn2XyOzY=');
  });
});
