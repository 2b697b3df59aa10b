/**
 * A commit's headers are written by hand (streams/envelope.ts, CommitHeaders): the bytes must be
 * the ones nats.js writes for the same headers appended in the same order, and a value that would
 * break the header block is refused as nats.js refuses it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { commitHeaders, HEADER, type Commit } from './envelope.ts';

const token = fc.stringMatching(/^[A-Za-z0-9._:/-]{1,40}$/);
const withSpaces = fc
  .tuple(fc.constantFrom('', ' ', '  '), token, fc.constantFrom('', ' '))
  .map(([a, b, c]) => a + b + c);

function commitOf(types: string[], actor: { userId: string; deviceId: string } | null): Commit {
  return {
    commandId: 'c',
    command: 'X',
    correlationId: 'r',
    causationId: 'r',
    actor,
    at: 1,
    events: types.map((type) => ({ type, data: {} })),
  } as unknown as Commit;
}

/** What nats.js writes for the same headers, appended in the order the event log appended them. */
function natsForm(
  types: string[],
  actor: { userId: string; deviceId: string } | null,
  prev: string,
  hash: string,
  append?: { msgId: string; expectedSeq: number },
): Uint8Array {
  const h = natsHeaders();
  h.append(HEADER.events, types.join(','));
  if (actor) h.append(HEADER.actor, `${actor.userId}/${actor.deviceId}`);
  h.append(HEADER.prev, prev);
  h.append(HEADER.hash, hash);
  if (append) {
    h.append(HEADER.msgId, append.msgId);
    h.append(HEADER.expectedLastSubjectSeq, String(append.expectedSeq));
  }
  return (h as unknown as { encode(): Uint8Array }).encode();
}

describe('commit headers written by hand', () => {
  it('are byte for byte what nats.js writes, with and without the actor and the append headers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[A-Za-z]{1,20}$/), { minLength: 1, maxLength: 4 }),
        fc.option(fc.record({ userId: token, deviceId: token }), { nil: null }),
        withSpaces,
        fc.stringMatching(/^[0-9a-f]{64}$/),
        fc.option(fc.record({ msgId: withSpaces, expectedSeq: fc.nat() }), { nil: undefined }),
        (types, actor, prev, hash, append) => {
          const mine = commitHeaders(commitOf(types, actor), prev, hash, append);
          assert.deepEqual(Buffer.from(mine.encode()), Buffer.from(natsForm(types, actor, prev, hash, append)));
          assert.equal(mine.has(HEADER.msgId), append !== undefined);
          assert.equal(mine.has(HEADER.actor), actor !== null);
        },
      ),
    );
  });

  it('refuses a value with a line break, as nats.js does, and names the header', () => {
    fc.assert(
      fc.property(token, fc.constantFrom('\r', '\n', '\r\n'), token, (a, brk, b) => {
        const bad = `${a}${brk}${b}`;
        assert.throws(() => commitHeaders(commitOf(['A'], null), bad, 'h'), /Guardyn-Prev cannot hold a line break/);
        assert.throws(
          () => commitHeaders(commitOf(['A'], null), 'p', 'h', { msgId: bad, expectedSeq: 1 }),
          /Nats-Msg-Id cannot hold a line break/,
        );
        assert.throws(
          () => commitHeaders(commitOf(['A'], { userId: bad, deviceId: 'd' }), 'p', 'h'),
          /Guardyn-Actor cannot hold a line break/,
        );
        assert.throws(() => natsForm(['A'], null, bad, 'h'));
      }),
    );
  });
});
