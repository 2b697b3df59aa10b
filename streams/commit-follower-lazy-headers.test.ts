/**
 * The commit follower (live delivery's reader of MESSAGES, the session endings' reader of
 * ACCOUNTS) decodes each commit once and leaves its NATS headers unparsed until the commit's
 * prev or hash is read: parsing every followed message's headers was 1.6 % of a gateway's CPU.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MsgHdrsImpl } from '@nats-io/nats-core';
import { appendClaim, useEventLog } from '../test/support/event-log.ts';
import { GENESIS, type EventLog } from './log.ts';
import { commitSource } from './commit-follower.ts';
import { STREAMS, subjects } from './subjects.ts';

describe('commit follower', () => {
  let log: EventLog;
  useEventLog((started) => {
    log = started.log;
  });

  it('hands over decoded commits and parses their headers only when prev or hash is read', async () => {
    const subject = subjects.username('follower_test');
    const appended = await appendClaim(log, subject, 'follow-1', 'u1');
    assert.equal(appended.kind, 'appended');
    const decode = MsgHdrsImpl.decode.bind(MsgHdrsImpl);
    let parsed = 0;
    MsgHdrsImpl.decode = (a: Uint8Array) => {
      parsed++;
      return decode(a);
    };
    const stream = commitSource(log, STREAMS.accounts).follow(0);
    const commits = stream[Symbol.asyncIterator]();
    try {
      const first = await commits.next();
      assert.equal(first.done, false);
      const { seq, commit } = first.value!;
      assert.equal(seq, appended.kind === 'appended' ? 1 : 0);
      assert.deepEqual(commit?.events, [{ type: 'UsernameClaimed', data: { userId: 'u1', at: 1 } }]);
      assert.equal(parsed, 0, 'no header was parsed to hand the commit over');
      assert.equal(commit?.hash, appended.kind === 'appended' ? appended.hash : '');
      assert.equal(commit?.prev, GENESIS);
      assert.ok(parsed >= 1, 'read on demand');
    } finally {
      MsgHdrsImpl.decode = decode;
      // The follower ends once closed and asked for its next commit.
      const closing = stream.close();
      assert.equal((await commits.next()).done, true);
      await closing;
    }
  });
});
