/** Every view Guardyn keeps, built over the given stores. */
import type { EventLog } from '../streams/log.ts';
import type { KvStore } from '../stores/kv/port.ts';
import type { TimelineStore } from '../stores/timeline/port.ts';
import type { Projection } from './runtime/projection.ts';
import { usersProjection } from './users/projector.ts';
import { sessionsProjection } from './sessions/projector.ts';
import { conversationsProjection } from './conversations/projector.ts';
import { timelineProjection } from './timeline/projector.ts';
import { keysProjection } from './keys/projector.ts';
import { inboxProjection } from './inbox/projector.ts';
import { inboxAnnouncer } from '../streams/inbox-wakeups.ts';
import { groupsProjection } from './groups/projector.ts';
import { mediaAttachmentsProjection, mediaProjection } from './media/projector.ts';
import { presenceProjection } from './presence/projector.ts';
import { pushTokensProjection } from './push-tokens/projector.ts';
import { callsProjection } from './calls/projector.ts';

export const VIEW_NAMES = [
  'users',
  'sessions',
  'conversations',
  'timeline',
  'keys',
  'inbox',
  'groups',
  'media',
  'media_attachments',
  'presence',
  'pushtokens',
  'calls',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export function allProjections(
  stores: { kv: KvStore; timeline: TimelineStore },
  log: EventLog,
): Record<ViewName, Projection<unknown>> {
  return {
    users: usersProjection(stores.kv),
    sessions: sessionsProjection(stores.kv),
    conversations: conversationsProjection(stores.kv),
    timeline: timelineProjection(stores.timeline, log),
    keys: keysProjection(stores.kv),
    inbox: inboxProjection(stores.kv, inboxAnnouncer(log.signals)),
    groups: groupsProjection(stores.kv),
    media: mediaProjection(stores.kv),
    media_attachments: mediaAttachmentsProjection(stores.kv),
    presence: presenceProjection(stores.kv),
    pushtokens: pushTokensProjection(stores.kv),
    calls: callsProjection(stores.kv),
  } as Record<ViewName, Projection<unknown>>;
}

export { ProjectionRunner, durableName } from './runtime/runner.ts';
export { StoredProgress } from './query/progress.ts';
export type { Projection } from './runtime/projection.ts';
export type { ProjectionProgress } from './query/progress.ts';
