/**
 * The blob port: opaque objects by key, for media. Clients move the bytes
 * themselves through presigned URLs (a PUT bound to its exact size and content
 * type, a GET), or the media gateway streams them through `put` and `get`.
 *
 * Keys are 1-256 characters of [A-Za-z0-9/_.-] without `..` (checked by
 * `checkBlobKey`), so no adapter ever turns one into a path outside its root.
 *
 * - `put` streams: it never holds the whole object in memory, hashes the bytes
 *   (SHA-256) on the way through, and refuses a body whose length differs from
 *   the declared size (nothing is stored then). Large objects go up in parts
 *   (the S3 adapter's multipart upload; the embedded adapter appends to one
 *   temporary file), and an object appears only once complete.
 * - `get` streams the object or a byte range of it.
 * - Presigned URLs carry their expiry; a PUT URL is valid only for a request
 *   whose Content-Length and Content-Type are the ones it was issued for.
 */
import type { Readable } from 'node:stream';

export interface BlobHead {
  readonly size: number;
  readonly contentType: string;
}

export interface PutResult {
  readonly size: number;
  /** Lower-case hex SHA-256 of the stored bytes. */
  readonly sha256: string;
}

export interface PresignedRequest {
  readonly url: string;
  /** Headers the client must send unchanged with the request. */
  readonly headers: Readonly<Record<string, string>>;
  /** Epoch milliseconds after which the URL is refused. */
  readonly expiresAt: number;
}

export interface ByteRange {
  /** First byte (>= 0). */
  readonly offset: number;
  /** Bytes to read; undefined: to the end. */
  readonly length?: number;
}

export interface BlobListing {
  readonly key: string;
  /** When the object was stored, epoch milliseconds. */
  readonly modifiedAt: number;
}

export interface BlobStore {
  /** A URL that accepts exactly one PUT of `size` bytes of `contentType` until it expires. */
  presignPut(
    key: string,
    options: { size: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedRequest>;
  /** A URL that serves the object (and byte ranges of it) until it expires. */
  presignGet(key: string, options: { expiresInSeconds: number }): Promise<PresignedRequest>;
  /** Size and content type, or undefined when there is no such object. */
  head(key: string): Promise<BlobHead | undefined>;
  /** Removes the object; removing an absent object is not an error. */
  delete(key: string): Promise<void>;
  /** Stores `body` (exactly `size` bytes) under `key`, streaming; see BlobSizeMismatch. */
  put(key: string, body: Readable, options: { size: number; contentType: string }): Promise<PutResult>;
  /** The object's bytes (or a range of them) as a stream; BlobNotFound when absent, BlobRangeError when the range starts past the end. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Up to `limit` complete objects whose keys start with `prefix` and sort after `after`, in key order (the cleanup's walk). */
  list(prefix: string, options: { after?: string; limit: number }): Promise<BlobListing[]>;
  close(): Promise<void>;
}

export class BlobNotFound extends Error {
  override readonly name = 'BlobNotFound';
  constructor(readonly key: string) {
    super(`no blob ${JSON.stringify(key)}`);
  }
}

export class BlobSizeMismatch extends Error {
  override readonly name = 'BlobSizeMismatch';
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(`the body has ${received > expected ? 'more than' : ''}${received} bytes, ${expected} were declared`);
  }
}

export class BlobRangeError extends Error {
  override readonly name = 'BlobRangeError';
}

export class BlobKeyError extends Error {
  override readonly name = 'BlobKeyError';
}

const KEY = /^[A-Za-z0-9_.-][A-Za-z0-9/_.-]{0,255}$/;

export function checkBlobKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((p) => p === '' || p === '.' || p === '..')) {
    throw new BlobKeyError(
      `blob key ${JSON.stringify(key)} must be 1-256 characters of [A-Za-z0-9/_.-] with no empty, '.' or '..' segment`,
    );
  }
  return key;
}

/** The range [start, end) of an object of `size` bytes that `range` asks for. */
export function resolveRange(size: number, range: ByteRange | undefined): { start: number; end: number } {
  if (range === undefined) return { start: 0, end: size };
  if (!Number.isSafeInteger(range.offset) || range.offset < 0)
    throw new BlobRangeError(`offset ${range.offset} must be a whole number >= 0`);
  if (range.length !== undefined && (!Number.isSafeInteger(range.length) || range.length < 0))
    throw new BlobRangeError(`length ${range.length} must be a whole number >= 0`);
  if (range.offset > size) throw new BlobRangeError(`offset ${range.offset} is past the end (${size} bytes)`);
  const end = range.length === undefined ? size : Math.min(size, range.offset + range.length);
  return { start: range.offset, end };
}
