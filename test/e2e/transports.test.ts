/**
 * The same contract checks over native gRPC and over gRPC-Web, against one
 * whole Guardyn: each check runs on both transports, asserts the contract's
 * answer, and the two answers must be equal (status, status message, response,
 * Guardyn trailers). Authentication failures, validation errors, a rate limit,
 * a server stream (refused and delivering), and bytes that do not decode.
 * gRPC-Web runs the very handlers the gRPC servers run (in-process dispatch),
 * so any difference here is a bug of the bridge.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { nativeTransport, webTransport, type Answer, type ContractTransport } from '../support/transports.ts';

const PASSWORD = 'correct horse battery';
const AUTH = '/guardyn.auth.AuthService';
const MSG = '/guardyn.messaging.MessagingService';
const SEARCHES_PER_WINDOW = 3;

interface Account {
  userId: string;
  token: string;
}

describe('the same contract over native gRPC and gRPC-Web', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let transports: ContractTransport[];

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'presence', 'projections', 'notifications'],
      env: {
        GUARDYN_LIMITS__SEARCHES_PER_ADDRESS: String(SEARCHES_PER_WINDOW),
        GUARDYN_LIMITS__SEARCHES_PER_ADDRESS_WINDOW_SECONDS: '1',
      },
    });
    const ports: Record<string, number | undefined> = {
      'guardyn.auth.AuthService': g.ports.auth,
      'guardyn.messaging.MessagingService': g.ports.messaging,
      'guardyn.presence.PresenceService': g.ports.presence,
    };
    transports = [
      nativeTransport((service) => ports[service]!),
      webTransport(`http://127.0.0.1:${g.ports.notifications}`),
    ];
  });
  after(async () => {
    for (const t of transports ?? []) t.close();
    await g?.stop();
    await nats?.stop();
  });

  /** Runs `check` over each transport; the answers must be equal. Returns them (native first). */
  async function overBoth<T>(
    check: (t: ContractTransport) => Promise<T>,
    normalize: (answer: T) => unknown = (a) => a,
  ): Promise<T[]> {
    const answers: T[] = [];
    for (const t of transports) answers.push(await check(t));
    assert.deepEqual(
      normalize(answers[1]!),
      normalize(answers[0]!),
      `${transports[1]!.name} answers as ${transports[0]!.name} does`,
    );
    return answers;
  }

  async function register(t: ContractTransport): Promise<Account> {
    const r = await t.unary(`${AUTH}/Register`, {
      username: uniqueName('both'),
      password: PASSWORD,
      device_name: t.name,
    });
    assert.equal(r.status, 0, r.message);
    assert.equal(r.response!.result, 'success', JSON.stringify(r.response!.error));
    return { userId: r.response!.success.user_id, token: r.response!.success.access_token };
  }
  const bearer = (a: Account) => ({ authorization: `Bearer ${a.token}` });
  const errorOf = (a: Answer) =>
    a.status === 0 ? a.response?.error : { status: a.status, message: a.message, trailers: a.trailers };

  it('authentication failures: a bad token, none at all, a malformed authorization header', async () => {
    const [bad] = await overBoth((t) => t.unary(`${AUTH}/ValidateToken`, { access_token: 'not.a.token' }));
    assert.equal(bad!.status, 0);
    assert.equal(bad!.response!.error.code, 'UNAUTHORIZED');
    const [none] = await overBoth(
      (t) =>
        t.unary(`${MSG}/SendMessage`, { recipient_user_id: crypto.randomUUID(), encrypted_content: Buffer.from('x') }),
      errorOf,
    );
    assert.deepEqual(errorOf(none!), { code: 'UNAUTHORIZED', message: 'missing access token', details: {} });
    const [basic] = await overBoth((t) =>
      t.unary(
        `${MSG}/GetMessages`,
        { conversation_user_id: crypto.randomUUID() },
        { authorization: 'Basic dXNlcjpwYXNz' },
      ),
    );
    assert.equal(basic!.response!.error.code, 'UNAUTHORIZED');
    assert.equal(basic!.response!.error.details.metadata, 'authorization');
  });

  it('a valid token is accepted with the same claims on both transports', async () => {
    for (const t of transports) {
      const me = await register(t);
      const answers = await overBoth((u) => u.unary(`${AUTH}/ValidateToken`, { access_token: me.token }));
      assert.equal(answers[0]!.response!.success.user_id, me.userId);
    }
  });

  it('validation errors name the same field with the same message', async () => {
    const sender = await register(transports[0]!);
    const [badId] = await overBoth((t) =>
      t.unary(
        `${MSG}/SendMessage`,
        { recipient_user_id: 'not-a-user-id', encrypted_content: Buffer.from('x'), message_type: 'TEXT' },
        bearer(sender),
      ),
    );
    assert.equal(badId!.response!.error.code, 'INVALID_REQUEST');
    assert.equal(badId!.response!.error.details.field, 'recipient_user_id');
    const [empty] = await overBoth((t) =>
      t.unary(
        `${MSG}/SendMessage`,
        { recipient_user_id: sender.userId, encrypted_content: Buffer.alloc(0), message_type: 'TEXT' },
        bearer(sender),
      ),
    );
    assert.equal(empty!.response!.error.code, 'INVALID_REQUEST');
    assert.equal(empty!.response!.error.details.field, 'encrypted_content');
  });

  it('a per-address rate limit (searches) refuses the same way once the window is used up', async () => {
    const me = await register(transports[0]!);
    await overBoth(
      async (t) => {
        // Wait for a fresh window (the other transport's searches count against the same address), then use it up.
        const search = () => t.unary(`${AUTH}/SearchUsers`, { query: 'both', limit: 1 }, bearer(me));
        const deadline = Date.now() + 20_000;
        while ((await search()).response?.error?.code === 'RATE_LIMITED') {
          assert.ok(Date.now() < deadline, 'the window never reopened');
          await sleep(50);
        }
        for (let i = 0; i < 4 * SEARCHES_PER_WINDOW; i++) {
          const r = await search();
          if (r.response?.error?.code === 'RATE_LIMITED') return r;
        }
        assert.fail(`${t.name}: no RATE_LIMITED after ${4 * SEARCHES_PER_WINDOW} searches`);
      },
      (a) => ({ code: a.response!.error.code, message: a.response!.error.message }),
    );
  });

  it('a server stream: refused with UNAUTHENTICATED and the Guardyn trailers; with a valid token it delivers a message sent to it', async () => {
    const [refused] = await overBoth(
      async (t) => (await t.stream(`${MSG}/ReceiveMessages`, {}, { authorization: 'Bearer not.a.token' })).done,
    );
    assert.equal(refused!.status, 16);
    assert.equal(refused!.trailers['guardyn-error-code'], 'UNAUTHORIZED');

    const alice = await register(transports[0]!);
    await overBoth(async (t) => {
      const bob = await register(t);
      const stream = await t.stream(`${MSG}/ReceiveMessages`, {}, bearer(bob));
      const next = stream.next();
      const sent = await t.unary(
        `${MSG}/SendMessage`,
        { recipient_user_id: bob.userId, encrypted_content: Buffer.from(`to ${t.name}`), message_type: 'TEXT' },
        bearer(alice),
      );
      assert.equal(sent.response!.result, 'success', JSON.stringify(sent.response!.error));
      const got = await next;
      assert.equal(got.message_id, sent.response!.success.message_id);
      stream.cancel();
      await stream.done;
      return {
        sender: got.sender_user_id,
        content: Buffer.from(got.encrypted_content)
          .toString()
          .replace(/^to .*$/, 'to <transport>'),
      };
    });
  });

  it('bytes that do not decode as the request answer the same (status, message, error)', async () => {
    // A varint cut short, and a field with wire type 7: protobuf cannot decode either. Both transports
    // decode with the served definition (gateways/grpc/server.ts servedService), so they answer alike.
    const [send] = await overBoth((t) => t.unary(`${MSG}/SendMessage`, Buffer.from([0x08, 0xff])));
    const [validate] = await overBoth((t) => t.unary(`${AUTH}/ValidateToken`, Buffer.from([0x17])));
    for (const answer of [send!, validate!])
      assert.ok(answer.status !== 0 || answer.response?.error !== undefined, JSON.stringify(answer));
  });
});
