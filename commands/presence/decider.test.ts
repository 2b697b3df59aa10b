/** The presence decider: status choices, connection-derived states, idempotence, and what others see. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRight } from 'fp-ts/lib/Either.js';
import { fold } from '../handler/decider.ts';
import {
  presenceDecider as decider,
  shownPresence,
  type Observe,
  type PresenceCommand,
  type PresenceEvent,
  type PresenceState,
} from './decider.ts';

const user = '00000000-0000-4000-8000-00000000000a';
const AWAY = 300_000;
const EVERY = 60_000;

function run(
  state: PresenceState,
  command: PresenceCommand,
): { state: PresenceState; events: readonly PresenceEvent[] } {
  const r = decider.decide(command, state);
  assert.ok(isRight(r));
  return { state: fold(decider, state, r.right), events: r.right };
}

const observe = (online: boolean, at: number, seenAt?: number): Observe => ({
  kind: 'Observe',
  userId: user,
  online,
  seenAt,
  at,
  awayAfterMs: AWAY,
  lastSeenEveryMs: EVERY,
});

describe('presence decider', () => {
  it('goes ONLINE on a connection, AWAY when idle, OFFLINE when the last connection ends', () => {
    let s = run(decider.initialState, observe(true, 1000, 1000));
    assert.equal(s.state.live, 'ONLINE');
    assert.equal(s.state.lastSeen, 1000);
    assert.equal(s.events[0]?.data.cause, 'connection');
    s = run(s.state, observe(true, 1000 + AWAY - 1, 1000));
    assert.equal(s.events.length, 0, 'not idle long enough yet');
    s = run(s.state, observe(true, 1000 + AWAY, 1000));
    assert.equal(s.state.live, 'AWAY');
    assert.equal(s.events[0]?.data.cause, 'idle');
    s = run(s.state, observe(true, 1000 + AWAY + 5, 1000 + AWAY + 5));
    assert.equal(s.state.live, 'ONLINE', 'activity brings the user back');
    s = run(s.state, observe(false, 400_000, 399_000));
    assert.equal(s.state.live, 'OFFLINE');
    assert.equal(s.state.lastSeen, 399_000);
  });

  it('is idempotent: the same observation twice commits once', () => {
    const first = run(decider.initialState, observe(true, 1000, 1000));
    assert.equal(first.events.length, 1);
    assert.equal(run(first.state, observe(true, 1500, 1200)).events.length, 0);
    const off = run(first.state, observe(false, 2000));
    assert.equal(off.events.length, 1);
    assert.equal(run(off.state, observe(false, 3000)).events.length, 0);
  });

  it('refreshes last-seen only every lastSeenEveryMs while the state stays', () => {
    const s = run(decider.initialState, observe(true, 1000, 1000)).state;
    assert.equal(run(s, observe(true, 1000 + EVERY - 1, 1000 + EVERY - 1)).events.length, 0);
    const r = run(s, observe(true, 1000 + EVERY, 1000 + EVERY));
    assert.equal(r.events.length, 1);
    assert.equal(r.state.lastSeen, 1000 + EVERY);
    assert.equal(r.state.updatedAt, 1000, 'a last-seen refresh is not a status change');
  });

  it('uses the recorded last-seen when the observer knows no activity (a restarted engine)', () => {
    const s = run(decider.initialState, observe(true, 1000, 1000)).state;
    assert.equal(run(s, observe(true, 1000 + AWAY + 1)).state.live, 'AWAY');
  });

  it('keeps the chosen status apart from the live state and combines them when shown', () => {
    let s = run(decider.initialState, observe(true, 1000, 1000)).state;
    s = run(s, {
      kind: 'ChooseStatus',
      userId: user,
      status: 'DO_NOT_DISTURB',
      customStatusText: 'busy',
      at: 1100,
    }).state;
    assert.equal(shownPresence(s, false).status, 'DO_NOT_DISTURB');
    s = run(s, observe(false, 2000)).state;
    assert.equal(s.chosen, 'DO_NOT_DISTURB', 'going offline keeps the choice');
    assert.equal(shownPresence(s, false).status, 'OFFLINE');
    s = run(s, observe(true, 3000, 3000)).state;
    assert.equal(shownPresence(s, false).status, 'DO_NOT_DISTURB');
    assert.equal(shownPresence(s, false).customStatusText, 'busy');
  });

  it('shows INVISIBLE as OFFLINE without last-seen to others, as INVISIBLE to the user', () => {
    let s = run(decider.initialState, observe(true, 1000, 1000)).state;
    s = run(s, { kind: 'ChooseStatus', userId: user, status: 'INVISIBLE', customStatusText: 'secret', at: 1100 }).state;
    assert.deepEqual(shownPresence(s, false), {
      status: 'OFFLINE',
      customStatusText: '',
      lastSeen: undefined,
      updatedAt: 1100,
    });
    assert.equal(shownPresence(s, true).status, 'INVISIBLE');
    assert.equal(shownPresence(s, true).lastSeen, 1000);
  });

  it('a choice that changes nothing commits nothing', () => {
    const s = run(decider.initialState, {
      kind: 'ChooseStatus',
      userId: user,
      status: 'AWAY',
      customStatusText: '',
      at: 1,
    }).state;
    assert.equal(
      run(s, { kind: 'ChooseStatus', userId: user, status: 'AWAY', customStatusText: '', at: 2 }).events.length,
      0,
    );
    assert.equal(
      run(s, { kind: 'ChooseStatus', userId: user, status: 'AWAY', customStatusText: 'x', at: 3 }).events.length,
      1,
    );
  });

  it('rebuilds the state from the last commit alone (every event carries the whole state)', () => {
    let r = run(decider.initialState, {
      kind: 'ChooseStatus',
      userId: user,
      status: 'DO_NOT_DISTURB',
      customStatusText: 'hi',
      at: 1,
    });
    r = run(r.state, observe(true, 10, 10));
    assert.deepEqual(decider.fromLastCommit?.(r.events), r.state);
  });
});
