/**
 * The range reader: the reply subject's numbers as the client parses them,
 * and an ordered read that survives the loss of its consumer (a new one after
 * the last sequence handed out: every message once, in order), ends at the
 * stream's end as it was when the read started, and leaves no consumer behind.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useEventLog } from '../test/support/event-log.ts';
import type { EventLog } from './log.ts';
import { STREAMS } from './subjects.ts';
import { ChainedAppender, seedConversations, sendMessage, startConversation, T0 } from '../audit/fixtures.ts';
import { natsRangeReader, parseAckReply } from './range-reader.ts';

const parse = (reply: string) => {
  const out = { sseq: 0, dseq: 0, timeMs: 0, pending: 0 };
  return parseAckReply(Buffer.from(reply, 'latin1'), out) ? out : undefined;
};

describe('parseAckReply', () => {
  it('reads both reply forms, and the time as the client computes it', () => {
    assert.deepEqual(parse('$JS.ACK.MESSAGES.c1.1.42.7.1764979200123456789.3'), {
      sseq: 42,
      dseq: 7,
      timeMs: 1764979200123,
      pending: 3,
    });
    assert.deepEqual(parse('$JS.ACK.hub.ACCHASH.MESSAGES.c1.1.42.7.1764979200123456789.0.rAnD0m'), {
      sseq: 42,
      dseq: 7,
      timeMs: 1764979200123,
      pending: 0,
    });
    assert.equal(parse('$JS.ACK.MESSAGES.c1.1.42.7.1764979200123456789'), undefined);
    assert.equal(parse('_INBOX.abc.def'), undefined);
    assert.equal(parse('$JS.ACK.MESSAGES.c1.1.4x.7.1764979200123456789.3'), undefined);
    // Near a ms boundary the client's rounding (parseInt of all digits, then / 1e6) is what counts.
    const base = 1764979200123n * 1_000_000n;
    for (const offset of [
      0n,
      1n,
      64n,
      127n,
      128n,
      129n,
      500n,
      999n,
      1000n,
      500_000n,
      998_999n,
      999_000n,
      999_872n,
      999_900n,
      999_999n,
    ]) {
      const ns = (base + offset).toString();
      assert.equal(parse(`$JS.ACK.S.c.1.1.1.${ns}.0`)!.timeMs, Math.floor(Number.parseInt(ns, 10) / 1e6), ns);
    }
  });
});

describe('range reader', () => {
  let log: EventLog;
  useEventLog(async (started) => {
    log = started.log;
    await seedConversations(log, 3, 10); // 30 commits
  });

  const consumerNames = async () => {
    const names: string[] = [];
    for await (const c of log.jsm.consumers.list(STREAMS.messages)) names.push(c.name);
    return names;
  };
  const waitForNoConsumer = async () => {
    const deadline = Date.now() + 30_000;
    while ((await consumerNames()).length !== 0 && Date.now() < deadline) await sleep(50);
    assert.deepEqual(await consumerNames(), []);
  };

  it('every message once and in order when its consumer is deleted mid-read', async () => {
    const reader = natsRangeReader(log, { stallMs: 2000 });
    const seen: number[] = [];
    const times: number[] = [];
    let deleted = false;
    await reader.read({ stream: STREAMS.messages, batch: 4 }, async (m) => {
      seen.push(m.seq);
      times.push(m.timeMs);
      if (m.seq === 6 && !deleted) {
        // The server loses the consumer (restart, cleanup): the read goes on with a new one.
        for (const name of await consumerNames()) await log.jsm.consumers.delete(STREAMS.messages, name);
        deleted = true;
      }
    });
    assert.ok(deleted);
    assert.deepEqual(
      seen,
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    // JetStream's times, in ms, never going back.
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! >= times[i - 1]!);
    assert.ok(Math.abs(times[0]! - Date.now()) < 10 * 60_000);
    await waitForNoConsumer();
  });

  it('ends at the stream end of its start while commits keep arriving; a sub-range and headers only', async () => {
    const reader = natsRangeReader(log);
    const seen: number[] = [];
    let added = false;
    const plan = await reader.read({ stream: STREAMS.messages, batch: 5 }, async (m) => {
      if (!added) {
        added = true;
        const late = new ChainedAppender(log);
        await late.conversation('late', startConversation('late', 'a', 'b', T0));
        await late.conversation('late', sendMessage('late', 'l1', 'a', 'b', T0 + 1));
        await late.conversation('late', sendMessage('late', 'l2', 'b', 'a', T0 + 2));
      }
      seen.push(m.seq);
    });
    assert.equal(plan.endSeq, 30);
    assert.deepEqual(
      seen,
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    const sizes: number[] = [];
    const hashes: string[] = [];
    await reader.read({ stream: STREAMS.messages, startSeq: 31, endSeq: 32, headersOnly: true }, (m) => {
      sizes.push(m.data.length);
      hashes.push(m.header('Guardyn-Hash'));
    });
    assert.deepEqual(sizes, [0, 0]);
    assert.equal(hashes.length, 2);
    for (const h of hashes) assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(await reader.streamState('NO_SUCH_STREAM'), undefined);
    assert.equal((await reader.streamState(STREAMS.messages))?.lastSeq, 33);
    await waitForNoConsumer();
  });
});
