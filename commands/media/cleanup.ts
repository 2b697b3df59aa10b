/**
 * The media cleanup: media never completed, or completed but never attached
 * to a message, is deleted after a configurable time (system deletion, with
 * the object and any thumbnail). A PENDING upload whose object did arrive is
 * confirmed first (a client may never read its own upload back). Runs in the
 * media role every `intervalMs`; one sweep handles at most `batch` objects.
 *
 * Beside it, the walk of the stored objects (`reapObjects`): an object whose
 * media is deleted is removed. An S3 presigned PUT URL works until it expires,
 * whatever became of its media, so a client can upload after DeleteMedia
 * removed the object; such an object counts in no quota (usage comes from
 * live media only) and this walk removes it. Each run goes on from the key
 * where the last one stopped, `batch` objects at a time, and starts over at
 * the end. An object no media record names is removed once it is older than
 * `ORPHAN_GRACE_MS` (the record may still be on its way to the view).
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { newId } from '../../runtime/ids.ts';
import { confirmUpload, deleteMedia, loadMedia, storageKeyOf, type MediaDeps } from './uploads.ts';
import type { MediaBlobs, MediaReads } from './reads.ts';

export interface CleanupPolicy {
  /** A PENDING upload is deleted this long after it was requested. */
  readonly pendingTtlMs: number;
  /** A COMPLETED upload that no message carries is deleted this long after it was requested. */
  readonly unattachedTtlMs: number;
}

export async function sweepMedia(
  deps: MediaDeps,
  policy: CleanupPolicy,
  now = Date.now(),
  batch = 500,
): Promise<{ deleted: number }> {
  const before = now - Math.min(policy.pendingTtlMs, policy.unattachedTtlMs);
  let deleted = 0;
  const correlationId = newId();
  for (const { mediaId, createdAt } of await deps.view.sweepCandidates(before, batch)) {
    let media = await loadMedia(deps, mediaId);
    if (media === undefined) continue;
    if (media.status === 'PENDING') {
      const confirmed = await confirmUpload(deps, media, correlationId);
      if (!isLeft(confirmed)) media = confirmed.right;
    }
    const age = now - createdAt;
    let reason: 'never-completed' | 'never-attached' | undefined;
    if (media.status !== 'COMPLETED') {
      if (age >= policy.pendingTtlMs) reason = 'never-completed';
    } else if (age >= policy.unattachedTtlMs && (await deps.view.attachment(mediaId)) === undefined) {
      reason = 'never-attached';
    }
    if (reason === undefined) continue;
    const r = await deleteMedia(deps, mediaId, 'system', reason, correlationId, null);
    if (!isLeft(r)) deleted++;
  }
  if (deleted > 0) deps.logger.info({ deleted }, 'media cleanup deleted stale uploads');
  return { deleted };
}

/** An object no media record names is left alone this long. */
export const ORPHAN_GRACE_MS = 3600_000;

/** One step of the walk over the stored objects; returns where the next one goes on (undefined: from the start). */
export async function reapObjects(
  deps: {
    readonly blobs: Pick<MediaBlobs, 'list' | 'delete'>;
    readonly view: Pick<MediaReads, 'record'>;
    readonly logger: Pick<MediaDeps['logger'], 'info'>;
  },
  after: string | undefined,
  now = Date.now(),
  batch = 500,
): Promise<{ removed: number; next: string | undefined }> {
  const objects = await deps.blobs.list(storageKeyOf(''), { after, limit: batch });
  let removed = 0;
  for (const { key, modifiedAt } of objects) {
    const record = await deps.view.record(key.slice(storageKeyOf('').length));
    const stale =
      record === undefined ? now - modifiedAt > ORPHAN_GRACE_MS : record.deleted || record.storageKey !== key;
    if (!stale) continue;
    await deps.blobs.delete(key);
    removed++;
  }
  if (removed > 0) deps.logger.info({ removed }, 'media cleanup removed objects of deleted media');
  return { removed, next: objects.length < batch ? undefined : objects[objects.length - 1]!.key };
}

/** Runs sweeps (and a step of the object walk) every `intervalMs` until stopped. */
export function startMediaCleanup(
  deps: MediaDeps,
  policy: CleanupPolicy,
  intervalMs: number,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let walked: string | undefined;
  const timer = setInterval(() => {
    running = running
      .then(() => sweepMedia(deps, policy))
      .then(() => reapObjects(deps, walked))
      .then((r) => {
        walked = r.next;
      })
      .catch((err: Error) => deps.logger.warn({ err: err.message }, 'media cleanup failed'));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
