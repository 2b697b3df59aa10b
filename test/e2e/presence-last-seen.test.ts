/**
 * Last-seen that follows the calls, and the presence visibility policy, over
 * real gRPC against a real nats-server:
 * - UpdateLastSeen answers with the refreshed time, and GetStatus and
 *   GetBulkStatus show it at once, though last-seen commits are throttled
 *   (GUARDYN_PRESENCE__LAST_SEEN_EVERY_MS, a minute here).
 * - GUARDYN_PRESENCE__VISIBILITY: `contacts` (the default) shows presence only
 *   to users sharing a conversation or a group; `everyone` to any
 *   authenticated user, unknown users still NOT_FOUND, typing still for
 *   contacts only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { timestampToMs } from '../../gateways/grpc/timestamps.ts';

const PASSWORD = 'correct horse battery';
const ROLES = ['auth', 'messaging', 'presence', 'projections'] as const;

interface Account {
  userId: string;
  token: string;
}
type Msg = Record<string, any>;

async function registerUser(g: TestGuardyn): Promise<Account> {
  const r = await g.auth.Register!({
    username: uniqueName('seen'),
    password: PASSWORD,
    email: '',
    device_name: 'laptop',
    device_type: 'desktop',
  });
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  return { userId: r.success.user_id, token: r.success.access_token };
}

async function eventually(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** alice sends bob a message and the conversations view holds it (they are contacts). */
async function converse(g: TestGuardyn, from: Account, to: Account): Promise<void> {
  const r = await g.messaging.SendMessage!(
    { recipient_user_id: to.userId, encrypted_content: Buffer.from('hi'), message_type: 'TEXT' },
    bearer(from.token),
  );
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  await eventually(
    async () =>
      (await g.messaging.GetConversations!({ min_seq: r.success.consistency.seq }, bearer(from.token))).success
        .conversations.length > 0,
    'conversation in the view',
  );
}

const ms = (ts: { seconds: string; nanos: number }) => timestampToMs({ seconds: Number(ts.seconds), nanos: ts.nanos });
const lastSeenOf = async (g: TestGuardyn, viewer: Account, subject: Account): Promise<number> => {
  const r = await g.presence.GetStatus!({ user_id: subject.userId }, bearer(viewer.token));
  assert.equal(r.result, 'success', JSON.stringify(r.error));
  assert.notEqual(r.success.last_seen, null);
  return ms(r.success.last_seen);
};

describe('last-seen follows UpdateLastSeen at once, with commits throttled', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let alice: Account, bob: Account;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { roles: [...ROLES], env: { GUARDYN_PRESENCE__LAST_SEEN_EVERY_MS: '60000' } });
    [alice, bob] = [await registerUser(g), await registerUser(g)];
    await converse(g, alice, bob);
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  it('two UpdateLastSeen calls apart answer increasing times, and GetStatus shows the newer one at once', async () => {
    const first = await g.presence.UpdateLastSeen!({}, bearer(bob.token));
    assert.equal(first.result, 'success', JSON.stringify(first.error));
    const t1 = ms(first.success.last_seen);
    assert.ok(Math.abs(t1 - Date.now()) < 5000, 'the time of the call');
    await eventually(async () => Date.now() >= t1 + 1500, 'a moment later');
    const before = Date.now();
    const second = await g.presence.UpdateLastSeen!({}, bearer(bob.token));
    assert.equal(second.result, 'success', JSON.stringify(second.error));
    const t2 = ms(second.success.last_seen);
    assert.ok(t2 >= before && t2 > t1, `refreshed: ${t1} then ${t2} (call at ${before})`);
    // At once, no waiting: bob as alice sees him, and as he sees himself.
    assert.equal(await lastSeenOf(g, alice, bob), t2);
    assert.equal(await lastSeenOf(g, bob, bob), t2);
    const bulk = await g.presence.GetBulkStatus!({ user_ids: [bob.userId] }, bearer(alice.token));
    assert.equal(ms(bulk.success.presences[0].last_seen), t2);
    // Other heartbeats refresh it too, and it never goes back.
    await eventually(async () => Date.now() >= t2 + 1100, 'a moment later');
    const typed = await g.presence.SetTyping!(
      { conversation_user_id: alice.userId, is_typing: true },
      bearer(bob.token),
    );
    assert.equal(typed.result, 'success', JSON.stringify(typed.error));
    const t3 = await lastSeenOf(g, alice, bob);
    assert.ok(t3 > t2, `${t3} after ${t2}`);
  });
});

describe('presence visibility policy', () => {
  let nats: TestNatsServer;
  let everyone: TestGuardyn;
  let contacts: TestGuardyn;
  let alice: Account, bob: Account, carol: Account;

  before(async () => {
    nats = await withNatsServer();
    everyone = await startTestGuardyn(nats.url, {
      roles: [...ROLES],
      env: { GUARDYN_PRESENCE__VISIBILITY: 'everyone' },
    });
    // A second presence gateway over the same views with the default policy.
    contacts = await startTestGuardyn(nats.url, { roles: ['presence'], dataDir: everyone.dataDir });
    [alice, bob, carol] = [await registerUser(everyone), await registerUser(everyone), await registerUser(everyone)];
    await converse(everyone, alice, bob);
    await everyone.presence.UpdateStatus!(
      { status: 'DO_NOT_DISTURB', custom_status_text: 'focus' },
      bearer(alice.token),
    );
  });
  after(async () => {
    await contacts?.stop();
    await everyone?.stop();
    await nats?.stop();
  });

  it('contacts (the default): a stranger sees nothing', async () => {
    const r = await contacts.presence.GetStatus!({ user_id: alice.userId }, bearer(carol.token));
    assert.equal(r.result, 'error');
    assert.equal(r.error.code, 'NOT_FOUND');
    const bulk = await contacts.presence.GetBulkStatus!({ user_ids: [alice.userId, bob.userId] }, bearer(carol.token));
    assert.deepEqual(bulk.success.presences, []);
    const friend = await contacts.presence.GetStatus!({ user_id: alice.userId }, bearer(bob.token));
    assert.equal(friend.success?.status, 'DO_NOT_DISTURB', JSON.stringify(friend));
  });

  it('everyone: any authenticated user sees any user; unknown users stay NOT_FOUND; typing is still for contacts only', async () => {
    let seen: Msg | undefined;
    await eventually(
      async () =>
        (seen = await everyone.presence.GetStatus!({ user_id: alice.userId }, bearer(carol.token))).success?.status ===
        'DO_NOT_DISTURB',
      `alice's presence (last: ${JSON.stringify(seen)})`,
    );
    assert.equal(seen!.success.custom_status_text, 'focus');
    const bulk = await everyone.presence.GetBulkStatus!(
      { user_ids: [alice.userId, bob.userId, randomUUID()] },
      bearer(carol.token),
    );
    assert.deepEqual(
      bulk.success.presences.map((p: Msg) => p.user_id),
      [alice.userId, bob.userId],
    );
    const unknown = await everyone.presence.GetStatus!({ user_id: randomUUID() }, bearer(carol.token));
    assert.equal(unknown.error?.code, 'NOT_FOUND');
    const anonymous = await everyone.presence.GetStatus!({ user_id: alice.userId });
    assert.equal(anonymous.error?.code, 'UNAUTHORIZED');
    const typing = await everyone.presence.SetTyping!(
      { conversation_user_id: alice.userId, is_typing: true },
      bearer(carol.token),
    );
    assert.equal(typing.success?.acknowledged, false, 'not relayed to a stranger');
    // INVISIBLE still hides the user from everyone.
    await everyone.presence.UpdateStatus!({ status: 'INVISIBLE', custom_status_text: '' }, bearer(alice.token));
    await eventually(
      async () =>
        (seen = await everyone.presence.GetStatus!({ user_id: alice.userId }, bearer(carol.token))).success?.status ===
        'OFFLINE',
      'alice invisible',
    );
    assert.equal(seen!.success.last_seen, null);
  });
});
