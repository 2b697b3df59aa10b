import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UNKNOWN_PRESENCE, type PresenceState } from '../commands/presence/decider.ts';
import { LastSeenBoard } from './presence-last-seen.ts';

const committed: PresenceState = {
  known: true,
  live: 'ONLINE',
  chosen: 'ONLINE',
  customStatusText: '',
  lastSeen: 1000,
  updatedAt: 1000,
};

describe('LastSeenBoard', () => {
  it('keeps the newest time per user and raises a state to it, never lowers it', () => {
    const board = new LastSeenBoard();
    board.saw('u1', 5000);
    board.saw('u1', 3000);
    assert.equal(board.latest('u1'), 5000, 'an older report does not move it back');
    assert.equal(board.raise('u1', committed).lastSeen, 5000);
    assert.equal(board.raise('u1', { ...committed, lastSeen: 9000 }).lastSeen, 9000, 'a newer commit wins');
    assert.equal(board.raise('u2', committed).lastSeen, 1000, 'a user not seen here keeps the committed time');
    assert.equal(board.raise('u1', UNKNOWN_PRESENCE), UNKNOWN_PRESENCE, 'no presence yet stays none');
  });

  it('stays bounded, forgetting the least recently updated users', () => {
    const board = new LastSeenBoard(3);
    for (const [i, u] of ['a', 'b', 'c', 'd'].entries()) board.saw(u, i + 1);
    assert.equal(board.size, 3);
    assert.equal(board.latest('a'), undefined);
    board.saw('b', 10);
    board.saw('e', 11);
    assert.equal(board.latest('b'), 10, 'b was updated, c was the oldest');
    assert.equal(board.latest('c'), undefined);
  });
});
