import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { silentLogger } from '../runtime/logger.ts';
import { EventLog } from '../streams/log.ts';
import { natsRangeReader } from '../streams/range-reader.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { STREAMS, subjects } from '../streams/subjects.ts';
import { openEmbeddedStores, type EmbeddedStores } from '../stores/embedded.ts';
import { DataKeys } from '../stores/data-keys.ts';
import { parseAggregate, stateAsOf } from './as-of.ts';
import { replay } from './replay.ts';
import { ChainedAppender, sendMessage, startConversation, T0 } from './fixtures.ts';
import type { Commit } from '../streams/envelope.ts';

const commit = (id: string, at: number, events: Commit['events'], actor = 'owner'): Commit => ({
  commandId: id,
  command: id,
  correlationId: id,
  causationId: id,
  actor: { userId: actor, deviceId: 'd1' },
  at,
  events,
});

describe('audit as-of', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dir: string;
  let stores: EmbeddedStores;
  let keys: DataKeys;
  const keyExists = (u: string) => keys.exists(u);

  before(async () => {
    nats = await withNatsServer();
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-asof-'));
    stores = await openEmbeddedStores(dir);
    keys = new DataKeys(stores.kv);
    const a = new ChainedAppender(log);
    // A conversation: started at T0+1s, messages at +2s, +3s, read at +4s.
    await a.conversation('c1', startConversation('c1', 'alice', 'bob', T0 + 1000));
    await a.conversation('c1', sendMessage('c1', 'c1-m1', 'bob', 'alice', T0 + 2000));
    await a.conversation('c1', sendMessage('c1', 'c1-m2', 'alice', 'bob', T0 + 3000));
    await a.conversation(
      'c1',
      commit('read', T0 + 4000, [
        {
          type: 'MessagesRead',
          data: {
            conversationId: 'c1',
            participants: ['alice', 'bob'],
            readerUserId: 'bob',
            readerDeviceId: 'd1',
            messageIds: ['c1-m2'],
            at: T0 + 4000,
          },
        },
      ]),
    );
    // A group: created with carol at +1s, dave added at +2s, carol removed at +3s.
    const g = subjects.group('g1');
    const mls = Buffer.from('mls');
    await a.append(
      STREAMS.messages,
      g,
      commit('create', T0 + 1000, [
        {
          type: 'GroupCreated',
          data: {
            groupId: 'g1',
            name: 'G',
            ownerUserId: 'owner',
            members: [
              { userId: 'owner', role: 'owner' },
              { userId: 'carol', role: 'member' },
            ],
            mlsGroupState: mls,
            at: T0 + 1000,
          },
        },
      ]),
    );
    await a.append(
      STREAMS.messages,
      g,
      commit('add', T0 + 2000, [
        {
          type: 'GroupMemberAdded',
          data: {
            groupId: 'g1',
            userId: 'dave',
            deviceId: 'd1',
            role: 'admin',
            addedBy: 'owner',
            mlsGroupState: mls,
            at: T0 + 2000,
          },
        },
      ]),
    );
    await a.append(
      STREAMS.messages,
      g,
      commit('remove', T0 + 3000, [
        {
          type: 'GroupMemberRemoved',
          data: { groupId: 'g1', userId: 'carol', removedBy: 'owner', mlsGroupState: mls, at: T0 + 3000 },
        },
      ]),
    );
    // Two accounts with sealed personal data; erin's key is destroyed afterwards.
    for (const user of ['frank', 'erin']) {
      await keys.create(user);
      await a.append(
        STREAMS.accounts,
        subjects.user(user),
        commit(
          `reg-${user}`,
          T0 + 1000,
          [
            {
              type: 'UserRegistered',
              data: {
                userId: user,
                username: await keys.seal(user, user),
                email: await keys.seal(user, `${user}@x`),
                passwordHash: await keys.seal(user, 'h'),
                at: T0 + 1000,
              },
            },
          ],
          user,
        ),
      );
    }
    await keys.destroy('erin');
  });
  after(async () => {
    await log?.close();
    await stores?.close();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a conversation as it was, moment by moment', async () => {
    const before = await stateAsOf(natsRangeReader(log), eventRegistry, parseAggregate('conversation:c1'), T0 + 500);
    assert.equal(before.exists, false);
    assert.equal(before.commits, 0);
    const mid = await stateAsOf(natsRangeReader(log), eventRegistry, parseAggregate('conversation:c1'), T0 + 2500);
    assert.deepEqual(mid.state, {
      started: true,
      participants: ['alice', 'bob'],
      lastMessageId: 'c1-m1',
      recentlyRead: [],
      recentlyDeleted: [],
      recentlyHidden: [],
    });
    assert.equal(mid.commits, 2);
    assert.equal(mid.lastAt, new Date(T0 + 2000).toISOString());
    const end = await stateAsOf(natsRangeReader(log), eventRegistry, parseAggregate('conversation:c1'), T0 + 10_000);
    assert.deepEqual(end.state, {
      started: true,
      participants: ['alice', 'bob'],
      lastMessageId: 'c1-m2',
      recentlyRead: ['c1-m2'],
      recentlyDeleted: [],
      recentlyHidden: [],
    });
  });

  it('a group as it was', async () => {
    const at2 = await stateAsOf(natsRangeReader(log), eventRegistry, parseAggregate('group:g1'), T0 + 2000);
    assert.deepEqual(at2.state, {
      created: true,
      ownerUserId: 'owner',
      members: { owner: 'owner', carol: 'member', dave: 'admin' },
    });
    const at3 = await stateAsOf(natsRangeReader(log), eventRegistry, parseAggregate('group:g1'), T0 + 3000);
    assert.deepEqual(at3.state, { created: true, ownerUserId: 'owner', members: { owner: 'owner', dave: 'admin' } });
  });

  it('an account shows sealed data as sealed, and as redacted once its key is gone', async () => {
    const frank = await stateAsOf(
      natsRangeReader(log),
      eventRegistry,
      parseAggregate('account:frank'),
      T0 + 5000,
      keyExists,
    );
    const f = frank.state as Record<string, unknown>;
    assert.equal(f['registered'], true);
    assert.equal(f['username'], '[sealed]');
    const erin = await stateAsOf(
      natsRangeReader(log),
      eventRegistry,
      parseAggregate('account:erin'),
      T0 + 5000,
      keyExists,
    );
    const e = erin.state as Record<string, unknown>;
    assert.equal(e['username'], '[redacted]');
    assert.equal(e['email'], '[redacted]');
    // Replay agrees, and the chain of the shredded account still verifies (the hash is over ciphertext).
    const out = path.join(dir, 'accounts.jsonl');
    await replay(natsRangeReader(log), eventRegistry, {
      streams: [STREAMS.accounts],
      window: {},
      format: 'jsonl',
      out,
      keyExists,
    });
    const lines = fs
      .readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.data.userId, l.data.username]),
      [
        ['frank', '[sealed]'],
        ['erin', '[redacted]'],
      ],
    );
    assert.ok(!fs.readFileSync(out, 'utf8').includes('frank@x'));
    const { verifyStreams } = await import('./verify.ts');
    assert.equal((await verifyStreams(natsRangeReader(log), { streams: [STREAMS.accounts] })).ok, true);
  });

  it('bad aggregates are refused with a clear error', () => {
    assert.throws(() => parseAggregate('wallet:1'), /must be one of conversation:<id>, group:<id>, account:<id>/);
    assert.throws(() => parseAggregate('conversation:a.b'), /not a valid subject token/);
    assert.throws(() => parseAggregate(undefined), /must be one of/);
  });
});
