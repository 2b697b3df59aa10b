/** The presence view: the newest commit's state replaces the record; the present index follows the live state. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStores } from '../../stores/embedded.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import type { PresenceChangedData } from '../../streams/events/presence.ts';
import { presenceProjection } from './projector.ts';
import { PresenceView } from './queries.ts';

const a = '00000000-0000-4000-8000-00000000000a';
const b = '00000000-0000-4000-8000-00000000000b';

function commit(seq: number, data: PresenceChangedData): StoredCommit {
  return {
    stream: 'PRESENCE',
    subject: `presence.user.${data.userId}`,
    seq,
    hash: '',
    prev: '',
    commandId: `c${seq}`,
    command: 'ObservePresence',
    correlationId: 'x',
    causationId: 'x',
    actor: null,
    at: data.at,
    events: [{ type: 'PresenceChanged', data }],
  } as unknown as StoredCommit;
}

const state = (userId: string, live: PresenceChangedData['live'], at: number): PresenceChangedData => ({
  userId,
  live,
  chosen: 'ONLINE',
  customStatusText: '',
  lastSeen: at,
  updatedAt: at,
  cause: 'connection',
  at,
});

describe('presence projection', () => {
  it('keeps the newest state per user and the users present', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-presence-view-'));
    const stores = await openEmbeddedStores(dir);
    try {
      const projection = presenceProjection(stores.kv);
      const view = new PresenceView(stores.kv);
      const apply = async (c: StoredCommit) => {
        const tx = projection.target.begin();
        await projection.project(c, tx);
        await projection.target.commit('presence', tx, c.seq, []);
      };
      await apply(commit(1, state(a, 'ONLINE', 10)));
      await apply(commit(2, state(b, 'AWAY', 20)));
      assert.deepEqual(await view.present(10), [a, b]);
      assert.deepEqual(await view.present(10, a), [b]);
      await apply(commit(3, { ...state(a, 'OFFLINE', 30), chosen: 'INVISIBLE' }));
      assert.deepEqual(await view.present(10), [b]);
      const [ra, rb, none] = await view.getMany([a, b, '00000000-0000-4000-8000-00000000000c']);
      assert.equal(ra?.live, 'OFFLINE');
      assert.equal(ra?.chosen, 'INVISIBLE');
      assert.equal(ra?.seq, 3);
      assert.equal(rb?.live, 'AWAY');
      assert.equal(none, undefined);
      assert.equal(await projection.target.checkpoint('presence'), 3);
    } finally {
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
