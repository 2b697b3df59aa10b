import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStores, type EmbeddedStores } from './embedded.ts';
import { DataKeyMissing, DataKeys, dataKeyKey, REDACTED, SealedValueInvalid } from './data-keys.ts';

describe('DataKeys', () => {
  let dir: string;
  let stores: EmbeddedStores;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-datakeys-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seals with AES-256-GCM under a 256-bit key: fresh IV each time, no plaintext in the output', async () => {
    const keys = new DataKeys(stores.kv);
    await keys.create('u1');
    assert.equal((await stores.kv.get(dataKeyKey('u1')))?.length, 32);
    const a = await keys.seal('u1', 'alice@example.org');
    const b = await keys.seal('u1', 'alice@example.org');
    assert.notEqual(a.iv, b.iv);
    assert.notEqual(a.ct, b.ct);
    assert.equal(Buffer.from(a.iv, 'base64').length, 12);
    assert.equal(Buffer.from(a.ct, 'base64').length, 'alice@example.org'.length + 16);
    assert.ok(!JSON.stringify(a).includes('alice'));
    assert.equal(await keys.open('u1', a), 'alice@example.org');
    assert.equal(await keys.open('u1', await keys.seal('u1', '')), '');
  });

  it('creates a key once: a second create (another process) keeps the first key', async () => {
    const first = new DataKeys(stores.kv);
    const second = new DataKeys(stores.kv);
    await first.create('u2');
    const sealed = await first.seal('u2', 'name');
    await second.create('u2');
    assert.equal(await second.open('u2', sealed), 'name');
  });

  it('refuses a value sealed for another user or changed in any bit', async () => {
    const keys = new DataKeys(stores.kv);
    await keys.create('u3');
    await keys.create('u4');
    const sealed = await keys.seal('u3', 'secret');
    await assert.rejects(keys.open('u4', sealed), SealedValueInvalid);
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] = ct[0]! ^ 1;
    await assert.rejects(keys.open('u3', { ...sealed, ct: ct.toString('base64') }), SealedValueInvalid);
    await assert.rejects(keys.open('u3', { iv: 'AAAA', ct: sealed.ct }), SealedValueInvalid);
  });

  it('after destroy, opens nothing (undefined / redacted), seals nothing, and the store holds no key', async () => {
    const keys = new DataKeys(stores.kv);
    await keys.create('u5');
    const sealed = await keys.seal('u5', 'bob');
    await keys.destroy('u5');
    assert.equal(await stores.kv.get(dataKeyKey('u5')), undefined);
    assert.equal(await keys.exists('u5'), false);
    assert.equal(await keys.open('u5', sealed), undefined);
    assert.equal(await keys.openOrRedacted('u5', sealed), REDACTED);
    await assert.rejects(keys.seal('u5', 'again'), DataKeyMissing);
  });

  it('caches keys for the TTL only; forget drops a copy another process still holds', async () => {
    const clock = { now: 0 };
    const holder = new DataKeys(stores.kv, { ttlMs: 1000, now: () => clock.now });
    const destroyer = new DataKeys(stores.kv);
    await destroyer.create('u6');
    const sealed = await destroyer.seal('u6', 'carol');
    assert.equal(await holder.open('u6', sealed), 'carol');
    await destroyer.destroy('u6');
    assert.equal(await holder.open('u6', sealed), 'carol', 'still cached in the other instance');
    clock.now = 1001;
    assert.equal(await holder.open('u6', sealed), undefined, 'gone once the cache entry is older than the TTL');

    await destroyer.create('u7');
    const seven = await destroyer.seal('u7', 'dave');
    assert.equal(await holder.open('u7', seven), 'dave');
    await destroyer.destroy('u7');
    holder.forget('u7');
    assert.equal(await holder.open('u7', seven), undefined);
  });

  it('shares one instance per store', () => {
    assert.equal(DataKeys.for(stores.kv), DataKeys.for(stores.kv));
  });
});
