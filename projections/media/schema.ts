/**
 * The media view: each media object's record (the aggregate's state), the
 * lists ListMedia pages through, per-user usage for quotas, and the index the
 * cleanup walks. Beside it, the attachments view (from the MESSAGES stream):
 * which message, in which conversation or group, carries a media id.
 *
 *   media/id/<mediaId>                                   → MediaRecord (JSON, bytes as base64)
 *   media/list/<owner|conv>/<id>/<created|size>/<n>/<mediaId> → 1  (live media, thumbnails left out)
 *   media/usage/<userId>                                 → { bytes, count } of live media
 *   media/sweep/<createdAt>/<mediaId>                    → 1  (live media, thumbnails left out)
 *   mediaatt/<mediaId>                                   → AttachmentRecord
 */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';
import type { MediaRecord } from '../../commands/media/decider.ts';

export type ListScope = 'owner' | 'conv';
export type ListOrder = 'created' | 'size';

export const mediaKeys = {
  record: (mediaId: string) => key('media', 'id', mediaId),
  list: (scope: ListScope, id: string, order: ListOrder, n: number, mediaId: string) =>
    key('media', 'list', scope, id, order, n, mediaId),
  listOf: (scope: ListScope, id: string, order: ListOrder) => childPrefix('media', 'list', scope, id, order),
  usage: (userId: string) => key('media', 'usage', userId),
  sweep: (createdAt: number, mediaId: string) => key('media', 'sweep', createdAt, mediaId),
  sweepAll: () => childPrefix('media', 'sweep'),
  prefixes: [childPrefix('media')],
} as const;

export const attachmentKeys = {
  attachment: (mediaId: string) => key('mediaatt', mediaId),
  prefixes: [childPrefix('mediaatt')],
} as const;

export const Usage = t.type({ bytes: t.number, count: t.number });
export type Usage = t.TypeOf<typeof Usage>;
export const usageRecord = recordCodec('media usage', Usage);

export const AttachmentRecord = t.type({
  conversationId: t.string,
  messageId: t.string,
  senderUserId: t.string,
  at: t.number,
});
export type AttachmentRecord = t.TypeOf<typeof AttachmentRecord>;
export const attachmentRecord = recordCodec('media attachment', AttachmentRecord);

export const mediaRecord = {
  encode(r: MediaRecord): Uint8Array {
    return Buffer.from(
      JSON.stringify({
        ...r,
        encryptionKeyId: Buffer.from(r.encryptionKeyId).toString('base64'),
        iv: Buffer.from(r.iv).toString('base64'),
      }),
    );
  },
  decode(bytes: Uint8Array): MediaRecord {
    const o = JSON.parse(Buffer.from(bytes).toString('utf8')) as MediaRecord & { encryptionKeyId: string; iv: string };
    return { ...o, encryptionKeyId: Buffer.from(o.encryptionKeyId, 'base64'), iv: Buffer.from(o.iv, 'base64') };
  },
};
