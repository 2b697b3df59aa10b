/**
 * The embedded blob store: files on disk under one root directory, no server
 * needed. Presigned URLs point at the project's own HTTP handler
 * (./http-handler.ts), signed with an HMAC-SHA256 key of this store.
 *
 * Layout under the root:
 *   objects/<key>            the object's bytes
 *   objects/<key>.meta.json  { contentType } (written first)
 *   tmp/<random>             uploads in progress
 *
 * Writes are atomic: bytes stream into a temporary file (fsync'ed), which is
 * then hard-linked into place. The link fails when the object exists, so an
 * object is never replaced or seen half-written; the temporary file is
 * removed either way. A reader sees the whole object or none.
 *
 * URL signature: HMAC-SHA256(key, "<METHOD>\n<blob key>\n<expires ms>\n<size>\n<content type>")
 * in hex, where size and content type are those of the bound PUT ('' for a
 * GET). The URL carries the expiry and the signature; the handler rebuilds the
 * string from the request's own Content-Length and Content-Type, so a request
 * with any other size or type fails the signature.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { MeteredStream } from './metered.ts';
import {
  BlobNotFound,
  checkBlobKey,
  resolveRange,
  type BlobHead,
  type BlobListing,
  type BlobStore,
  type ByteRange,
  type PresignedRequest,
  type PutResult,
} from './port.ts';

export class BlobExists extends Error {
  override readonly name = 'BlobExists';
  constructor(readonly key: string) {
    super(`blob ${JSON.stringify(key)} exists already`);
  }
}

export interface FileBlobStoreOptions {
  readonly root: string;
  /** The HMAC key for URL signatures (at least 32 bytes). */
  readonly signingKey: Uint8Array;
  /** Where the HTTP handler is reachable from clients, e.g. http://127.0.0.1:8090 (no trailing slash). */
  readonly publicUrl: string;
  /** Path prefix the handler is mounted at. Default '/blob/'. */
  readonly pathPrefix?: string;
  /** Clock (tests). */
  readonly now?: () => number;
}

const META_SUFFIX = '.meta.json';

export class FileBlobStore implements BlobStore {
  readonly root: string;
  readonly pathPrefix: string;
  private readonly now: () => number;

  private constructor(private readonly options: FileBlobStoreOptions) {
    this.root = path.resolve(options.root);
    this.pathPrefix = options.pathPrefix ?? '/blob/';
    this.now = options.now ?? Date.now;
  }

  static async open(options: FileBlobStoreOptions): Promise<FileBlobStore> {
    if (options.signingKey.length < 32) throw new RangeError('the blob URL signing key must have at least 32 bytes');
    const store = new FileBlobStore(options);
    await fsp.mkdir(path.join(store.root, 'objects'), { recursive: true });
    await fsp.mkdir(path.join(store.root, 'tmp'), { recursive: true });
    return store;
  }

  /** The signing key at `file`, made (32 random bytes, mode 0600) when absent. */
  static async signingKeyAt(file: string): Promise<Buffer> {
    try {
      return await fsp.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const key = randomBytes(32);
    try {
      await fsp.writeFile(file, key, { mode: 0o600, flag: 'wx' });
      return key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fsp.readFile(file);
      throw err;
    }
  }

  objectPath(key: string): string {
    return path.join(this.root, 'objects', ...checkBlobKey(key).split('/'));
  }

  signature(method: string, key: string, expiresAt: number, size: string, contentType: string): string {
    return createHmac('sha256', this.options.signingKey)
      .update(`${method}\n${key}\n${expiresAt}\n${size}\n${contentType}`)
      .digest('hex');
  }

  /** Whether `signature` is right for the request; false too when expired (`expired` says which). */
  verify(
    method: 'PUT' | 'GET',
    key: string,
    expiresAt: number,
    size: string,
    contentType: string,
    signature: string,
  ): 'ok' | 'expired' | 'bad-signature' {
    const want = Buffer.from(this.signature(method, key, expiresAt, size, contentType), 'hex');
    const got = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    if (got.length !== want.length || !timingSafeEqual(got, want)) return 'bad-signature';
    return this.now() > expiresAt ? 'expired' : 'ok';
  }

  private url(key: string, expiresAt: number, signature: string): string {
    const encoded = key.split('/').map(encodeURIComponent).join('/');
    return `${this.options.publicUrl}${this.pathPrefix}${encoded}?expires=${expiresAt}&signature=${signature}`;
  }

  async presignPut(
    key: string,
    options: { size: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedRequest> {
    checkBlobKey(key);
    const expiresAt = this.now() + options.expiresInSeconds * 1000;
    const sig = this.signature('PUT', key, expiresAt, String(options.size), options.contentType);
    return {
      url: this.url(key, expiresAt, sig),
      headers: { 'Content-Type': options.contentType, 'Content-Length': String(options.size) },
      expiresAt,
    };
  }

  async presignGet(key: string, options: { expiresInSeconds: number }): Promise<PresignedRequest> {
    checkBlobKey(key);
    const expiresAt = this.now() + options.expiresInSeconds * 1000;
    return { url: this.url(key, expiresAt, this.signature('GET', key, expiresAt, '', '')), headers: {}, expiresAt };
  }

  async head(key: string): Promise<BlobHead | undefined> {
    const file = this.objectPath(key);
    try {
      const [stat, meta] = await Promise.all([fsp.stat(file), fsp.readFile(file + META_SUFFIX, 'utf8')]);
      return { size: stat.size, contentType: (JSON.parse(meta) as { contentType: string }).contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.objectPath(key);
    await fsp.rm(file, { force: true });
    await fsp.rm(file + META_SUFFIX, { force: true });
  }

  async put(key: string, body: Readable, options: { size: number; contentType: string }): Promise<PutResult> {
    const file = this.objectPath(key);
    const tmp = path.join(this.root, 'tmp', `${randomBytes(12).toString('hex')}`);
    const metered = new MeteredStream(options.size);
    try {
      if (fs.existsSync(file)) throw new BlobExists(key);
      await pipeline(
        body,
        metered,
        fs.createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true } as Parameters<
          typeof fs.createWriteStream
        >[1]),
      );
      await fsp.mkdir(path.dirname(file), { recursive: true });
      const metaTmp = `${tmp}.meta`;
      await fsp.writeFile(metaTmp, JSON.stringify({ contentType: options.contentType }), { mode: 0o600 });
      await fsp.rename(metaTmp, file + META_SUFFIX);
      try {
        await fsp.link(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BlobExists(key);
        throw err;
      }
      return { size: metered.bytes, sha256: metered.digest() };
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    const file = this.objectPath(key);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFound(key);
      throw err;
    }
    try {
      const { size } = await handle.stat();
      const { start, end } = resolveRange(size, range);
      if (end <= start) {
        await handle.close();
        return Readable.from([]);
      }
      return handle.createReadStream({ start, end: end - 1, highWaterMark: 256 * 1024, autoClose: true });
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  async list(prefix: string, options: { after?: string; limit: number }): Promise<BlobListing[]> {
    // The directory that holds every key with this prefix: up to its last '/'.
    const cut = prefix.lastIndexOf('/');
    const base = cut < 0 ? '' : prefix.slice(0, cut);
    const objects = path.join(this.root, 'objects');
    let names: string[];
    try {
      names = (await fsp.readdir(path.join(objects, ...base.split('/').filter((p) => p !== '')), {
        recursive: true,
      })) as string[];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const keys = names
      .map((n) => (base === '' ? n : `${base}/${n}`).split(path.sep).join('/'))
      .filter(
        (k) => !k.endsWith(META_SUFFIX) && k.startsWith(prefix) && (options.after === undefined || k > options.after),
      )
      .sort();
    const out: BlobListing[] = [];
    for (const key of keys) {
      if (out.length >= options.limit) break;
      const stat = await fsp.stat(path.join(objects, ...key.split('/'))).catch(() => undefined);
      if (stat?.isFile() === true) out.push({ key, modifiedAt: stat.mtimeMs });
    }
    return out;
  }

  async close(): Promise<void> {}
}
