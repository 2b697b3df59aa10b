/**
 * Builds the media view from the MEDIA stream (every event folds into the
 * record with the aggregate's own evolve), and the attachments view from the
 * MESSAGES stream (a message or group message that names a media id).
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import { evolveMedia, type MediaEvent, type MediaRecord } from '../../commands/media/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import type { ConversationEvent } from '../../commands/conversation/decider.ts';
import type { GroupEvent } from '../../commands/group/decider.ts';
import {
  attachmentKeys,
  attachmentRecord,
  mediaKeys as keys,
  mediaRecord,
  usageRecord,
  type ListOrder,
  type ListScope,
} from './schema.ts';

/** Live media counted against quotas: requested, not failed, not deleted. */
const counts = (r: MediaRecord | null): boolean => r !== null && !r.deleted && r.status !== 'FAILED';
/** Live media listed and swept: as above, thumbnails left out. */
const listed = (r: MediaRecord | null): boolean => counts(r) && r!.thumbnailOf === '';

function listKeys(r: MediaRecord): Uint8Array[] {
  const out: Uint8Array[] = [];
  const scopes: [ListScope, string][] = [['owner', r.ownerUserId]];
  if (r.conversationId !== '') scopes.push(['conv', r.conversationId]);
  for (const [scope, id] of scopes) {
    for (const [order, n] of [
      ['created', r.at],
      ['size', r.sizeBytes],
    ] as [ListOrder, number][])
      out.push(keys.list(scope, id, order, n, r.mediaId));
  }
  return out;
}

async function addUsage(tx: KvTx, userId: string, bytes: number, count: number): Promise<void> {
  const raw = await tx.get(keys.usage(userId));
  const u = raw ? usageRecord.decode(raw) : { bytes: 0, count: 0 };
  tx.put(
    keys.usage(userId),
    usageRecord.encode({ bytes: Math.max(0, u.bytes + bytes), count: Math.max(0, u.count + count) }),
  );
}

/** Every media event folds into the record with the aggregate's own evolve. */
async function applyMedia(event: MediaEvent, _commit: StoredCommit, tx: KvTx): Promise<void> {
  const raw = await tx.get(keys.record(event.data.mediaId));
  const before = raw ? mediaRecord.decode(raw) : null;
  const after = evolveMedia(before, event);
  if (after === null) throw new Error(`${event.type} of unknown media ${event.data.mediaId}`);
  tx.put(keys.record(after.mediaId), mediaRecord.encode(after));
  if (counts(before) !== counts(after)) {
    const sign = counts(after) ? 1 : -1;
    await addUsage(tx, after.ownerUserId, sign * after.sizeBytes, after.thumbnailOf === '' ? sign : 0);
  }
  if (listed(before) !== listed(after)) {
    const k = [...listKeys(after), keys.sweep(after.at, after.mediaId)];
    for (const x of k)
      if (listed(after)) tx.put(x, PRESENT);
      else tx.delete(x);
  }
}

export function mediaProjection(kv: KvStore): Projection<KvTx> {
  return defineProjection<MediaEvent, KvTx>({
    name: 'media',
    stream: STREAMS.media,
    target: new KvProjectionTarget(kv, keys.prefixes),
    on: {
      MediaUploadRequested: applyMedia,
      MediaUploadCompleted: applyMedia,
      MediaUploadFailed: applyMedia,
      MediaThumbnailAttached: applyMedia,
      MediaDeleted: applyMedia,
    },
  });
}

/** The attachment of a message that names a media id (the last message in stream order wins). */
function attach(
  tx: KvTx,
  d: { mediaId: string; messageId: string; senderUserId: string; at: number },
  conversationId: string,
): void {
  if (d.mediaId === '' || !/^[0-9a-f-]{36}$/.test(d.mediaId)) return;
  tx.put(
    attachmentKeys.attachment(d.mediaId),
    attachmentRecord.encode({ conversationId, messageId: d.messageId, senderUserId: d.senderUserId, at: d.at }),
  );
}

export function mediaAttachmentsProjection(kv: KvStore): Projection<KvTx> {
  return defineProjection<ConversationEvent | GroupEvent, KvTx>({
    name: 'media_attachments',
    stream: STREAMS.messages,
    target: new KvProjectionTarget(kv, attachmentKeys.prefixes),
    on: {
      MessageSent: ({ data }, _commit, tx) => attach(tx, data, data.conversationId),
      GroupMessageSent: ({ data }, _commit, tx) => attach(tx, data, data.groupId),
    },
  });
}
