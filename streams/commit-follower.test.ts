import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { claimCommit, useEventLog } from '../test/support/event-log.ts';
import type { EventLog } from './log.ts';
import { commitSource, type CommitStream } from './commit-follower.ts';
import { GENESIS } from './hash-chain.ts';
import { STREAMS, subjects } from './subjects.ts';

const DEBIAN_NATS = '/usr/sbin/nats-server';
const servers: { label: string; binary?: string }[] = [{ label: 'project nats-server' }];
if (fs.existsSync(DEBIAN_NATS)) servers.push({ label: 'Debian nats-server 2.9', binary: DEBIAN_NATS });

/** The first `n` commits a stream gives, as (subject, seq), within 10 s. */
async function take(stream: CommitStream, n: number): Promise<{ subject: string; seq: number }[]> {
  const out: { subject: string; seq: number }[] = [];
  const timer = setTimeout(() => void stream.close(), 10_000);
  try {
    for await (const { seq, commit } of stream) {
      assert.ok(commit !== undefined, `commit ${seq} decodes`);
      out.push({ subject: commit.subject, seq });
      if (out.length === n) break;
    }
  } finally {
    clearTimeout(timer);
    await stream.close();
  }
  return out;
}

for (const variant of servers) {
  describe(`a commit source on ${variant.label}`, () => {
    let log: EventLog;
    useEventLog(
      (started) => {
        log = started.log;
      },
      variant.binary ? { binary: variant.binary } : {},
    );

    it("narrowed to one subject filter gives that filter's commits only, in order, after the position", async () => {
      const mine = subjects.username('follower-mine');
      const other = subjects.username('follower-other');
      const a = await log.append({
        stream: STREAMS.accounts,
        subject: mine,
        commit: claimCommit('u1', 'f-1'),
        expectedSeq: 0,
        prev: GENESIS,
      });
      await log.append({
        stream: STREAMS.accounts,
        subject: other,
        commit: claimCommit('u2', 'f-2'),
        expectedSeq: 0,
        prev: GENESIS,
      });
      assert.equal(a.kind, 'appended');
      const source = commitSource(log, STREAMS.accounts, mine);
      const head = await source.head();
      assert.ok(head >= 2);
      const following = source.follow(0);
      const later = await log.append({
        stream: STREAMS.accounts,
        subject: mine,
        commit: claimCommit('u3', 'f-3'),
        expectedSeq: a.seq,
        prev: a.kind === 'appended' ? a.hash : GENESIS,
      });
      assert.deepEqual(await take(following, 2), [
        { subject: mine, seq: a.seq },
        { subject: mine, seq: later.seq },
      ]);
      assert.deepEqual(await take(source.follow(a.seq), 1), [{ subject: mine, seq: later.seq }]);
    });
  });
}
