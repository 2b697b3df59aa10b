/**
 * Open gRPC streams per user and per device, over real gRPC against a real
 * nats-server: ReceiveMessages and presence Subscribe count together; over
 * GUARDYN_LIMITS__STREAMS_PER_DEVICE or GUARDYN_LIMITS__STREAMS_PER_USER a
 * stream is refused with RESOURCE_EXHAUSTED naming the variable; a stream that
 * ends (cancelled, or ended by the server) gives its slot back; refused,
 * unauthenticated and invalid streams take none.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { TestNatsServer } from '../support/nats.ts';
import { withNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';

type Reply = Record<string, any>;
interface Account {
  userId: string;
  deviceId: string;
  token: string;
  username: string;
}

const PASSWORD = 'correct horse battery';
const PER_USER = 3;
const PER_DEVICE = 2;

interface OpenStream {
  /** Resolves true once the server accepted the stream (its headers came), false if it ended first. */
  readonly accepted: Promise<boolean>;
  readonly ended: Promise<grpc.StatusObject>;
  cancel(): Promise<grpc.StatusObject>;
}

describe('gRPC stream limits', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'presence', 'projections'],
      env: {
        GUARDYN_LIMITS__STREAMS_PER_USER: String(PER_USER),
        GUARDYN_LIMITS__STREAMS_PER_DEVICE: String(PER_DEVICE),
      },
    });
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });

  async function register(): Promise<Account> {
    const username = uniqueName('streams');
    const r = await g.auth.Register!({
      username,
      password: PASSWORD,
      email: '',
      device_name: 'laptop',
      device_type: 'desktop',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token, username };
  }

  async function otherDevice(a: Account): Promise<Account> {
    const r = await g.auth.Login!({
      username: a.username,
      password: PASSWORD,
      device_name: 'phone',
      device_type: 'ios',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { ...a, deviceId: r.success.device_id, token: r.success.access_token };
  }

  function open(
    kind: 'receive' | 'subscribe',
    metadata: grpc.Metadata,
    request: Reply = {},
    watch: string[] = [],
  ): OpenStream {
    const client = kind === 'receive' ? g.messaging.raw : g.presence.raw;
    const fn = (
      client as unknown as Record<string, (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<Reply>>
    )[kind === 'receive' ? 'ReceiveMessages' : 'Subscribe']!;
    const call = fn.call(client, kind === 'receive' ? request : { user_ids: watch, ...request }, metadata);
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    const ended = new Promise<grpc.StatusObject>((resolve) => call.on('status', resolve));
    let timer: NodeJS.Timeout | undefined;
    const accepted = Promise.race([
      new Promise<boolean>((resolve) => call.once('metadata', () => resolve(true))),
      ended.then(() => false),
      new Promise<boolean>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the ${kind} stream was neither accepted (headers) nor ended within 15 s`)),
          15_000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return {
      accepted,
      ended,
      async cancel() {
        call.cancel();
        return ended;
      },
    };
  }

  async function opened(
    kind: 'receive' | 'subscribe',
    who: Account,
    watch: string[] = [who.userId],
  ): Promise<OpenStream> {
    const s = open(kind, bearer(who.token), {}, watch);
    assert.equal(
      await s.accepted,
      true,
      `the ${kind} stream is open: ${JSON.stringify(await Promise.race([s.ended, Promise.resolve(null)]))}`,
    );
    return s;
  }

  async function refusedFor(kind: 'receive' | 'subscribe', who: Account, variable: string): Promise<void> {
    const s = open(kind, bearer(who.token), {}, [who.userId]);
    assert.equal(await s.accepted, false, `a ${kind} stream over the limit is refused`);
    const status = await s.ended;
    assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED, status.details);
    assert.ok(status.details.includes(variable), status.details);
    assert.equal(status.metadata.get('guardyn-error-code')[0], 'RATE_LIMITED');
  }

  /** Opens a stream as soon as a slot is free (the server releases it once it sees the end): true when it got one in time. */
  async function openWhenFree(kind: 'receive' | 'subscribe', who: Account, ms = 10_000): Promise<OpenStream> {
    const deadline = Date.now() + ms;
    for (;;) {
      const s = open(kind, bearer(who.token), {}, [who.userId]);
      if (await s.accepted) return s;
      const status = await s.ended;
      assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED, status.details);
      if (Date.now() > deadline) assert.fail(`no ${kind} slot came free within ${ms} ms`);
      await sleep(50);
    }
  }

  it('per device: ReceiveMessages and Subscribe count together; beyond the limit RESOURCE_EXHAUSTED names GUARDYN_LIMITS__STREAMS_PER_DEVICE; a cancelled stream frees its slot', async () => {
    const a = await register();
    const first = await opened('receive', a);
    const second = await opened('subscribe', a);
    await refusedFor('receive', a, 'GUARDYN_LIMITS__STREAMS_PER_DEVICE');
    await refusedFor('subscribe', a, 'GUARDYN_LIMITS__STREAMS_PER_DEVICE');
    // Another user is not affected.
    const other = await opened('receive', await register());

    await first.cancel();
    const again = await openWhenFree('receive', a);
    await refusedFor('receive', a, 'GUARDYN_LIMITS__STREAMS_PER_DEVICE');
    for (const s of [second, again, other]) await s.cancel();
  });

  it('per user: all devices together; beyond the limit RESOURCE_EXHAUSTED names GUARDYN_LIMITS__STREAMS_PER_USER; slots come back after cancel, 50 times over', async () => {
    const laptop = await register();
    const phone = await otherDevice(laptop);
    const held = [await opened('receive', laptop), await opened('subscribe', laptop), await opened('receive', phone)];
    await refusedFor('subscribe', phone, 'GUARDYN_LIMITS__STREAMS_PER_USER');
    // Open and cancel many times: nothing leaks, the user always gets its last slot back.
    await held.pop()!.cancel();
    for (let i = 0; i < 50; i++) {
      const s = await openWhenFree(i % 2 === 0 ? 'receive' : 'subscribe', phone);
      await s.cancel();
    }
    const last = await openWhenFree('receive', phone);
    await refusedFor('receive', phone, 'GUARDYN_LIMITS__STREAMS_PER_USER');
    for (const s of [...held, last]) await s.cancel();
  });

  it('streams refused before admission (no token, a bad request) take no slot', async () => {
    const a = await register();
    for (let i = 0; i < PER_USER + 2; i++) {
      const anonymous = open('receive', new grpc.Metadata());
      assert.equal((await anonymous.ended).code, grpc.status.UNAUTHENTICATED);
      const bad = open('receive', bearer(a.token), { after_seq: String(2 ** 53 - 1) });
      assert.equal((await bad.ended).code, grpc.status.INVALID_ARGUMENT);
      const badWatch = open('subscribe', bearer(a.token), {}, []);
      assert.equal((await badWatch.ended).code, grpc.status.INVALID_ARGUMENT);
    }
    const both = [await opened('receive', a), await opened('subscribe', a)];
    for (const s of both) await s.cancel();
  });

  it('a stream the server ends (session revoked) gives its slot back', async () => {
    const laptop = await register();
    const phone = await otherDevice(laptop);
    const s1 = await opened('receive', phone);
    const s2 = await opened('subscribe', phone);
    const revoked = await g.auth.RevokeDevice!({ device_id: phone.deviceId }, bearer(laptop.token));
    assert.equal(revoked.result, 'success', JSON.stringify(revoked.error));
    assert.equal((await s1.ended).code, grpc.status.UNAUTHENTICATED);
    assert.equal((await s2.ended).code, grpc.status.UNAUTHENTICATED);
    // The user's slots: the laptop gets the phone's two back (3 per user, 2 per device: the third would be the phone's).
    const l1 = await openWhenFree('receive', laptop);
    const l2 = await openWhenFree('subscribe', laptop);
    await refusedFor('receive', laptop, 'GUARDYN_LIMITS__STREAMS_PER_DEVICE');
    for (const s of [l1, l2]) await s.cancel();
  });
});
