/**
 * A long conversation pages completely: 10,000 messages by cursor, newest
 * first, with no gap and no repeat, while deletions leave tombstones in place.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TestNatsServer } from '../support/nats.ts';
import { uniqueName, useGuardyn, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';

const MESSAGES = 10_000;

describe('long history', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  useGuardyn((started) => ({ nats, g } = started));

  it(`pages through ${MESSAGES} messages by cursor with no gap and no repeat`, async () => {
    const users = await Promise.all(
      [uniqueName(), uniqueName()].map(async (username) => {
        const r = await g.auth.Register!({ username, password: 'correct horse battery' });
        assert.equal(r.result, 'success', JSON.stringify(r.error));
        return { id: r.success.user_id as string, token: r.success.access_token as string };
      }),
    );
    const [a, b] = users as [{ id: string; token: string }, { id: string; token: string }];
    const sent: string[] = new Array(MESSAGES);
    let lastSeq = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = next++; i < MESSAGES; i = next++) {
          const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
          const r = await g.messaging.SendMessage!(
            { recipient_user_id: to.id, encrypted_content: Buffer.from(`m${i}`), client_message_id: `h${i}` },
            bearer(from.token),
          );
          assert.equal(r.result, 'success', JSON.stringify(r.error));
          sent[i] = r.success.message_id;
          lastSeq = Math.max(lastSeq, Number(r.success.consistency.seq));
        }
      }),
    );
    // A busy machine may leave the views behind the sends for longer than one read-your-writes wait.
    // The timeline and the conversations view (which DeleteMessage finds the message in) have readers
    // of their own on the production stores: wait for both.
    for (let tries = 0; tries < 30; tries++) {
      const caught = await g.messaging.GetMessages!(
        { conversation_user_id: b.id, limit: 1, min_seq: String(lastSeq) },
        bearer(a.token),
      );
      if (caught.result === 'success' && caught.success.stale === false) break;
    }
    for (let tries = 0; tries < 30; tries++) {
      const caught = await g.messaging.GetConversations!({ limit: 1, min_seq: String(lastSeq) }, bearer(a.token));
      if (caught.result === 'success' && caught.success.stale === false) break;
    }
    const deleted = await g.messaging.DeleteMessage!(
      { message_id: sent[5000], delete_for_everyone: true },
      bearer(a.token),
    );
    assert.equal(deleted.result, 'success', JSON.stringify(deleted.error));

    const seen: { id: string; seq: number; deleted: boolean }[] = [];
    let cursor = '';
    let minSeq = deleted.success.consistency.seq as string;
    for (let page = 0; page < MESSAGES / 100 + 2; page++) {
      const r = await g.messaging.GetMessages!(
        { conversation_user_id: b.id, limit: 100, cursor, min_seq: minSeq },
        bearer(a.token),
      );
      assert.equal(r.result, 'success', JSON.stringify(r.error));
      assert.equal(r.success.stale, false);
      seen.push(
        ...r.success.messages.map((m: { message_id: string; seq: string; is_deleted: boolean }) => ({
          id: m.message_id,
          seq: Number(m.seq),
          deleted: m.is_deleted,
        })),
      );
      cursor = r.success.next_cursor;
      minSeq = '0';
      if (!cursor) break;
    }
    assert.equal(seen.length, MESSAGES, 'every message once');
    assert.equal(new Set(seen.map((m) => m.id)).size, MESSAGES, 'no repeat');
    assert.deepEqual(new Set(seen.map((m) => m.id)), new Set(sent), 'no gap');
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1]!.seq > seen[i]!.seq, 'newest first by stream order');
    assert.deepEqual(
      seen.filter((m) => m.deleted).map((m) => m.id),
      [sent[5000]],
      'the deleted message is a tombstone in its place',
    );
  });
});
