/**
 * The media use cases: issue an upload URL, take an upload stream, confirm an
 * upload, delete, make a thumbnail. Each appends to the object's subject on
 * the MEDIA stream through the command handler.
 *
 * Quotas (bytes and count of a user's live media, thumbnails counted in bytes
 * only) are checked against the media view under a per-user lock of this
 * process, and the lock is held until the view has applied the new record, so
 * two requests of one user never both pass on the same usage. (Across several
 * media processes the check is per process; see docs/adr/0038-media.md.)
 */
import { createHash } from 'node:crypto';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import { newId } from '../../runtime/ids.ts';
import type { MediaTypeName } from '../../streams/events/media.ts';
import type { CommandHandler, CommandResult } from '../handler/handler.ts';
import {
  mediaDecider,
  mediaNotFound,
  type MediaActor,
  type MediaCommand,
  type MediaEvent,
  type MediaRecord,
  type MediaRequest,
} from './decider.ts';
import { KeyedQueue } from '../handler/keyed-queue.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import type { ViewProgress } from '../view-progress.ts';
import type { MediaBlobs, MediaReads } from './reads.ts';

export interface MediaLimits {
  /** Largest object, bytes. */
  readonly maxSizeBytes: number;
  readonly quotaBytes: number;
  readonly quotaCount: number;
  readonly uploadUrlExpirySeconds: number;
  readonly downloadUrlExpirySeconds: number;
}

export interface MediaDeps {
  readonly handler: CommandHandler;
  readonly blobs: MediaBlobs;
  readonly view: MediaReads;
  /** The media view's progress (quota reads wait for it). */
  readonly progress: ViewProgress;
  readonly limits: MediaLimits;
  readonly logger: Logger;
}

export interface Caller {
  readonly userId: string;
  readonly deviceId: string;
}

export const storageKeyOf = (mediaId: string) => `media/${mediaId}`;

const quotaLocks = new KeyedQueue();

export function commitMedia(
  deps: Pick<MediaDeps, 'handler'>,
  mediaId: string,
  command: MediaCommand,
  actor: Caller | null,
  correlationId: string,
): Promise<Either<DomainError, CommandResult<MediaEvent>>> {
  return deps.handler.handle({
    stream: STREAMS.media,
    subject: subjects.media(mediaId),
    decider: mediaDecider,
    command,
    meta: {
      commandId: newId(),
      command: command.kind,
      correlationId,
      causationId: correlationId,
      actor: actor && { userId: actor.userId, deviceId: actor.deviceId },
    },
  });
}

export async function loadMedia(deps: Pick<MediaDeps, 'handler'>, mediaId: string): Promise<MediaRecord | undefined> {
  const { state } = await deps.handler.load(STREAMS.media, subjects.media(mediaId), mediaDecider);
  return state === null || state.deleted ? undefined : state;
}

/** The media type a MIME type implies, when the client gave none. */
export function mediaTypeOf(mimeType: string): MediaTypeName {
  const top = mimeType.split('/')[0];
  if (top === 'image') return 'MEDIA_TYPE_IMAGE';
  if (top === 'video') return 'MEDIA_TYPE_VIDEO';
  if (top === 'audio') return 'MEDIA_TYPE_AUDIO';
  if (top === 'text' || /pdf|msword|officedocument|opendocument/.test(mimeType)) return 'MEDIA_TYPE_DOCUMENT';
  return 'MEDIA_TYPE_OTHER';
}

export type NewUpload = Omit<
  MediaRequest,
  'mediaId' | 'ownerUserId' | 'ownerDeviceId' | 'storageKey' | 'at' | 'urlExpiresAt' | 'thumbnailOf'
>;

/** Records a new upload after the size and quota checks; the per-user lock is held until the view shows it. */
async function requestUpload(
  deps: MediaDeps,
  caller: Caller,
  upload: NewUpload,
  urlExpiresAt: number,
  correlationId: string,
): Promise<Either<DomainError, MediaRecord>> {
  if (upload.sizeBytes > deps.limits.maxSizeBytes) {
    return left(
      domainError(
        'INVALID_REQUEST',
        `invalid request: size_bytes must be at most ${deps.limits.maxSizeBytes}`,
        'size_bytes',
      ),
    );
  }
  return quotaLocks.run(caller.userId, async () => {
    const usage = await deps.view.usage(caller.userId);
    if (usage.count + 1 > deps.limits.quotaCount) {
      return left(
        domainError(
          'FORBIDDEN',
          `quota exceeded: at most ${deps.limits.quotaCount} media objects per user; delete some first`,
          'size_bytes',
        ),
      );
    }
    if (usage.bytes + upload.sizeBytes > deps.limits.quotaBytes) {
      return left(
        domainError(
          'FORBIDDEN',
          `quota exceeded: ${usage.bytes} of ${deps.limits.quotaBytes} bytes in use, ${upload.sizeBytes} more do not fit; delete some first`,
          'size_bytes',
        ),
      );
    }
    const mediaId = newId();
    const request: MediaRequest = {
      ...upload,
      mediaId,
      ownerUserId: caller.userId,
      ownerDeviceId: caller.deviceId,
      storageKey: storageKeyOf(mediaId),
      urlExpiresAt,
      thumbnailOf: '',
      at: Date.now(),
    };
    const result = await commitMedia(deps, mediaId, { kind: 'RequestUpload', request }, caller, correlationId);
    if (isLeft(result)) return result;
    // Quota reads must see this record: wait (bounded) for the view to apply it before the next request of this user.
    await deps.progress.waitFor(result.right.seq, 5000);
    return right({
      ...request,
      status: 'PENDING',
      deleted: false,
      thumbnailId: '',
      failure: '',
      updatedAt: request.at,
    } satisfies MediaRecord);
  });
}

export interface UploadUrl {
  readonly media: MediaRecord;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: number;
}

/** GetUploadUrl: a new PENDING record and a PUT URL bound to its size and content type. */
export async function issueUploadUrl(
  deps: MediaDeps,
  caller: Caller,
  upload: NewUpload,
  correlationId: string,
): Promise<Either<DomainError, UploadUrl>> {
  const expiresAt = Date.now() + deps.limits.uploadUrlExpirySeconds * 1000;
  const media = await requestUpload(deps, caller, upload, expiresAt, correlationId);
  if (isLeft(media)) return media;
  const url = await deps.blobs.presignPut(media.right.storageKey, {
    size: upload.sizeBytes,
    contentType: upload.mimeType,
    expiresInSeconds: deps.limits.uploadUrlExpirySeconds,
  });
  return right({ media: media.right, url: url.url, headers: url.headers, expiresAt: url.expiresAt });
}

/**
 * Confirms a PENDING upload from what the store holds: present, of the declared
 * size, and of the declared checksum (read back and hashed as a stream). A
 * mismatch records FAILED and removes the object. Other states come back as
 * they are.
 */
export async function confirmUpload(
  deps: MediaDeps,
  media: MediaRecord,
  correlationId: string,
): Promise<Either<DomainError, MediaRecord>> {
  if (media.status !== 'PENDING') return right(media);
  const head = await deps.blobs.head(media.storageKey);
  if (head === undefined) {
    return left(
      domainError(
        'CONFLICT',
        media.via === 'url' && Date.now() > media.urlExpiresAt
          ? 'the upload never arrived and its URL has expired: request a new one'
          : 'the upload has not completed yet',
        'media_id',
      ),
    );
  }
  let found = { size: head.size, sha256: '' };
  if (head.size === media.sizeBytes) {
    const hash = createHash('sha256');
    for await (const chunk of await deps.blobs.get(media.storageKey)) hash.update(chunk as Buffer);
    found = { size: head.size, sha256: hash.digest('hex') };
  }
  const result = await commitMedia(
    deps,
    media.mediaId,
    { kind: 'ConfirmUpload', found, at: Date.now() },
    null,
    correlationId,
  );
  if (isLeft(result)) return result;
  const after = await loadMedia(deps, media.mediaId);
  if (after === undefined) return left(mediaNotFound);
  if (after.status === 'FAILED') await deps.blobs.delete(media.storageKey);
  return right(after);
}

/**
 * UploadMedia: records the upload, streams the body into the store (hashed on
 * the way, never held whole), then confirms it. A body of another size or
 * checksum leaves the record FAILED and no object.
 */
export async function uploadStream(
  deps: MediaDeps,
  caller: Caller,
  upload: NewUpload,
  body: Readable,
  correlationId: string,
): Promise<Either<DomainError, MediaRecord>> {
  const media = await requestUpload(deps, caller, upload, 0, correlationId);
  if (isLeft(media)) {
    body.destroy();
    return media;
  }
  const m = media.right;
  let stored: { size: number; sha256: string } | null;
  let reason = '';
  try {
    stored = await deps.blobs.put(m.storageKey, body, { size: m.sizeBytes, contentType: m.mimeType });
  } catch (err) {
    if ((err as Error).name !== 'BlobSizeMismatch' && (err as Error).name !== 'UploadAborted') throw err;
    stored = null;
    reason = (err as Error).message;
  }
  if (stored === null) {
    await commitMedia(
      deps,
      m.mediaId,
      { kind: 'ConfirmUpload', found: { size: -1, sha256: '' }, at: Date.now() },
      null,
      correlationId,
    );
    return left(domainError('INVALID_REQUEST', `invalid request: ${reason}`, 'size_bytes'));
  }
  const result = await commitMedia(
    deps,
    m.mediaId,
    { kind: 'ConfirmUpload', found: stored, at: Date.now() },
    caller,
    correlationId,
  );
  if (isLeft(result)) return result;
  const after = await loadMedia(deps, m.mediaId);
  if (after === undefined) return left(mediaNotFound);
  if (after.status === 'FAILED') {
    await deps.blobs.delete(m.storageKey);
    return left(domainError('INVALID_REQUEST', `invalid request: ${after.failure}`, 'checksum_sha256'));
  }
  return right(after);
}

/** DeleteMedia (the owner) or the cleanup (`system`): the record first, then the object and any thumbnail. */
export async function deleteMedia(
  deps: MediaDeps,
  mediaId: string,
  actor: MediaActor,
  reason: 'owner' | 'never-completed' | 'never-attached' | 'source-deleted',
  correlationId: string,
  caller: Caller | null,
): Promise<Either<DomainError, void>> {
  const before = await loadMedia(deps, mediaId);
  const result = await commitMedia(
    deps,
    mediaId,
    { kind: 'DeleteMedia', actor, reason, at: Date.now() },
    caller,
    correlationId,
  );
  if (isLeft(result)) return result;
  if (before !== undefined) {
    await deps.blobs.delete(before.storageKey);
    if (before.thumbnailId !== '')
      await deleteMedia(deps, before.thumbnailId, 'system', 'source-deleted', correlationId, null);
  }
  return right(undefined);
}
