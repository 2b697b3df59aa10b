/**
 * GenerateThumbnail: a reduced copy of an image the server can read, stored
 * as a media object of its own (same owner and conversation, `thumbnailOf`
 * naming the source) and linked from the source's `thumbnail_id`.
 *
 * Refused: media that is end-to-end encrypted (the server holds ciphertext
 * only), media that is not an image, files larger than the decode limit, and
 * images whose header (./image-header.ts) cannot be read or declares
 * more pixels than the pixel budget: decoding needs the whole picture in
 * memory, so an image bomb (a small file declaring 20000x20000) is refused
 * before any decoding. Decoding runs in a worker thread under memory and time
 * limits (./workers.ts), never on the event loop. The image
 * library is pure JavaScript (no native binaries). The thumbnail's id is
 * derived from the source and the parameters, so asking twice gives the same
 * thumbnail.
 */
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { derivedId } from '../../../runtime/ids.ts';
import { domainError, type DomainError } from '../../handler/decider.ts';
import type { MediaRecord, MediaRequest } from '../decider.ts';
import { commitMedia, loadMedia, storageKeyOf, type Caller, type MediaDeps } from '../uploads.ts';
import { readImageHeader, withinPixelBudget } from './image-header.ts';
import type { Thumbnail, ThumbnailWorkers } from './workers.ts';

export const THUMBNAIL_FORMATS = { jpeg: 'image/jpeg', png: 'image/png' } as const;
export type ThumbnailFormat = keyof typeof THUMBNAIL_FORMATS;
/** Largest source image decoded for a thumbnail. */
export const MAX_THUMBNAIL_SOURCE_BYTES = 32 * 1024 * 1024;

export interface ThumbnailRequest {
  readonly maxWidth: number;
  readonly maxHeight: number;
  readonly format: ThumbnailFormat;
  readonly quality: number;
}

export interface ThumbnailDeps extends MediaDeps {
  readonly thumbnails: ThumbnailWorkers;
  /** Largest width × height decoded (GUARDYN_MEDIA__THUMBNAIL_MAX_PIXELS). */
  readonly thumbnailMaxPixels: number;
}

/** The source read, its header checked against the pixel budget, and scaled in a worker. */
async function scale(
  deps: ThumbnailDeps,
  source: MediaRecord,
  req: ThumbnailRequest,
): Promise<Either<DomainError, Thumbnail>> {
  const parts: Buffer[] = [];
  for await (const c of await deps.blobs.get(source.storageKey)) parts.push(c as Buffer);
  const sourceBytes = Buffer.concat(parts);
  const header = readImageHeader(sourceBytes);
  if (isLeft(header)) return left(domainError('INVALID_REQUEST', header.left.message, 'media_id'));
  const { width, height } = header.right;
  if (!withinPixelBudget(header.right, deps.thumbnailMaxPixels)) {
    return left(
      domainError(
        'INVALID_REQUEST',
        `the image is ${width}x${height} pixels; images over ${deps.thumbnailMaxPixels} pixels are not thumbnailed`,
        'media_id',
      ),
    );
  }
  const made = await deps.thumbnails.make({
    bytes: sourceBytes,
    width,
    height,
    maxWidth: req.maxWidth,
    maxHeight: req.maxHeight,
    format: req.format,
    quality: req.quality,
  });
  if (isLeft(made)) {
    deps.logger.info({ mediaId: source.mediaId, width, height, refused: made.left.kind }, 'thumbnail refused');
    return left(domainError('INVALID_REQUEST', made.left.message, 'media_id'));
  }
  return made;
}

/** Makes (or finds) the thumbnail; throws ThumbnailsBusy when the workers and their queue are full. */
export async function generateThumbnail(
  deps: ThumbnailDeps,
  caller: Caller,
  source: MediaRecord,
  req: ThumbnailRequest,
  correlationId: string,
): Promise<Either<DomainError, MediaRecord>> {
  if (source.isEncrypted) {
    return left(
      domainError(
        'INVALID_REQUEST',
        'this media is end-to-end encrypted: the server cannot read it, so the client makes its own thumbnail',
        'media_id',
      ),
    );
  }
  if (source.mediaType !== 'MEDIA_TYPE_IMAGE' && !source.mimeType.startsWith('image/')) {
    return left(domainError('INVALID_REQUEST', 'thumbnails are made of images only', 'media_id'));
  }
  if (source.status !== 'COMPLETED')
    return left(domainError('CONFLICT', 'the upload has not completed yet', 'media_id'));
  if (source.sizeBytes > MAX_THUMBNAIL_SOURCE_BYTES) {
    return left(
      domainError('INVALID_REQUEST', `images over ${MAX_THUMBNAIL_SOURCE_BYTES} bytes are not thumbnailed`, 'media_id'),
    );
  }
  const thumbnailId = derivedId(
    'thumbnail',
    source.mediaId,
    String(req.maxWidth),
    String(req.maxHeight),
    req.format,
    String(req.quality),
  );
  const existing = await loadMedia(deps, thumbnailId);
  if (existing !== undefined) {
    await commitMedia(
      deps,
      source.mediaId,
      { kind: 'AttachThumbnail', thumbnailId, at: Date.now() },
      caller,
      correlationId,
    );
    return right(existing);
  }
  // Admitted first: a request waiting for a worker holds its source image in memory.
  const scaled = await deps.thumbnails.admit(() => scale(deps, source, req));
  if (isLeft(scaled)) return scaled;
  const image = scaled.right;
  const bytes = Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength);
  const mime = THUMBNAIL_FORMATS[req.format];
  const storageKey = storageKeyOf(thumbnailId);
  const stored = await deps.blobs
    .put(storageKey, Readable.from([bytes]), { size: bytes.length, contentType: mime })
    .catch(async (err: Error) => {
      if (err.name !== 'BlobExists') throw err;
      return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    });
  const request: MediaRequest = {
    mediaId: thumbnailId,
    ownerUserId: source.ownerUserId,
    ownerDeviceId: source.ownerDeviceId,
    filename: `thumbnail.${req.format === 'jpeg' ? 'jpg' : 'png'}`,
    mediaType: 'MEDIA_TYPE_IMAGE',
    mimeType: mime,
    sizeBytes: stored.size,
    checksumSha256: stored.sha256,
    isEncrypted: false,
    encryptionKeyId: new Uint8Array(),
    iv: new Uint8Array(),
    conversationId: source.conversationId,
    messageId: source.messageId,
    width: image.width,
    height: image.height,
    durationMs: 0,
    storageKey,
    via: 'thumbnail',
    urlExpiresAt: 0,
    thumbnailOf: source.mediaId,
    at: Date.now(),
  };
  const made = await commitMedia(
    deps,
    thumbnailId,
    { kind: 'StoreCompleted', request, sha256: stored.sha256 },
    caller,
    correlationId,
  );
  if (isLeft(made)) return made;
  const linked = await commitMedia(
    deps,
    source.mediaId,
    { kind: 'AttachThumbnail', thumbnailId, at: Date.now() },
    caller,
    correlationId,
  );
  if (isLeft(linked)) return linked;
  const thumbnail = await loadMedia(deps, thumbnailId);
  return thumbnail === undefined ? left(domainError('NOT_FOUND', 'thumbnail not found', 'media_id')) : right(thumbnail);
}
