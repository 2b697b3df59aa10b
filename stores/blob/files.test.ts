import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blobStoreConformance } from './conformance.ts';
import { FileBlobStore } from './files.ts';
import { parseRange, startBlobHttpServer } from './http-handler.ts';

async function openFileStore() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-blob-'));
  const signingKey = randomBytes(32);
  // The URLs name the listener's port, known once it is bound: the listener serves one store
  // instance, the URLs come from a second over the same directory and key.
  const served = await FileBlobStore.open({ root: dir, signingKey, publicUrl: 'http://127.0.0.1' });
  const server = await startBlobHttpServer({ host: '127.0.0.1', port: 0, store: served });
  const store = await FileBlobStore.open({ root: dir, signingKey, publicUrl: `http://127.0.0.1:${server.port}` });
  return { store, dir, server };
}

blobStoreConformance('embedded files', async () => {
  const { store, dir, server } = await openFileStore();
  return {
    store,
    multipartSize: 20 * 1024 * 1024,
    async teardown() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('embedded blob store specifics', () => {
  it('never replaces an existing object (a second PUT on the same URL is 409) and leaves no temporary files', async () => {
    const { store, dir, server } = await openFileStore();
    try {
      const url = await store.presignPut('m/one', { size: 3, contentType: 'text/plain', expiresInSeconds: 60 });
      assert.equal((await fetch(url.url, { method: 'PUT', headers: url.headers, body: 'abc' })).status, 201);
      assert.equal((await fetch(url.url, { method: 'PUT', headers: url.headers, body: 'xyz' })).status, 409);
      assert.deepEqual(fs.readdirSync(path.join(dir, 'tmp')), []);
      assert.equal(fs.readFileSync(store.objectPath('m/one'), 'utf8'), 'abc');
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses keys that could leave the root', async () => {
    const { store, dir, server } = await openFileStore();
    try {
      await assert.rejects(store.presignGet('../etc/passwd', { expiresInSeconds: 60 }), /blob key/);
      const res = await fetch(
        `http://127.0.0.1:${server.port}/blob/..%2F..%2Fetc%2Fpasswd?expires=${Date.now() + 60000}&signature=00`,
      );
      assert.equal(res.status, 400);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parses single byte ranges', () => {
    assert.deepEqual(parseRange('bytes=0-9', 100), { offset: 0, length: 10 });
    assert.deepEqual(parseRange('bytes=90-', 100), { offset: 90 });
    assert.deepEqual(parseRange('bytes=-10', 100), { offset: 90, length: 10 });
    assert.equal(parseRange('bytes=5-1', 100), 'invalid');
    assert.equal(parseRange('items=1-2', 100), 'invalid');
    assert.equal(parseRange(undefined, 100), null);
  });
});
