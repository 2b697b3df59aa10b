/** The sessions and users projectors over a real (embedded) key-value store. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoredCommit } from '../../streams/envelope.ts';
import type { AccountEvent } from '../../commands/account/decider.ts';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import { DataKeys, REDACTED } from '../../stores/data-keys.ts';
import type { KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { sessionsProjection } from './projector.ts';
import { SessionsView } from './queries.ts';
import { usersProjection } from '../users/projector.ts';
import { UsersView } from '../users/queries.ts';

let seq = 0;
const commit = (...events: AccountEvent[]): StoredCommit => ({
  stream: 'ACCOUNTS',
  subject: 'accounts.user.u',
  seq: ++seq,
  prev: '',
  hash: '',
  body: new Uint8Array(),
  commandId: `c${seq}`,
  command: 'Test',
  correlationId: 'x',
  causationId: 'x',
  actor: null,
  at: 1,
  events,
});

async function applyAll(projection: Projection<KvTx>, ...commits: StoredCommit[]): Promise<void> {
  const tx = projection.target.begin();
  for (const c of commits) await projection.project(c, tx);
  await projection.target.commit(projection.name, tx, commits[commits.length - 1]!.seq, []);
}

const started = (userId: string, sessionId: string, hash: string): AccountEvent => ({
  type: 'SessionStarted',
  data: { userId, sessionId, deviceId: 'd1', refreshTokenHash: hash, expiresAt: 100, at: 1 },
});

describe('sessions projector', () => {
  let dir: string;
  let stores: EmbeddedStores;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-sessions-view-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('resolves current and spent refresh hashes, and marks revoked sessions inactive', async () => {
    const projection = sessionsProjection(stores.kv);
    const view = new SessionsView(stores.kv);
    await applyAll(
      projection,
      commit(started('u1', 's1', 'h1')),
      commit({
        type: 'SessionRefreshed',
        data: { userId: 'u1', sessionId: 's1', refreshTokenHash: 'h2', expiresAt: 200, at: 2 },
      }),
    );
    assert.deepEqual(await view.byRefreshHash('h1'), { sessionId: 's1', userId: 'u1' });
    assert.deepEqual(await view.byRefreshHash('h2'), { sessionId: 's1', userId: 'u1' });
    assert.equal((await view.byId('s1'))?.refreshTokenHash, 'h2');
    assert.equal(await view.status('s1', 'u1'), 'active');
    assert.equal(await view.status('s1', 'someone-else'), 'ended');
    assert.equal(
      await view.status('not-yet-projected', 'u1'),
      'unknown',
      'an unknown session is for the log to tell, never active by itself',
    );
    await applyAll(
      projection,
      commit({ type: 'SessionRevoked', data: { userId: 'u1', sessionId: 's1', reason: 'logout', at: 3 } }),
    );
    assert.equal(await view.status('s1', 'u1'), 'ended');
    assert.equal((await view.byId('s1'))?.revokedReason, 'logout');
    assert.equal(await view.applied(), seq);
  });

  it('removes a deleted user entirely, even sessions started in the same batch, and leaves a tombstone', async () => {
    const projection = sessionsProjection(stores.kv);
    const view = new SessionsView(stores.kv);
    await applyAll(projection, commit(started('u2', 's2', 'h21')), commit(started('u3', 's3', 'h31')));
    await applyAll(
      projection,
      commit(started('u2', 's4', 'h41')),
      commit({
        type: 'SessionRefreshed',
        data: { userId: 'u2', sessionId: 's2', refreshTokenHash: 'h22', expiresAt: 200, at: 2 },
      }),
      commit({ type: 'AccountDeleted', data: { userId: 'u2', at: 3 } }),
    );
    assert.deepEqual(await view.idsOfUser('u2'), []);
    for (const h of ['h21', 'h22', 'h41']) assert.equal(await view.byRefreshHash(h), undefined, h);
    assert.equal(await view.byId('s2'), undefined);
    assert.equal(await view.status('s2', 'u2'), 'ended');
    assert.equal(await view.status('s-never-seen', 'u2'), 'ended', 'no session of a deleted user is active');
    assert.equal(await view.status('s3', 'u3'), 'active', 'other users are untouched');
    assert.deepEqual(await view.byRefreshHash('h31'), { sessionId: 's3', userId: 'u3' });
  });
});

describe('users projector', () => {
  let dir: string;
  let stores: EmbeddedStores;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-users-view-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function registration(keys: DataKeys, userId: string, name: string) {
    await keys.create(userId);
    return [
      commit({
        type: 'UserRegistered',
        data: {
          userId,
          username: await keys.seal(userId, name),
          email: await keys.seal(userId, `${name}@example.org`),
          passwordHash: await keys.seal(userId, 'ph'),
          at: 1,
        },
      }),
      commit({
        type: 'DeviceRegistered',
        data: {
          userId,
          deviceId: 'd1',
          deviceName: await keys.seal(userId, `${name}'s phone`),
          deviceType: 'ios',
          keyBundle: null,
          at: 1,
        },
      }),
    ];
  }

  it('opens sealed fields; shows [redacted] and no name index once the key is gone; removes a deleted user', async () => {
    const keys = new DataKeys(stores.kv);
    const view = new UsersView(stores.kv);
    const alice = await registration(keys, 'ua', 'Alice');
    const bob = await registration(keys, 'ub', 'Bob');
    await applyAll(usersProjection(stores.kv, keys), ...alice, ...bob);
    assert.deepEqual(await view.byId('ua'), {
      userId: 'ua',
      username: 'Alice',
      email: 'Alice@example.org',
      createdAt: 1,
      devices: [{ deviceId: 'd1', deviceName: "Alice's phone", deviceType: 'ios', createdAt: 1 }],
    });
    assert.equal(await view.idByUsername('alice'), 'ua');

    await keys.destroy('ua');
    const replay = usersProjection(stores.kv, keys);
    await replay.target.reset(replay.name);
    await applyAll(replay, ...alice, ...bob);
    const redacted = await view.byId('ua');
    assert.deepEqual(
      { ...redacted, devices: redacted?.devices.map((d) => d.deviceName) },
      { userId: 'ua', username: REDACTED, email: REDACTED, createdAt: 1, devices: [REDACTED] },
    );
    assert.equal(await view.idByUsername('alice'), undefined);
    assert.equal((await view.byId('ub'))?.username, 'Bob');

    await applyAll(replay, commit({ type: 'DeviceRevoked', data: { userId: 'ub', deviceId: 'd1', at: 2 } }));
    assert.deepEqual((await view.byId('ub'))?.devices, []);
    await applyAll(
      replay,
      commit({ type: 'AccountDeleted', data: { userId: 'ua', at: 3 } }),
      commit({ type: 'AccountDeleted', data: { userId: 'ub', at: 3 } }),
    );
    assert.equal(await view.byId('ua'), undefined);
    assert.equal(await view.byId('ub'), undefined);
    assert.equal(await view.idByUsername('bob'), undefined);
  });
});
