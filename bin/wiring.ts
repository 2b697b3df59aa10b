/**
 * The one place a process's views are built: every query view over the
 * process's stores, once, in one typed record (ProcessContext.views). The
 * roles of bin/ hand each gateway service only the views it reads; gateways
 * never build a view, never see a store and never drive the projection
 * runtime (docs/adr/0310-one-wiring-record-and-gateway-rooms.md).
 *
 * The views hold no state of their own (each reads its store on every call),
 * so one instance serves every gateway of the process.
 */
import type { KvStore } from '../stores/kv/port.ts';
import type { TimelineStore } from '../stores/timeline/port.ts';
import { CallsView } from '../projections/calls/queries.ts';
import { ConversationsView } from '../projections/conversations/queries.ts';
import { GroupsView } from '../projections/groups/queries.ts';
import { InboxView } from '../projections/inbox/queries.ts';
import { KeysView } from '../projections/keys/queries.ts';
import { MediaView } from '../projections/media/queries.ts';
import { PresenceView } from '../projections/presence/queries.ts';
import { PushTokensView } from '../projections/push-tokens/queries.ts';
import { SessionsView } from '../projections/sessions/queries.ts';
import { TimelineView } from '../projections/timeline/queries.ts';
import { UsersView } from '../projections/users/queries.ts';

/** The stores the views live in. */
export interface ViewStores {
  readonly kv: KvStore;
  readonly timeline: TimelineStore;
}

/** Every query view of a process, one instance each. */
export interface Views {
  readonly users: UsersView;
  readonly sessions: SessionsView;
  readonly keys: KeysView;
  readonly conversations: ConversationsView;
  readonly timeline: TimelineView;
  readonly inbox: InboxView;
  readonly groups: GroupsView;
  readonly media: MediaView;
  readonly presence: PresenceView;
  readonly pushTokens: PushTokensView;
  readonly calls: CallsView;
}

/** Builds every view over the given stores (the process's, or a test's). */
export function buildViews(stores: ViewStores): Views {
  return Object.freeze({
    users: new UsersView(stores.kv),
    sessions: new SessionsView(stores.kv),
    keys: new KeysView(stores.kv),
    conversations: new ConversationsView(stores.kv),
    timeline: new TimelineView(stores.timeline),
    inbox: new InboxView(stores.kv),
    groups: new GroupsView(stores.kv),
    media: new MediaView(stores.kv),
    presence: new PresenceView(stores.kv),
    pushTokens: new PushTokensView(stores.kv),
    calls: new CallsView(stores.kv),
  });
}
