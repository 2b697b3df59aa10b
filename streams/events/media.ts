/**
 * Events of the MEDIA stream, one subject per object (media.object.<mediaId>).
 *
 * - MediaUploadRequested: the record is made (by GetUploadUrl, UploadMedia, or
 *   a thumbnail). Size, content type and the optional client checksum are the
 *   declared ones; the bytes are not there yet (PENDING).
 * - MediaUploadCompleted: the object was found with the declared size and its
 *   SHA-256 (the declared one when the client gave one) (COMPLETED).
 * - MediaUploadFailed: the object did not match (size or checksum): FAILED.
 * - MediaThumbnailAttached: a thumbnail (a media object of its own) was made.
 * - MediaDeleted: by its owner, or by the cleanup (never completed, or never
 *   attached to a message in time), or with the object it is a thumbnail of.
 */
import * as t from 'io-ts';
import { Base64Bytes, EpochMs } from './codecs.ts';
import { defineEvent } from './registry.ts';

export const MEDIA_TYPES = [
  'MEDIA_TYPE_UNKNOWN',
  'MEDIA_TYPE_IMAGE',
  'MEDIA_TYPE_VIDEO',
  'MEDIA_TYPE_AUDIO',
  'MEDIA_TYPE_DOCUMENT',
  'MEDIA_TYPE_OTHER',
] as const;
export const MediaTypeName = t.keyof(
  Object.fromEntries(MEDIA_TYPES.map((m) => [m, null])) as Record<(typeof MEDIA_TYPES)[number], null>,
);
export type MediaTypeName = t.TypeOf<typeof MediaTypeName>;

export const MediaUploadRequested = defineEvent(
  'MediaUploadRequested',
  1,
  t.type({
    mediaId: t.string,
    ownerUserId: t.string,
    ownerDeviceId: t.string,
    filename: t.string,
    mediaType: MediaTypeName,
    mimeType: t.string,
    sizeBytes: t.number,
    /** Lower-case hex SHA-256 the client declared, '' when it declared none. */
    checksumSha256: t.string,
    isEncrypted: t.boolean,
    encryptionKeyId: Base64Bytes,
    iv: Base64Bytes,
    conversationId: t.string,
    messageId: t.string,
    width: t.number,
    height: t.number,
    durationMs: t.number,
    storageKey: t.string,
    /** 'url': a presigned PUT; 'stream': UploadMedia; 'thumbnail': made by the server. */
    via: t.keyof({ url: null, stream: null, thumbnail: null }),
    /** When the presigned PUT URL expires (0 for other uploads). */
    urlExpiresAt: EpochMs,
    /** The media this is a thumbnail of ('' otherwise). */
    thumbnailOf: t.string,
    at: EpochMs,
  }),
);

export const MediaUploadCompleted = defineEvent(
  'MediaUploadCompleted',
  1,
  t.type({
    mediaId: t.string,
    sizeBytes: t.number,
    checksumSha256: t.string,
    at: EpochMs,
  }),
);

export const MediaUploadFailed = defineEvent(
  'MediaUploadFailed',
  1,
  t.type({ mediaId: t.string, reason: t.string, at: EpochMs }),
);

export const MediaThumbnailAttached = defineEvent(
  'MediaThumbnailAttached',
  1,
  t.type({ mediaId: t.string, thumbnailId: t.string, at: EpochMs }),
);

export const MediaDeletedReason = t.keyof({
  owner: null,
  'never-completed': null,
  'never-attached': null,
  'source-deleted': null,
});
export const MediaDeleted = defineEvent(
  'MediaDeleted',
  1,
  t.type({ mediaId: t.string, deletedBy: t.string, reason: MediaDeletedReason, at: EpochMs }),
);

export const mediaEvents = [
  MediaUploadRequested,
  MediaUploadCompleted,
  MediaUploadFailed,
  MediaThumbnailAttached,
  MediaDeleted,
] as const;
