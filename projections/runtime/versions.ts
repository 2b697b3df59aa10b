/**
 * The version of a view's content, kept beside the views (`proj-version/<view>` in the
 * key-value store). A view's version goes up when the same stream must give it other
 * content (a key or value derived differently), so that a view built by older code is
 * rebuilt instead of being continued in two shapes at once.
 *
 * - 2 (conversations, timeline, inbox, media_attachments): 1:1 conversations are keyed by
 *   the contract's id (UUIDv5 of the pair) instead of Guardyn's former id; see
 *   docs/adr/0070-the-1-1-conversation-id-is-the-apps-uuidv5.md.
 *
 * A view without a record was built at version 1 when it has a checkpoint, and is new
 * (recorded at the current version) when it has none. `guardyn rebuild` records the current
 * version; a single projection worker rebuilds an outdated view at start by itself.
 */
import type { KvStore } from '../../stores/kv/port.ts';
import { key } from '../../stores/kv/keys.ts';

export const VIEW_VERSIONS: Readonly<Record<string, number>> = {
  conversations: 2,
  timeline: 2,
  inbox: 2,
  media_attachments: 2,
};

/** The version this code builds `view` at. */
export const viewVersion = (view: string): number => VIEW_VERSIONS[view] ?? 1;

export const versionKey = (view: string) => key('proj-version', view);

export class ViewVersionMismatch extends Error {
  override readonly name = 'ViewVersionMismatch';
}

/** The version the stored `view` was built at; undefined when there is no record. */
export async function recordedVersion(kv: KvStore, view: string): Promise<number | undefined> {
  const raw = await kv.get(versionKey(view));
  return raw === undefined ? undefined : Number(Buffer.from(raw).toString('utf8'));
}

/** After `view` was emptied (or rebuilt) by this code: its record is the current version. */
export async function recordVersion(kv: KvStore, view: string): Promise<void> {
  await kv.put(versionKey(view), Buffer.from(String(viewVersion(view))));
}

export interface OutdatedView {
  readonly view: string;
  readonly have: number;
  readonly want: number;
}

/**
 * The views built at another version than this code's. `applied(view)` is how far the view
 * has come (0: never built). A view that is new gets its record here.
 */
export async function outdatedViews(
  kv: KvStore,
  views: readonly string[],
  applied: (view: string) => Promise<number>,
): Promise<OutdatedView[]> {
  const outdated: OutdatedView[] = [];
  for (const view of views) {
    const want = viewVersion(view);
    const have = (await recordedVersion(kv, view)) ?? ((await applied(view)) > 0 ? 1 : undefined);
    if (have === undefined) await recordVersion(kv, view);
    else if (have !== want) outdated.push({ view, have, want });
  }
  return outdated;
}
