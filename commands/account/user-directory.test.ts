import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventLog } from '../../streams/log.ts';
import { UserDirectory } from './user-directory.ts';

/** A users view whose users are `present`, counting reads; the log must not be asked (the view knows them all). */
function directory(present: Set<string>) {
  const reads: string[] = [];
  const view = {
    has: async (userId: string) => {
      reads.push(userId);
      await new Promise((r) => setImmediate(r));
      return present.has(userId);
    },
    idByUsername: async () => undefined,
  };
  const log = {
    readSubject: () => ({ next: async () => ({ done: true, value: undefined }) }),
    last: async () => undefined,
  } as unknown as EventLog;
  return { reads, dir: new UserDirectory(log, view) };
}

describe('UserDirectory', () => {
  it('without a watcher of account deletions, reads the view for every call', async () => {
    const { reads, dir } = directory(new Set(['u1']));
    assert.equal(await dir.exists('u1'), true);
    assert.equal(await dir.exists('u1'), true);
    assert.equal(reads.length, 2);
  });

  it('while watched, remembers who exists, and a deleted user is refused at once though the view still lags', async () => {
    const present = new Set(['u1', 'u2']);
    const { reads, dir } = directory(present);
    dir.watching(true);
    for (let i = 0; i < 5; i++) assert.equal(await dir.exists('u1'), true);
    assert.equal(await dir.exists('u2'), true);
    assert.equal(reads.length, 2, 'one read per user');
    dir.userGone('u1');
    assert.equal(await dir.exists('u1'), false, 'deleted: refused although the view still has the user');
    assert.equal(await dir.exists('u2'), true);
    assert.equal(await dir.exists('nobody'), false);
    assert.equal(await dir.exists('nobody'), false);
    assert.equal(reads.filter((u) => u === 'nobody').length, 2, 'an absent user is not remembered');
  });

  it('never remembers an answer read while a deletion arrived', async () => {
    const { dir } = directory(new Set(['u1']));
    dir.watching(true);
    const racing = dir.exists('u1');
    dir.userGone('u1');
    assert.equal(await racing, false, 'the deletion is newer than what the read saw');
    assert.equal(await dir.exists('u1'), false);
  });

  it('forgets what it remembered when the watcher stops', async () => {
    const present = new Set(['u1']);
    const { reads, dir } = directory(present);
    dir.watching(true);
    assert.equal(await dir.exists('u1'), true);
    dir.watching(false);
    present.delete('u1');
    assert.equal(await dir.exists('u1'), false, 'the view is read again');
    assert.equal(reads.length, 2);
  });
});
