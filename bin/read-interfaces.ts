/**
 * The views and stores bin/ passes to the use cases implement the narrow read
 * interfaces that commands/ (and a gateway) declare (commands/<aggregate>/reads.ts, decision
 * 0300). The wiring checks each one where it is passed; this module says it in
 * one place, so a view that stops fitting an interface is named here by the
 * typecheck. Types only: nothing here runs.
 */
import type { ConversationReads } from '../commands/conversation/reads.ts';
import type { GroupReads } from '../commands/group/reads.ts';
import type { UserIndex } from '../commands/account/reads.ts';
import type { PresentUsers } from '../commands/presence/reads.ts';
import type { MediaBlobs, MediaReads } from '../commands/media/reads.ts';
import type { SnapshotKv } from '../commands/handler/snapshots.ts';
import type { ViewProgress } from '../commands/view-progress.ts';
import type { UserDataKeys } from '../commands/data-keys.ts';
import type { MediaDownloadBlobs } from '../gateways/grpc/media/media.ts';
import type { ConversationsView } from '../projections/conversations/queries.ts';
import type { GroupsView } from '../projections/groups/queries.ts';
import type { UsersView } from '../projections/users/queries.ts';
import type { PresenceView } from '../projections/presence/queries.ts';
import type { MediaView } from '../projections/media/queries.ts';
import type { ProjectionProgress } from '../projections/query/progress.ts';
import type { BlobStore } from '../stores/blob/port.ts';
import type { KvStore } from '../stores/kv/port.ts';
import type { DataKeys } from '../stores/data-keys.ts';

/** `true` when `T` implements `I`; a type error at the use otherwise. */
type Implements<T extends I, I> = T extends I ? true : never;

export type ReadInterfacesImplemented = [
  Implements<ConversationsView, ConversationReads>,
  Implements<GroupsView, GroupReads>,
  Implements<UsersView, UserIndex>,
  Implements<PresenceView, PresentUsers>,
  Implements<MediaView, MediaReads>,
  Implements<BlobStore, MediaBlobs>,
  Implements<KvStore, SnapshotKv>,
  Implements<ProjectionProgress, ViewProgress>,
  Implements<DataKeys, UserDataKeys>,
  Implements<BlobStore, MediaDownloadBlobs>,
];
