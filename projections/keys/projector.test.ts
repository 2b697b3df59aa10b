import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import type { StoredCommit } from '../../streams/envelope.ts';
import type { DeviceKeysEvent } from '../../commands/device/decider.ts';
import { keysProjection } from './projector.ts';
import { KeysView } from './queries.ts';

const b = (s: string) => Buffer.from(s);
let seq = 0;
function commit(userId: string, deviceId: string, events: DeviceKeysEvent[]): StoredCommit {
  seq += 1;
  return {
    stream: 'ACCOUNTS',
    subject: `accounts.device.${userId}.${deviceId}`,
    seq,
    prev: '',
    hash: '',
    body: new Uint8Array(0),
    commandId: `c${seq}`,
    command: 'Test',
    correlationId: 'x',
    causationId: 'x',
    actor: null,
    at: seq,
    events,
  };
}
const publish = (userId: string, deviceId: string, keys: string[]): DeviceKeysEvent => ({
  type: 'DeviceKeysPublished',
  data: {
    userId,
    deviceId,
    identityKey: b('ik'),
    signedPreKey: b('spk'),
    signedPreKeySignature: b('sig'),
    oneTimePreKeys: keys.map((k, i) => ({ keyId: i + 1, key: b(k) })),
    at: 1,
  },
});

describe('keys projection', () => {
  let dir: string;
  let stores: EmbeddedStores;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-keys-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Applies commits as one batch (one transaction), as the runtime does. */
  async function apply(...commits: StoredCommit[]): Promise<void> {
    const p = keysProjection(stores.kv);
    const tx = p.target.begin();
    for (const c of commits) await p.project(c, tx);
    await p.target.commit(p.name, tx, commits[commits.length - 1]!.seq, []);
  }

  it('keeps the bundle, the unused one-time pre-keys and key packages of a device', async () => {
    const view = new KeysView(stores.kv);
    await apply(
      commit('u1', 'd1', [publish('u1', 'd1', ['a', 'b'])]),
      commit('u1', 'd1', [{ type: 'OneTimePreKeysAdded', data: { keys: [{ keyId: 3, key: b('c') }], at: 2 } }]),
      commit('u1', 'd1', [{ type: 'OneTimePreKeyConsumed', data: { keyId: 1, byUserId: 'u2', at: 3 } }]),
    );
    await apply(
      commit('u1', 'd1', [
        { type: 'SignedPreKeyRotated', data: { signedPreKey: b('spk2'), signature: b('sig2'), at: 4 } },
      ]),
      commit('u1', 'd1', [{ type: 'MlsKeyPackageUploaded', data: { packageId: 'p1', keyPackage: b('one'), at: 5 } }]),
      commit('u1', 'd1', [{ type: 'MlsKeyPackageUploaded', data: { packageId: 'p0', keyPackage: b('two'), at: 6 } }]),
      commit('u1', 'd1', [{ type: 'MlsKeyPackageConsumed', data: { packageId: 'p1', byUserId: 'u2', at: 7 } }]),
    );
    const d = await view.device('u1', 'd1');
    assert.equal(Buffer.from(d.bundle!.identityKey).toString(), 'ik');
    assert.equal(Buffer.from(d.bundle!.signedPreKey).toString(), 'spk2');
    assert.equal(d.bundle!.signedPreKeyAt, 4);
    assert.deepEqual(
      d.oneTimePreKeys.map((k) => [k.keyId, Buffer.from(k.key).toString()]),
      [
        [2, 'b'],
        [3, 'c'],
      ],
    );
    assert.deepEqual(
      d.mlsKeyPackages.map((p) => p.packageId),
      ['p0'],
    );
  });

  it('removes everything of a device on withdrawal, including rows written earlier in the same batch, and nothing of other devices', async () => {
    const view = new KeysView(stores.kv);
    await apply(commit('u3', 'd1', [publish('u3', 'd1', ['x'])]), commit('u3', 'd2', [publish('u3', 'd2', ['y'])]));
    assert.ok((await view.rowsOfUser('u3')) >= 4);
    await apply(
      commit('u3', 'd1', [{ type: 'OneTimePreKeysAdded', data: { keys: [{ keyId: 2, key: b('z') }], at: 8 } }]),
      commit('u3', 'd1', [{ type: 'MlsKeyPackageUploaded', data: { packageId: 'p1', keyPackage: b('one'), at: 9 } }]),
      commit('u3', 'd1', [{ type: 'DeviceKeysWithdrawn', data: { at: 10 } }]),
    );
    const gone = await view.device('u3', 'd1');
    assert.deepEqual(gone, { bundle: undefined, oneTimePreKeys: [], mlsKeyPackages: [] });
    const kept = await view.device('u3', 'd2');
    assert.ok(kept.bundle);
    assert.equal(kept.oneTimePreKeys.length, 1);
    await apply(commit('u3', 'd2', [{ type: 'DeviceKeysWithdrawn', data: { at: 11 } }]));
    assert.equal(await view.rowsOfUser('u3'), 0);
    assert.ok((await view.rowsOfUser('u1')) > 0, 'other users untouched');
  });
});
