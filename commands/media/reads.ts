/**
 * What the media use cases and engines read and write besides the aggregate:
 * the narrow side of the media view (quota, the cleanup's candidates and
 * records) and of the blob store (the object bytes and presigned URLs). The
 * media view and the blob store adapters implement them structurally and bin/
 * passes them in; commands never import a view class or a store adapter.
 */
import type { Readable } from 'node:stream';
import type { MediaRecord } from './decider.ts';

/** What the media view answers the use cases. */
export interface MediaReads {
  /** The user's live media: bytes and count (quota checks). */
  usage(userId: string): Promise<{ readonly bytes: number; readonly count: number }>;
  record(mediaId: string): Promise<MediaRecord | undefined>;
  /** The message that carries the media; undefined when none does (the cleanup's test). */
  attachment(mediaId: string): Promise<object | undefined>;
  /** Up to `limit` media requested before `before`, oldest first (the cleanup's sweep). */
  sweepCandidates(before: number, limit: number): Promise<{ mediaId: string; createdAt: number }[]>;
}

/** A presigned URL and the headers the client must send with it. */
export interface PresignedUpload {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Epoch milliseconds after which the URL is refused. */
  readonly expiresAt: number;
}

/**
 * The blob store as the media use cases use it. `put` rejects with an error
 * named 'BlobSizeMismatch' when the body is not `size` bytes and 'BlobExists'
 * when the key is taken; `get` with 'BlobNotFound' when there is no object.
 */
export interface MediaBlobs {
  /** A URL that accepts exactly one PUT of `size` bytes of `contentType` until it expires. */
  presignPut(
    key: string,
    options: { size: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedUpload>;
  /** Size and content type, or undefined when there is no such object. */
  head(key: string): Promise<{ readonly size: number; readonly contentType: string } | undefined>;
  /** Removes the object; removing an absent object is not an error. */
  delete(key: string): Promise<void>;
  /** Stores `body` (exactly `size` bytes) under `key`, streaming; resolves to the size and SHA-256 (hex) stored. */
  put(
    key: string,
    body: Readable,
    options: { size: number; contentType: string },
  ): Promise<{ readonly size: number; readonly sha256: string }>;
  /** The object's bytes as a stream. */
  get(key: string): Promise<Readable>;
  /** Up to `limit` objects whose keys start with `prefix` and sort after `after`, in key order. */
  list(
    prefix: string,
    options: { after?: string; limit: number },
  ): Promise<readonly { readonly key: string; readonly modifiedAt: number }[]>;
}
