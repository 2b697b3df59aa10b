/**
 * guardyn.media.MediaService on :50054: the 8 RPCs of the contract.
 *
 * Authentication is the `authorization: Bearer` metadata only (media requests
 * have no access_token field). Responses carry an `error` member instead of a
 * oneof (UploadMediaResponse: status FAILED with error_message, plus the
 * additive `error`); the streaming RPCs answer failures before any data with
 * the same error in UploadMediaResponse, or (DownloadMedia) as a gRPC status
 * whose `guardyn-error-code` trailer holds the contract code.
 *
 * Times in this package (created_at, updated_at, expires_at) are Unix epoch
 * seconds.
 *
 * Reading a media object (metadata, URLs, download, thumbnail) is for its
 * owner and the participants of its conversation or group
 * (commands/media/access.ts); anyone else gets NOT_FOUND, as for an unknown
 * id, so ids cannot be probed. Deleting is for the owner (FORBIDDEN for a
 * participant). A PENDING presigned upload is confirmed (object present, size
 * and checksum match) when it is first read.
 */
import * as grpc from '@grpc/grpc-js';
import * as t from 'io-ts';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import type { TokenService } from '../../auth/tokens.ts';
import { authenticate, type SessionCheck } from '../../shared/auth-context.ts';
import { errorResponse, fromDomain, fromInfrastructure, type ErrorResponseShape } from '../../shared/errors.ts';
import { correlationIdOf, unary, type ReplyOf } from '../server.ts';
import { clientFrames, clientMistakeIfCancelled } from '../stream-errors.ts';
import { isUndecodable, undecodableError, undecodableReason } from '../undecodable.ts';
import { StreamSlots } from '../../limits/stream-slots.ts';
import { admitStream } from '../stream-admission.ts';
import { BoundedBytes, BoundedString, decodeRequest, EnumName, OptionalUuid, Uuid } from '../../shared/validation.ts';
import { MEDIA_TYPES } from '../../../streams/events/media.ts';
import type { MediaRecord } from '../../../commands/media/decider.ts';
import { mayRead, takesPart, type MediaAccessDeps } from '../../../commands/media/access.ts';
import {
  confirmUpload,
  deleteMedia,
  issueUploadUrl,
  loadMedia,
  mediaTypeOf,
  uploadStream,
  type Caller,
  type NewUpload,
} from '../../../commands/media/uploads.ts';
import {
  generateThumbnail,
  type ThumbnailDeps,
  type ThumbnailFormat,
} from '../../../commands/media/thumbnails/thumbnail.ts';
import type { MediaBlobs } from '../../../commands/media/reads.ts';
import type { MediaView } from '../../../projections/media/queries.ts';

/** What downloads need of the blob store beside the use cases' part of it (bin/ passes the store). */
export interface MediaDownloadBlobs extends MediaBlobs {
  /** A URL that serves the object (and byte ranges of it) until it expires. */
  presignGet(
    key: string,
    options: { expiresInSeconds: number },
  ): Promise<{ readonly url: string; readonly headers: Readonly<Record<string, string>>; readonly expiresAt: number }>;
  get(key: string, range?: { readonly offset: number; readonly length?: number }): Promise<Readable>;
}
import { ThumbnailsBusy } from '../../../commands/media/thumbnails/workers.ts';
/** The service's handler types, generated from its .proto (npm run proto:types). */
import type { MediaServiceHandlers as Rpc } from '../generated/guardyn/media/MediaService.ts';
import type { MediaMetadata } from '../generated/guardyn/media/MediaMetadata.ts';
import type { UploadMediaRequest__Output } from '../generated/guardyn/media/UploadMediaRequest.ts';
import type { UploadMediaResponse } from '../generated/guardyn/media/UploadMediaResponse.ts';
import type { DownloadMediaRequest__Output } from '../generated/guardyn/media/DownloadMediaRequest.ts';
import type { DownloadMediaResponse } from '../generated/guardyn/media/DownloadMediaResponse.ts';

/** What the unary RPC `K` answers (a declared return type: the compiler checks each response literally). */
type Reply<K extends keyof Rpc> = ReplyOf<Rpc[K]>;

export interface MediaServiceDeps extends ThumbnailDeps, MediaAccessDeps {
  /** The whole media view and blob store: listings, counts and downloads read more than the use cases. */
  readonly view: MediaView;
  readonly blobs: MediaDownloadBlobs;
  readonly tokens: Pick<TokenService, 'verifyAccessToken'>;
  readonly sessions: SessionCheck;
  readonly logger: Logger;
  /** Open-stream limits (DownloadMedia counts) shared by the gRPC services of this process. */
  readonly streamSlots: StreamSlots;
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));
const STATUS = {
  PENDING: 'UPLOAD_STATUS_PENDING',
  COMPLETED: 'UPLOAD_STATUS_COMPLETED',
  FAILED: 'UPLOAD_STATUS_FAILED',
} as const;
/** Largest frame of an upload stream, bytes. */
export const MAX_UPLOAD_CHUNK = 1024 * 1024;
/** Frames of a download stream, bytes. */
export const DOWNLOAD_CHUNK = 256 * 1024;

export function toMetadata(m: MediaRecord): MediaMetadata {
  return {
    media_id: m.mediaId,
    owner_user_id: m.ownerUserId,
    filename: m.filename,
    media_type: m.mediaType,
    mime_type: m.mimeType,
    size_bytes: String(m.sizeBytes),
    checksum_sha256: m.checksumSha256,
    created_at: seconds(m.at),
    updated_at: seconds(m.updatedAt),
    status: STATUS[m.status],
    width: m.width,
    height: m.height,
    duration_ms: m.durationMs,
    thumbnail_id: m.thumbnailId,
    is_encrypted: m.isEncrypted,
    encryption_key_id: Buffer.from(m.encryptionKeyId),
    iv: Buffer.from(m.iv),
    conversation_id: m.conversationId,
    message_id: m.messageId,
    storage_path: m.storageKey,
  };
}

// ---- request codecs ----

const Filename = BoundedString('Filename', 255, { min: 1, rejectControl: true });
const MimeType = new t.Type<string, string, unknown>(
  'MimeType',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i.test(u)
      ? t.success(u.toLowerCase())
      : t.failure(u, c, 'must be a MIME type like image/jpeg'),
  t.identity,
);
const PositiveSize = new t.Type<number, number, unknown>(
  'SizeBytes',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'number' ? u : typeof u === 'string' && /^\d{1,16}$/.test(u) ? Number(u) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? t.success(n) : t.failure(u, c, 'must be a whole number of bytes above 0');
  },
  t.identity,
);
const Checksum = new t.Type<string, string, unknown>(
  'Checksum',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && (u === '' || /^[0-9a-fA-F]{64}$/.test(u))
      ? t.success(u.toLowerCase())
      : t.failure(u, c, 'must be empty or 64 hex digits (SHA-256)'),
  t.identity,
);
const Int32Dim = (max: number) =>
  new t.Type<number, number, unknown>(
    'Dimension',
    (u): u is number => typeof u === 'number',
    (u, c) =>
      typeof u === 'number' && Number.isInteger(u) && u >= 0 && u <= max
        ? t.success(u)
        : t.failure(u, c, `must be 0-${max}`),
    t.identity,
  );
const Offset = new t.Type<number, number, unknown>(
  'Offset',
  (u): u is number => typeof u === 'number',
  (u, c) => {
    const n = typeof u === 'number' ? u : typeof u === 'string' && /^\d{1,16}$/.test(u) ? Number(u) : NaN;
    return Number.isSafeInteger(n) && n >= 0 ? t.success(n) : t.failure(u, c, 'must be a whole number >= 0');
  },
  t.identity,
);

const GetUploadUrlRequest = t.type({
  filename: Filename,
  mime_type: MimeType,
  size_bytes: PositiveSize,
  conversation_id: OptionalUuid,
  checksum_sha256: Checksum,
});
const MediaIdRequest = t.type({ media_id: Uuid });
const UploadHeader = t.type({
  filename: Filename,
  media_type: EnumName(MEDIA_TYPES, 'MediaType'),
  mime_type: MimeType,
  size_bytes: PositiveSize,
  checksum_sha256: Checksum,
  is_encrypted: t.boolean,
  encryption_key_id: BoundedBytes(256),
  iv: BoundedBytes(64),
  conversation_id: OptionalUuid,
  message_id: OptionalUuid,
});
const DownloadRequest = t.type({ media_id: Uuid, offset: Offset, length: Offset });
const ThumbnailRequest = t.type({
  media_id: Uuid,
  max_width: Int32Dim(4096),
  max_height: Int32Dim(4096),
  format: t.union([t.literal(''), EnumName(['jpeg', 'png'] as const, 'ThumbnailFormat')]),
  quality: Int32Dim(100),
});
const ListRequest = t.type({
  user_id: OptionalUuid,
  conversation_id: OptionalUuid,
  media_types: t.array(EnumName(MEDIA_TYPES, 'MediaType')),
  limit: Int32Dim(100),
  cursor: BoundedString('Cursor', 512, { rejectControl: true }),
  sort_by: t.union([t.literal(''), EnumName(['created_at', 'size_bytes'] as const, 'SortBy')]),
  ascending: t.boolean,
});

const notFound = errorResponse('NOT_FOUND', 'media not found', { field: 'media_id' });

export function mediaServiceImplementation(deps: MediaServiceDeps): Rpc {
  const { streamSlots } = deps;
  const who = async (call: { metadata: grpc.Metadata }) => authenticate(call, undefined, deps.tokens, deps.sessions);

  /** The media if the caller may read it (confirming a pending upload on the way), else the error. */
  async function readable(
    caller: Caller,
    mediaId: string,
    correlationId: string,
  ): Promise<{ media: MediaRecord } | { error: ErrorResponseShape }> {
    const media = await loadMedia(deps, mediaId);
    if (media === undefined || !(await mayRead(deps, media, caller.userId))) return { error: notFound };
    if (media.status !== 'PENDING') return { media };
    const confirmed = await confirmUpload(deps, media, correlationId);
    return isLeft(confirmed) ? { media } : { media: confirmed.right };
  }

  return {
    GetUploadUrl: unary('media.GetUploadUrl', deps.logger, async (call, ctx): Reply<'GetUploadUrl'> => {
      const auth = await who(call);
      if (isLeft(auth)) return { error: auth.left };
      const req = decodeRequest(GetUploadUrlRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      if (r.conversation_id !== undefined && !(await takesPart(deps, r.conversation_id, auth.right.userId))) {
        return {
          error: errorResponse('FORBIDDEN', 'you are not a participant of this conversation or group', {
            field: 'conversation_id',
          }),
        };
      }
      const upload: NewUpload = {
        filename: r.filename,
        mediaType: mediaTypeOf(r.mime_type),
        mimeType: r.mime_type,
        sizeBytes: r.size_bytes,
        checksumSha256: r.checksum_sha256,
        isEncrypted: false,
        encryptionKeyId: new Uint8Array(),
        iv: new Uint8Array(),
        conversationId: r.conversation_id ?? '',
        messageId: '',
        width: 0,
        height: 0,
        durationMs: 0,
        via: 'url',
      };
      const issued = await issueUploadUrl(deps, auth.right, upload, ctx.correlationId);
      if (isLeft(issued)) return { error: fromDomain(issued.left) };
      return {
        upload_url: issued.right.url,
        media_id: issued.right.media.mediaId,
        expires_at: seconds(issued.right.expiresAt),
        headers: issued.right.headers,
      };
    }),

    GetDownloadUrl: unary('media.GetDownloadUrl', deps.logger, async (call, ctx): Reply<'GetDownloadUrl'> => {
      const auth = await who(call);
      if (isLeft(auth)) return { error: auth.left };
      const req = decodeRequest(MediaIdRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const found = await readable(auth.right, req.right.media_id, ctx.correlationId);
      if ('error' in found) return found;
      if (found.media.status !== 'COMPLETED')
        return {
          error: errorResponse('CONFLICT', `the upload is ${found.media.status.toLowerCase()}, not completed`, {
            field: 'media_id',
          }),
          metadata: toMetadata(found.media),
        };
      const url = await deps.blobs.presignGet(found.media.storageKey, {
        expiresInSeconds: deps.limits.downloadUrlExpirySeconds,
      });
      return { download_url: url.url, expires_at: seconds(url.expiresAt), metadata: toMetadata(found.media) };
    }),

    GetMediaMetadata: unary('media.GetMediaMetadata', deps.logger, async (call, ctx): Reply<'GetMediaMetadata'> => {
      const auth = await who(call);
      if (isLeft(auth)) return { error: auth.left };
      const req = decodeRequest(MediaIdRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const found = await readable(auth.right, req.right.media_id, ctx.correlationId);
      return 'error' in found ? found : { metadata: toMetadata(found.media) };
    }),

    DeleteMedia: unary('media.DeleteMedia', deps.logger, async (call, ctx): Reply<'DeleteMedia'> => {
      const auth = await who(call);
      if (isLeft(auth)) return { success: false, error: auth.left };
      const req = decodeRequest(MediaIdRequest, call.request);
      if (isLeft(req)) return { success: false, error: req.left };
      const media = await loadMedia(deps, req.right.media_id);
      if (media === undefined || !(await mayRead(deps, media, auth.right.userId)))
        return { success: false, error: notFound };
      const r = await deleteMedia(
        deps,
        media.mediaId,
        { userId: auth.right.userId },
        'owner',
        ctx.correlationId,
        auth.right,
      );
      return isLeft(r) ? { success: false, error: fromDomain(r.left) } : { success: true };
    }),

    GenerateThumbnail: unary('media.GenerateThumbnail', deps.logger, async (call, ctx): Reply<'GenerateThumbnail'> => {
      const auth = await who(call);
      if (isLeft(auth)) return { error: auth.left };
      const req = decodeRequest(ThumbnailRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const found = await readable(auth.right, r.media_id, ctx.correlationId);
      if ('error' in found) return found;
      const format: ThumbnailFormat = r.format === '' ? 'jpeg' : r.format;
      const made = await generateThumbnail(
        deps,
        auth.right,
        found.media,
        {
          maxWidth: r.max_width || 256,
          maxHeight: r.max_height || 256,
          format,
          quality: r.quality || 80,
        },
        ctx.correlationId,
      ).catch((err: unknown) => {
        if (err instanceof ThumbnailsBusy) return { busy: err.message };
        throw err;
      });
      if ('busy' in made) return { error: errorResponse('SERVICE_UNAVAILABLE', made.busy) };
      if (isLeft(made)) return { error: fromDomain(made.left) };
      return { thumbnail_id: made.right.mediaId, metadata: toMetadata(made.right) };
    }),

    ListMedia: unary('media.ListMedia', deps.logger, async (call): Reply<'ListMedia'> => {
      const auth = await who(call);
      if (isLeft(auth)) return { error: auth.left };
      const req = decodeRequest(ListRequest, call.request);
      if (isLeft(req)) return { error: req.left };
      const r = req.right;
      const me = auth.right.userId;
      let scope: 'owner' | 'conv';
      let id: string;
      if (r.conversation_id !== undefined) {
        if (!(await takesPart(deps, r.conversation_id, me)))
          return {
            error: errorResponse('FORBIDDEN', 'you are not a participant of this conversation or group', {
              field: 'conversation_id',
            }),
          };
        scope = 'conv';
        id = r.conversation_id;
      } else {
        if (r.user_id !== undefined && r.user_id !== me)
          return {
            error: errorResponse(
              'FORBIDDEN',
              "another user's media is listed only through a conversation_id you take part in",
              { field: 'user_id' },
            ),
          };
        scope = 'owner';
        id = me;
      }
      let after: Uint8Array | undefined;
      if (r.cursor !== '') {
        after = Buffer.from(r.cursor, 'base64url');
        if (after.length === 0 || Buffer.from(after).toString('base64url') !== r.cursor)
          return {
            error: errorResponse('INVALID_REQUEST', 'invalid request: cursor is not one this server gave', {
              field: 'cursor',
            }),
          };
      }
      const types = new Set(r.media_types);
      const keep = (m: MediaRecord) =>
        (types.size === 0 || types.has(m.mediaType)) &&
        (scope === 'owner' || m.conversationId === id) &&
        (r.user_id === undefined || m.ownerUserId === r.user_id);
      const page = await deps.view.list(scope, id, r.sort_by === 'size_bytes' ? 'size' : 'created', {
        limit: r.limit || 50,
        ascending: r.ascending,
        after,
        keep,
      });
      return {
        items: page.items.map(toMetadata),
        next_cursor: page.next === undefined ? '' : Buffer.from(page.next).toString('base64url'),
        total_count: types.size === 0 && r.user_id === undefined ? await deps.view.count(scope, id) : page.items.length,
      };
    }),

    UploadMedia: (
      call: grpc.ServerReadableStream<UploadMediaRequest__Output, UploadMediaResponse>,
      callback: grpc.sendUnaryData<UploadMediaResponse>,
    ) => {
      const correlationId = correlationIdOf(call);
      const fail = (error: ErrorResponseShape, mediaId = '') =>
        callback(null, { media_id: mediaId, status: 'UPLOAD_STATUS_FAILED', error_message: error.message, error });
      void (async () => {
        const auth = await who(call);
        if (isLeft(auth)) return fail(auth.left);
        const frames = clientFrames(call);
        const first = await frames.next();
        if (isUndecodable(first.value)) return fail(undecodableError(first.value, 'header'));
        if (first.done || first.value['content'] !== 'header')
          return fail(
            errorResponse('INVALID_REQUEST', 'invalid request: the first frame must be the header', {
              field: 'header',
            }),
          );
        const head = decodeRequest(UploadHeader, first.value['header']);
        if (isLeft(head))
          return fail({ ...head.left, details: { field: `header.${head.left.details['field'] ?? ''}` } });
        const h = head.right;
        if (h.conversation_id !== undefined && !(await takesPart(deps, h.conversation_id, auth.right.userId))) {
          return fail(
            errorResponse('FORBIDDEN', 'you are not a participant of this conversation or group', {
              field: 'header.conversation_id',
            }),
          );
        }
        // The remaining frames as a byte stream: pulled one frame at a time, so a slow store slows the client (HTTP/2 flow control).
        const body = Readable.from(
          (async function* () {
            for (;;) {
              const next = await frames.next();
              if (next.done) return;
              if (isUndecodable(next.value))
                throw Object.assign(new Error(undecodableReason(next.value)), { name: 'UploadAborted' });
              const chunk = next.value['chunk'];
              if (
                next.value['content'] !== 'chunk' ||
                !Buffer.isBuffer(chunk) ||
                chunk.length === 0 ||
                chunk.length > MAX_UPLOAD_CHUNK
              ) {
                throw Object.assign(
                  new Error(`every frame after the header must be a chunk of 1-${MAX_UPLOAD_CHUNK} bytes`),
                  { name: 'UploadAborted' },
                );
              }
              yield chunk;
            }
          })(),
          { objectMode: false, highWaterMark: 1 },
        );
        const upload: NewUpload = {
          filename: h.filename,
          mediaType: h.media_type === 'MEDIA_TYPE_UNKNOWN' ? mediaTypeOf(h.mime_type) : h.media_type,
          mimeType: h.mime_type,
          sizeBytes: h.size_bytes,
          checksumSha256: h.checksum_sha256,
          isEncrypted: h.is_encrypted,
          encryptionKeyId: h.encryption_key_id,
          iv: h.iv,
          conversationId: h.conversation_id ?? '',
          messageId: h.message_id ?? '',
          width: 0,
          height: 0,
          durationMs: 0,
          via: 'stream',
        };
        const stored = await uploadStream(deps, auth.right, upload, body, correlationId);
        if (isLeft(stored)) return fail(fromDomain(stored.left));
        callback(null, {
          media_id: stored.right.mediaId,
          status: STATUS[stored.right.status],
          metadata: toMetadata(stored.right),
          error_message: '',
        });
      })().catch((err: unknown) =>
        fail(
          fromInfrastructure(
            clientMistakeIfCancelled(call, err),
            deps.logger.child({ method: 'media.UploadMedia', correlationId }),
          ),
        ),
      );
    },

    DownloadMedia: (call: grpc.ServerWritableStream<DownloadMediaRequest__Output, DownloadMediaResponse>) => {
      const correlationId = correlationIdOf(call);
      const refuse = (error: ErrorResponseShape) => {
        const trailer = new grpc.Metadata();
        trailer.set('guardyn-error-code', error.code);
        const code =
          {
            NOT_FOUND: grpc.status.NOT_FOUND,
            UNAUTHORIZED: grpc.status.UNAUTHENTICATED,
            INVALID_REQUEST: grpc.status.INVALID_ARGUMENT,
            CONFLICT: grpc.status.FAILED_PRECONDITION,
            FORBIDDEN: grpc.status.PERMISSION_DENIED,
            SERVICE_UNAVAILABLE: grpc.status.UNAVAILABLE,
            RATE_LIMITED: grpc.status.RESOURCE_EXHAUSTED,
          }[error.code as string] ?? grpc.status.INTERNAL;
        call.emit('error', { code, details: `${error.code}: ${error.message}`, metadata: trailer });
      };
      void (async () => {
        const auth = await who(call);
        if (isLeft(auth)) return refuse(auth.left);
        const req = decodeRequest(DownloadRequest, call.request);
        if (isLeft(req)) return refuse(req.left);
        const admitted = admitStream(call as grpc.ServerWritableStream<unknown, unknown>, streamSlots, auth.right);
        if ('error' in admitted) return refuse(admitted.error);
        const r = req.right;
        const found = await readable(auth.right, r.media_id, correlationId);
        if ('error' in found) return refuse(found.error);
        const m = found.media;
        if (m.status !== 'COMPLETED')
          return refuse(
            errorResponse('CONFLICT', `the upload is ${m.status.toLowerCase()}, not completed`, { field: 'media_id' }),
          );
        // A completed upload's object has exactly the size its record says: a range past its end is refused here.
        if (r.offset > m.sizeBytes)
          return refuse(
            errorResponse(
              'INVALID_REQUEST',
              `invalid request: offset ${r.offset} is past the end (${m.sizeBytes} bytes)`,
              {
                field: 'offset',
              },
            ),
          );
        const source: Readable = await deps.blobs.get(m.storageKey, {
          offset: r.offset,
          length: r.length === 0 ? undefined : r.length,
        });
        const whole = r.offset === 0 && (r.length === 0 || r.length >= m.sizeBytes);
        const hash = whole ? createHash('sha256') : undefined;
        call.write({ metadata: toMetadata(m) });
        let cancelled = false;
        call.once('cancelled', () => {
          cancelled = true;
          source.destroy();
        });
        for await (const piece of source) {
          const buf = piece as Buffer;
          for (let i = 0; i < buf.length && !cancelled; i += DOWNLOAD_CHUNK) {
            const chunk = buf.subarray(i, i + DOWNLOAD_CHUNK);
            hash?.update(chunk);
            if (!call.write({ chunk })) {
              await new Promise<void>((resolve) => {
                const done = () => {
                  call.off('drain', done);
                  call.off('cancelled', done);
                  resolve();
                };
                call.on('drain', done);
                call.on('cancelled', done);
              });
            }
          }
          if (cancelled) return;
        }
        if (hash !== undefined && hash.digest('hex') !== m.checksumSha256) {
          deps.logger.error({ mediaId: m.mediaId }, 'stored media does not match its checksum');
          call.emit('error', {
            code: grpc.status.DATA_LOSS,
            details: 'INTERNAL_ERROR: the stored object does not match its checksum',
          });
          return;
        }
        call.end();
      })().catch((err: unknown) =>
        refuse(
          fromInfrastructure(
            clientMistakeIfCancelled(call, err),
            deps.logger.child({ method: 'media.DownloadMedia', correlationId }),
          ),
        ),
      );
    },
  };
}
