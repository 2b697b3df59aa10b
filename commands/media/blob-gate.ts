/**
 * What the media aggregate allows of a presigned URL of the embedded blob
 * store, checked by its HTTP handler on every request: a signature only proves
 * the URL was issued, not that the media may still be written or read.
 *
 * - upload: only a PENDING media takes bytes. A deleted media (or an unknown
 *   key) answers 410; a COMPLETED or FAILED one 409 (the URL served its one
 *   upload; a failed upload asks for a new URL).
 * - uploaded: the bytes are stored; if the media was deleted meanwhile, the
 *   handler removes them again (410).
 * - download: only a COMPLETED media that is not deleted is served.
 *
 * The state is read from the MEDIA stream (the aggregate), not the view, so a
 * deletion counts from its commit on.
 */
import { loadMedia, type MediaDeps } from './uploads.ts';

/**
 * The embedded blob store's gate (its HTTP handler asks it on every request):
 * undefined lets the request go on, a refusal answers it.
 */
export type MediaBlobGate = (
  intent: 'upload' | 'uploaded' | 'download',
  key: string,
) => Promise<{ status: number; message: string } | undefined>;

const KEY = /^media\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const gone = { status: 410, message: 'this media was deleted' };

export function mediaBlobGate(deps: Pick<MediaDeps, 'handler'>): MediaBlobGate {
  return async (intent, key) => {
    const mediaId = KEY.exec(key)?.[1];
    const media = mediaId === undefined ? undefined : await loadMedia(deps, mediaId);
    if (media === undefined || media.storageKey !== key) return gone;
    if (intent === 'uploaded') return undefined;
    if (intent === 'upload') {
      if (media.status === 'COMPLETED')
        return { status: 409, message: 'this upload has completed already; a URL takes one upload' };
      if (media.status === 'FAILED') return { status: 409, message: 'this upload failed; request a new upload URL' };
      return undefined;
    }
    return media.status === 'COMPLETED' ? undefined : { status: 409, message: 'this upload has not completed' };
  };
}
