import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PasswordHasher } from './passwords.ts';

// Low-cost parameters keep the suite fast; production uses config.auth.argon2.
const cheap = { memoryKiB: 1024, passes: 1, parallelism: 1 };

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(cheap);

  test('hashes with Argon2id and the configured parameters, salted afresh each time', async () => {
    const a = await hasher.hash('correct horse battery staple');
    const b = await hasher.hash('correct horse battery staple');
    const params = /^\$argon2id\$v=19\$([^$]+)\$/.exec(a)?.[1]?.split(',').sort();
    assert.deepEqual(params, ['m=1024', 'p=1', 't=1']);
    assert.notEqual(a, b);
    assert.ok(!a.includes('correct horse'));
  });

  test('verify accepts the right password and rejects a wrong one', async () => {
    const h = await hasher.hash('pässwörd-ünïcode');
    assert.equal(await hasher.verify(h, 'pässwörd-ünïcode'), true);
    assert.equal(await hasher.verify(h, 'passwörd-ünïcode'), false);
    assert.equal(await hasher.verify(h, ''), false);
  });

  test('verify answers false (never throws) for malformed hashes', async () => {
    for (const bad of [
      '',
      'abc',
      '$argon2id$',
      '$argon2id$v=19$m=1024,t=1,p=1$garbage',
      '$2b$10$abcdefghijklmnopqrstuv',
    ]) {
      assert.equal(await hasher.verify(bad, 'whatever1'), false, `hash ${JSON.stringify(bad)}`);
    }
  });

  test('verify still accepts hashes made with older parameters', async () => {
    const old = new PasswordHasher({ memoryKiB: 2048, passes: 2, parallelism: 1 });
    const h = await old.hash('legacy-password');
    assert.equal(await hasher.verify(h, 'legacy-password'), true);
    assert.equal(hasher.needsRehash(h), true);
    assert.equal(hasher.needsRehash(await hasher.hash('x')), false);
    assert.equal(hasher.needsRehash('not a hash'), true);
  });

  test('verifyDummy always answers false', async () => {
    assert.equal(await hasher.verifyDummy('anything'), false);
    assert.equal(await hasher.verifyDummy(''), false);
  });

  test('verifyDummy takes about as long as a real failed verification', async () => {
    // Costly enough (a few ms) that the hash dominates the timing noise.
    const timed = new PasswordHasher({ memoryKiB: 8192, passes: 2, parallelism: 1 });
    const real = await timed.hash('the real password');
    await timed.verifyDummy('warm-up');
    const realTimes: number[] = [];
    const dummyTimes: number[] = [];
    for (let i = 0; i < 9; i++) {
      let t0 = performance.now();
      await timed.verify(real, 'a wrong password');
      realTimes.push(performance.now() - t0);
      t0 = performance.now();
      await timed.verifyDummy('a wrong password');
      dummyTimes.push(performance.now() - t0);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const ratio = median(dummyTimes) / median(realTimes);
    assert.ok(ratio > 0.5 && ratio < 2, `dummy/real median time ratio ${ratio.toFixed(2)}`);
  });
});
