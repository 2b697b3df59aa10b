/**
 * The blob port's conformance suite: every adapter passes the same tests.
 * Presigned URLs are exercised with plain HTTP requests (fetch), as a client
 * would use them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { BlobNotFound, BlobRangeError, BlobSizeMismatch, type BlobStore } from './port.ts';

export interface BlobFixture {
  readonly store: BlobStore;
  /** An object this large goes up in several parts (multipart) in this adapter. */
  readonly multipartSize: number;
  teardown(): Promise<void>;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** A stream of `size` pseudo-random bytes made chunk by chunk (never held whole). */
export function generatedStream(size: number, seed = 1, chunk = 256 * 1024): Readable {
  let sent = 0;
  const block = Buffer.alloc(chunk);
  for (let i = 0; i < chunk; i++) block[i] = (i * 31 + seed * 17) & 0xff;
  return new Readable({
    read() {
      if (sent >= size) return this.push(null);
      const n = Math.min(chunk, size - sent);
      const out = Buffer.from(block.subarray(0, n));
      out.writeUInt32BE(sent >>> 0, 0);
      sent += n;
      this.push(out);
    },
  });
}

export function blobStoreConformance(name: string, setup: () => Promise<BlobFixture>): void {
  describe(`blob store conformance: ${name}`, () => {
    let fx: BlobFixture;
    before(async () => {
      fx = await setup();
    });
    after(async () => {
      await fx?.teardown();
    });
    const key = () => `m/${randomUUID()}`;

    it('put streams an object in, head and get give it back with its SHA-256', async () => {
      const body = randomBytes(300_000);
      const k = key();
      const put = await fx.store.put(k, Readable.from([body.subarray(0, 1000), body.subarray(1000)]), {
        size: body.length,
        contentType: 'image/png',
      });
      assert.deepEqual(put, { size: body.length, sha256: sha(body) });
      assert.deepEqual(await fx.store.head(k), { size: body.length, contentType: 'image/png' });
      assert.ok((await readAll(await fx.store.get(k))).equals(body));
    });

    it('get serves byte ranges; a range past the end is refused', async () => {
      const body = randomBytes(10_000);
      const k = key();
      await fx.store.put(k, Readable.from([body]), { size: body.length, contentType: 'application/octet-stream' });
      assert.ok((await readAll(await fx.store.get(k, { offset: 100, length: 50 }))).equals(body.subarray(100, 150)));
      assert.ok((await readAll(await fx.store.get(k, { offset: 9_990 }))).equals(body.subarray(9_990)));
      assert.ok((await readAll(await fx.store.get(k, { offset: 9_000, length: 5_000 }))).equals(body.subarray(9_000)));
      await assert.rejects(fx.store.get(k, { offset: 10_001 }), BlobRangeError);
    });

    it('a body of another length than declared is refused and nothing is stored', async () => {
      const k = key();
      await assert.rejects(
        fx.store.put(k, Readable.from([randomBytes(100)]), { size: 99, contentType: 'text/plain' }),
        BlobSizeMismatch,
      );
      assert.equal(await fx.store.head(k), undefined);
      const k2 = key();
      await assert.rejects(
        fx.store.put(k2, Readable.from([randomBytes(100)]), { size: 101, contentType: 'text/plain' }),
        BlobSizeMismatch,
      );
      assert.equal(await fx.store.head(k2), undefined);
    });

    it('head of an absent object is undefined, get is BlobNotFound, delete is idempotent', async () => {
      const k = key();
      assert.equal(await fx.store.head(k), undefined);
      await assert.rejects(fx.store.get(k), BlobNotFound);
      await fx.store.put(k, Readable.from([Buffer.from('x')]), { size: 1, contentType: 'text/plain' });
      await fx.store.delete(k);
      await fx.store.delete(k);
      assert.equal(await fx.store.head(k), undefined);
    });

    it('list walks the objects of a prefix in key order, from after a key, a page at a time', async () => {
      const prefix = `l${randomUUID().slice(0, 8)}/`;
      const keys = ['c', 'a', 'b', 'd'].map((k) => `${prefix}${k}`);
      const before = Date.now() - 60_000;
      for (const k of keys)
        await fx.store.put(k, Readable.from([Buffer.from(k)]), { size: k.length, contentType: 'text/plain' });
      await fx.store.put(`${prefix.slice(0, -1)}x/other`, Readable.from([Buffer.from('o')]), {
        size: 1,
        contentType: 'text/plain',
      });
      const first = await fx.store.list(prefix, { limit: 2 });
      assert.deepEqual(
        first.map((o) => o.key),
        [`${prefix}a`, `${prefix}b`],
      );
      assert.ok(
        first.every((o) => o.modifiedAt > before && o.modifiedAt < Date.now() + 60_000),
        JSON.stringify(first),
      );
      const rest = await fx.store.list(prefix, { after: first[1]!.key, limit: 10 });
      assert.deepEqual(
        rest.map((o) => o.key),
        [`${prefix}c`, `${prefix}d`],
      );
      assert.deepEqual(await fx.store.list(prefix, { after: `${prefix}d`, limit: 10 }), []);
      await fx.store.delete(`${prefix}b`);
      assert.deepEqual(
        (await fx.store.list(prefix, { limit: 10 })).map((o) => o.key),
        [`${prefix}a`, `${prefix}c`, `${prefix}d`],
      );
      assert.deepEqual(await fx.store.list(`nothing-${randomUUID()}/`, { limit: 10 }), []);
    });

    it('a large object goes up in parts, streamed, and comes back intact', async () => {
      const k = key();
      const size = fx.multipartSize;
      const want = createHash('sha256');
      for await (const c of generatedStream(size, 7)) want.update(c as Buffer);
      const put = await fx.store.put(k, generatedStream(size, 7), { size, contentType: 'video/mp4' });
      assert.equal(put.sha256, want.digest('hex'));
      assert.equal((await fx.store.head(k))?.size, size);
      const got = createHash('sha256');
      let n = 0;
      for await (const c of await fx.store.get(k)) {
        got.update(c as Buffer);
        n += (c as Buffer).length;
      }
      assert.equal(n, size);
      assert.equal(got.digest('hex'), put.sha256);
    });

    it('a presigned PUT stores exactly the bound size and content type', async () => {
      const k = key();
      const body = randomBytes(4096);
      const url = await fx.store.presignPut(k, { size: body.length, contentType: 'image/jpeg', expiresInSeconds: 60 });
      assert.ok(url.expiresAt > Date.now() + 50_000 && url.expiresAt <= Date.now() + 60_000);
      const res = await fetch(url.url, { method: 'PUT', headers: url.headers, body });
      assert.ok(res.ok, `PUT answered ${res.status}: ${await res.text()}`);
      assert.deepEqual(await fx.store.head(k), { size: body.length, contentType: 'image/jpeg' });
      assert.ok((await readAll(await fx.store.get(k))).equals(body));
    });

    it('a presigned PUT with another size or content type is refused', async () => {
      const k = key();
      const url = await fx.store.presignPut(k, { size: 100, contentType: 'image/jpeg', expiresInSeconds: 60 });
      const wrongSize = await fetch(url.url, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: randomBytes(101),
      });
      assert.ok(wrongSize.status >= 400 && wrongSize.status < 500, `wrong size answered ${wrongSize.status}`);
      const wrongType = await fetch(url.url, {
        method: 'PUT',
        headers: { 'Content-Type': 'text/html' },
        body: randomBytes(100),
      });
      assert.ok(wrongType.status >= 400 && wrongType.status < 500, `wrong type answered ${wrongType.status}`);
      assert.equal(await fx.store.head(k), undefined);
    });

    it('an expired URL is refused', async () => {
      const k = key();
      await fx.store.put(k, Readable.from([Buffer.from('hello')]), { size: 5, contentType: 'text/plain' });
      const put = await fx.store.presignPut(key(), { size: 5, contentType: 'text/plain', expiresInSeconds: 1 });
      const get = await fx.store.presignGet(k, { expiresInSeconds: 1 });
      await sleep(2100);
      const p = await fetch(put.url, { method: 'PUT', headers: put.headers, body: 'hello' });
      assert.equal(p.status, 403, await p.text());
      const g = await fetch(get.url);
      assert.equal(g.status, 403, await g.text());
    });

    it('a presigned GET serves the object and byte ranges of it', async () => {
      const k = key();
      const body = randomBytes(5000);
      await fx.store.put(k, Readable.from([body]), { size: body.length, contentType: 'audio/ogg' });
      const url = await fx.store.presignGet(k, { expiresInSeconds: 60 });
      const whole = await fetch(url.url);
      assert.equal(whole.status, 200);
      assert.ok(Buffer.from(await whole.arrayBuffer()).equals(body));
      const part = await fetch(url.url, { headers: { Range: 'bytes=10-19' } });
      assert.equal(part.status, 206);
      assert.ok(Buffer.from(await part.arrayBuffer()).equals(body.subarray(10, 20)));
      const tampered = await fetch(url.url.replace(k.slice(2), randomUUID()));
      assert.ok(tampered.status === 403 || tampered.status === 404, `tampered URL answered ${tampered.status}`);
    });
  });
}
