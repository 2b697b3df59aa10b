/**
 * The media aggregate (subject media.object.<mediaId>): one stored object and
 * what is known of it. Pure: what the blob store holds (whether the object is
 * there, its size and SHA-256) travels in the command.
 *
 * Life: PENDING (requested) → COMPLETED (the object matched the declared size
 * and checksum) or FAILED (it did not); any of them → deleted. Only the owner
 * deletes (or the system: the cleanup, and the deletion of a thumbnail's
 * source). A completion is confirmed exactly once; confirming again changes
 * nothing.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type {
  MediaDeleted,
  MediaThumbnailAttached,
  MediaUploadCompleted,
  MediaUploadFailed,
  MediaUploadRequested,
} from '../../streams/events/media.ts';
import type { DataOf, EventOf } from '../../streams/events/registry.ts';
import { domainError, type Decider, type DomainError } from '../handler/decider.ts';

export type MediaEvent = EventOf<
  | typeof MediaUploadRequested
  | typeof MediaUploadCompleted
  | typeof MediaUploadFailed
  | typeof MediaThumbnailAttached
  | typeof MediaDeleted
>;

export type MediaRequest = DataOf<typeof MediaUploadRequested>;
export type UploadStatus = 'PENDING' | 'COMPLETED' | 'FAILED';

/** Everything recorded of one media object (the aggregate's state and the view's record). */
export interface MediaRecord extends MediaRequest {
  readonly status: UploadStatus;
  readonly deleted: boolean;
  readonly thumbnailId: string;
  readonly failure: string;
  readonly updatedAt: number;
}

export type MediaState = MediaRecord | null;

/** Who may act: an end user, or the server itself (cleanup, cascades). */
export type MediaActor = { readonly userId: string } | 'system';

export interface RequestUpload {
  readonly kind: 'RequestUpload';
  readonly request: MediaRequest;
}
/** Confirm an upload from what the store holds (`found` null: no object yet). */
export interface ConfirmUpload {
  readonly kind: 'ConfirmUpload';
  readonly found: { readonly size: number; readonly sha256: string } | null;
  readonly at: number;
}
/** A server-made object (thumbnail): requested and completed in one commit. */
export interface StoreCompleted {
  readonly kind: 'StoreCompleted';
  readonly request: MediaRequest;
  readonly sha256: string;
}
export interface AttachThumbnail {
  readonly kind: 'AttachThumbnail';
  readonly thumbnailId: string;
  readonly at: number;
}
export interface DeleteMedia {
  readonly kind: 'DeleteMedia';
  readonly actor: MediaActor;
  readonly reason: DataOf<typeof MediaDeleted>['reason'];
  readonly at: number;
}

export type MediaCommand = RequestUpload | ConfirmUpload | StoreCompleted | AttachThumbnail | DeleteMedia;

export const mediaNotFound = domainError('NOT_FOUND', 'media not found', 'media_id');

function live(state: MediaState): Either<DomainError, MediaRecord> {
  return state === null || state.deleted ? left(mediaNotFound) : right(state);
}

function decide(c: MediaCommand, state: MediaState): Either<DomainError, readonly MediaEvent[]> {
  switch (c.kind) {
    case 'RequestUpload':
      if (state !== null)
        return left(domainError('CONFLICT', 'a media object with this id exists already', 'media_id'));
      return right([{ type: 'MediaUploadRequested', data: c.request }]);
    case 'StoreCompleted':
      if (state !== null) return right([]);
      return right([
        { type: 'MediaUploadRequested', data: c.request },
        {
          type: 'MediaUploadCompleted',
          data: {
            mediaId: c.request.mediaId,
            sizeBytes: c.request.sizeBytes,
            checksumSha256: c.sha256,
            at: c.request.at,
          },
        },
      ]);
    case 'ConfirmUpload': {
      const m = live(state);
      if (m._tag === 'Left') return m;
      const r = m.right;
      if (r.status !== 'PENDING') return right([]);
      if (c.found === null) return left(domainError('CONFLICT', 'the upload has not arrived yet', 'media_id'));
      const fail = (reason: string): Either<DomainError, readonly MediaEvent[]> =>
        right([{ type: 'MediaUploadFailed', data: { mediaId: r.mediaId, reason, at: c.at } }]);
      if (c.found.size !== r.sizeBytes)
        return fail(`the uploaded object has ${c.found.size} bytes, ${r.sizeBytes} were declared`);
      if (r.checksumSha256 !== '' && c.found.sha256 !== r.checksumSha256)
        return fail('the uploaded object does not match the declared checksum_sha256');
      return right([
        {
          type: 'MediaUploadCompleted',
          data: { mediaId: r.mediaId, sizeBytes: c.found.size, checksumSha256: c.found.sha256, at: c.at },
        },
      ]);
    }
    case 'AttachThumbnail': {
      const m = live(state);
      if (m._tag === 'Left') return m;
      if (m.right.thumbnailId === c.thumbnailId) return right([]);
      return right([
        { type: 'MediaThumbnailAttached', data: { mediaId: m.right.mediaId, thumbnailId: c.thumbnailId, at: c.at } },
      ]);
    }
    case 'DeleteMedia': {
      const m = live(state);
      if (m._tag === 'Left') return m;
      if (c.actor !== 'system' && c.actor.userId !== m.right.ownerUserId)
        return left(domainError('FORBIDDEN', 'only the owner may delete this media', 'media_id'));
      return right([
        {
          type: 'MediaDeleted',
          data: {
            mediaId: m.right.mediaId,
            deletedBy: c.actor === 'system' ? 'system' : c.actor.userId,
            reason: c.reason,
            at: c.at,
          },
        },
      ]);
    }
  }
}

export function evolveMedia(state: MediaState, e: MediaEvent): MediaState {
  switch (e.type) {
    case 'MediaUploadRequested':
      return { ...e.data, status: 'PENDING', deleted: false, thumbnailId: '', failure: '', updatedAt: e.data.at };
    case 'MediaUploadCompleted':
      return (
        state && {
          ...state,
          status: 'COMPLETED',
          sizeBytes: e.data.sizeBytes,
          checksumSha256: e.data.checksumSha256,
          updatedAt: e.data.at,
        }
      );
    case 'MediaUploadFailed':
      return state && { ...state, status: 'FAILED', failure: e.data.reason, updatedAt: e.data.at };
    case 'MediaThumbnailAttached':
      return state && { ...state, thumbnailId: e.data.thumbnailId, updatedAt: e.data.at };
    case 'MediaDeleted':
      return state && { ...state, deleted: true, updatedAt: e.data.at };
  }
}

export const mediaDecider: Decider<MediaCommand, MediaEvent, MediaState> = {
  initialState: null,
  decide,
  evolve: evolveMedia,
};
