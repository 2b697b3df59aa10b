/**
 * The S3 blob store on the `minio` client: any S3 API server (MinIO in
 * production; tests use another S3-compatible server built on the machine).
 * Path-style addressing; the bucket is created when absent.
 *
 * - put streams the body through a counter/hasher into the client's
 *   putObject with the declared size: up to `partSize` it is one PUT, above
 *   it a multipart upload of `partSize` parts (one part in memory at a time).
 * - PUT URLs are presigned here (./sigv4.ts) with Content-Length and
 *   Content-Type among the signed headers; GET URLs come from the client.
 */
import { pipeline } from 'node:stream/promises';
import { PassThrough, type Readable } from 'node:stream';
import * as Minio from 'minio';
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
import { presignV4 } from './sigv4.ts';

export interface S3BlobStoreOptions {
  /** e.g. http://127.0.0.1:9000 */
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly region?: string;
  /** Multipart part size in bytes (at least 5 MiB). Default 16 MiB. */
  readonly partSize?: number;
}

export const DEFAULT_PART_SIZE = 16 * 1024 * 1024;

const isNotFound = (err: unknown): boolean => {
  const code = (err as { code?: string }).code;
  return code === 'NotFound' || code === 'NoSuchKey' || code === 'NoSuchObject';
};

export class S3BlobStore implements BlobStore {
  readonly client: Minio.Client;
  private readonly region: string;

  private constructor(private readonly options: S3BlobStoreOptions) {
    const url = new URL(options.endpoint);
    this.region = options.region ?? 'us-east-1';
    this.client = new Minio.Client({
      endPoint: url.hostname,
      port: url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port),
      useSSL: url.protocol === 'https:',
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: this.region,
      pathStyle: true,
      partSize: options.partSize ?? DEFAULT_PART_SIZE,
    });
  }

  /** Connects and makes sure the bucket exists. */
  static async open(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const store = new S3BlobStore(options);
    if (!(await store.client.bucketExists(options.bucket))) {
      try {
        await store.client.makeBucket(options.bucket, store.region);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
      }
    }
    return store;
  }

  get bucket(): string {
    return this.options.bucket;
  }

  async presignPut(
    key: string,
    options: { size: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedRequest> {
    checkBlobKey(key);
    const headers = { 'Content-Length': String(options.size), 'Content-Type': options.contentType };
    const now = new Date();
    const url = presignV4({
      method: 'PUT',
      endpoint: this.options.endpoint,
      bucket: this.bucket,
      key,
      region: this.region,
      accessKey: this.options.accessKey,
      secretKey: this.options.secretKey,
      expiresInSeconds: options.expiresInSeconds,
      headers,
      now,
    });
    return { url, headers, expiresAt: now.getTime() + options.expiresInSeconds * 1000 };
  }

  async presignGet(key: string, options: { expiresInSeconds: number }): Promise<PresignedRequest> {
    checkBlobKey(key);
    const now = new Date();
    const url = await this.client.presignedGetObject(this.bucket, key, options.expiresInSeconds, {}, now);
    return { url, headers: {}, expiresAt: now.getTime() + options.expiresInSeconds * 1000 };
  }

  async head(key: string): Promise<BlobHead | undefined> {
    try {
      const stat = await this.client.statObject(this.bucket, checkBlobKey(key));
      const meta = stat.metaData as Record<string, string>;
      return { size: stat.size, contentType: meta['content-type'] ?? 'application/octet-stream' };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.removeObject(this.bucket, checkBlobKey(key));
  }

  async put(key: string, body: Readable, options: { size: number; contentType: string }): Promise<PutResult> {
    checkBlobKey(key);
    const metered = new MeteredStream(options.size);
    const out = new PassThrough({ highWaterMark: 1024 * 1024 });
    const feeding = pipeline(body, metered, out);
    // A failed feed (size mismatch, a client that went away) ends the upload with that error.
    const upload = this.client.putObject(this.bucket, key, out, options.size, { 'Content-Type': options.contentType });
    try {
      await feeding;
    } catch (err) {
      // pipeline destroyed `out`, so the client's upload fails too; leave nothing half-made behind.
      await upload.catch(() => undefined);
      await this.client.removeIncompleteUpload(this.bucket, key).catch(() => undefined);
      throw err;
    }
    await upload;
    return { size: metered.bytes, sha256: metered.digest() };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    checkBlobKey(key);
    if (range === undefined) {
      try {
        return await this.client.getObject(this.bucket, key);
      } catch (err) {
        if (isNotFound(err)) throw new BlobNotFound(key);
        throw err;
      }
    }
    const head = await this.head(key);
    if (head === undefined) throw new BlobNotFound(key);
    const { start, end } = resolveRange(head.size, range);
    if (end <= start) return new PassThrough().end();
    return this.client.getPartialObject(this.bucket, key, start, end - start);
  }

  async list(prefix: string, options: { after?: string; limit: number }): Promise<BlobListing[]> {
    const out: BlobListing[] = [];
    if (options.limit <= 0) return out;
    const stream = this.client.listObjectsV2(this.bucket, prefix, true, options.after ?? '');
    try {
      for await (const item of stream as AsyncIterable<Minio.BucketItem>) {
        if (item.name === undefined) continue; // a common prefix, not an object
        out.push({ key: item.name, modifiedAt: item.lastModified?.getTime() ?? 0 });
        if (out.length >= options.limit) break;
      }
    } finally {
      stream.destroy();
    }
    return out;
  }

  async close(): Promise<void> {}
}
