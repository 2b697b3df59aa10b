/**
 * The media cleanup: media never completed, or completed but never attached
 * to a message, is deleted after a configurable time (system deletion, with
 * the object and any thumbnail). A PENDING upload whose object did arrive is
 * confirmed first (a client may never read its own upload back). Runs in the
 * media role every `intervalMs`; one sweep handles at most `batch` objects.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import { newId } from '../runtime/ids.ts';
import { confirmUpload, deleteMedia, loadMedia, type MediaDeps } from './media-uploads.ts';

export interface CleanupPolicy {
  /** A PENDING upload is deleted this long after it was requested. */
  readonly pendingTtlMs: number;
  /** A COMPLETED upload that no message carries is deleted this long after it was requested. */
  readonly unattachedTtlMs: number;
}

export async function sweepMedia(deps: MediaDeps, policy: CleanupPolicy, now = Date.now(), batch = 500): Promise<{ deleted: number }> {
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

/** Runs sweeps every `intervalMs` until stopped. */
export function startMediaCleanup(deps: MediaDeps, policy: CleanupPolicy, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => sweepMedia(deps, policy)).catch((err: Error) => deps.logger.warn({ err: err.message }, 'media cleanup failed'));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
