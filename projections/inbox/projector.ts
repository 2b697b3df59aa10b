/**
 * Builds the inbox view from the MESSAGES stream: for every message, a pointer
 * under each user with a device that should receive it: the recipient (all of
 * its devices, or the one targeted) and, for an untargeted message, the
 * sender (its other devices: multi-device sync). A targeted message
 * (recipient_device_id set) is ciphertext for one device and reaches only it.
 *
 * After each batch is committed, the projection announces the users that got
 * entries (streams/inbox-wakeups.ts: core NATS `guardyn.inbox.<userId>`), so
 * every gateway instance streaming to one of them reads at once instead of
 * polling. The announcement is a hint: a lost one only delays delivery until
 * the stream's next periodic read.
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { ConversationEvent } from '../../commands/conversation/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../runtime/kv-target.ts';
import type { GroupEvent } from '../../commands/group/decider.ts';
import { inboxEntry, inboxKeys, receiptEntry, type InboxEntry } from './schema.ts';
import { directAddressees, groupAddressee, receiptAddressees } from './addressing.ts';

/** Announces that users have new inbox entries up to `seq` (called after the commit; streams/inbox-wakeups.ts inboxAnnouncer). */
export type InboxAnnouncer = (userIds: ReadonlySet<string>, seq: number) => void;

/** The users each open transaction wrote entries for. */
const touched = new WeakMap<KvTx, Set<string>>();

class InboxTarget extends KvProjectionTarget {
  constructor(
    store: KvStore,
    private readonly announce: InboxAnnouncer | undefined,
  ) {
    super(store, inboxKeys.prefixes);
  }

  /** After the entries are stored, whoever wrote them (this target or a joint batch): wake the users' feeds. */
  override afterCommit(tx: KvTx, seq: number): void {
    const users = touched.get(tx);
    if (users !== undefined && users.size > 0 && this.announce !== undefined) {
      try {
        this.announce(users, seq);
      } catch {
        // a hint only: streams also read periodically
      }
    }
  }
}

function put(tx: KvTx, userId: string, seq: number, entry: InboxEntry): void {
  tx.put(inboxKeys.entry(userId, seq), inboxEntry.encode(entry));
  touch(tx, userId);
}

function touch(tx: KvTx, userId: string): void {
  let users = touched.get(tx);
  if (users === undefined) touched.set(tx, (users = new Set()));
  users.add(userId);
}

type MessagesEvent = ConversationEvent | GroupEvent;
type Of<K extends MessagesEvent['type']> = Extract<MessagesEvent, { type: K }>;

/**
 * Group events: the inbox keeps who is a member at each point of the stream,
 * and a group message gets an entry under every member at that point (the
 * sender's entry is the sync copy for its other devices).
 */
function memberLeft({ data }: Of<'GroupMemberRemoved' | 'GroupMemberLeft'>, _commit: StoredCommit, tx: KvTx): void {
  tx.delete(inboxKeys.groupMember(data.groupId, data.userId));
}

export function inboxProjection(store: KvStore, announce?: InboxAnnouncer): Projection<KvTx> {
  return defineProjection<MessagesEvent, KvTx>({
    name: 'inbox',
    stream: STREAMS.messages,
    target: new InboxTarget(store, announce),
    on: {
      MessageSent: ({ data }, commit, tx) => {
        for (const to of directAddressees(data)) put(tx, to.userId, commit.seq, to.entry);
      },
      GroupCreated: ({ data }, _commit, tx) => {
        for (const m of data.members) tx.put(inboxKeys.groupMember(data.groupId, m.userId), PRESENT);
      },
      GroupMemberAdded: ({ data }, _commit, tx) => tx.put(inboxKeys.groupMember(data.groupId, data.userId), PRESENT),
      GroupMemberRemoved: memberLeft,
      GroupMemberLeft: memberLeft,
      // A receipt for the other participants (the senders of what was read).
      MessagesRead: ({ data: d }, commit, tx) => {
        for (const userId of receiptAddressees(d)) {
          tx.put(
            inboxKeys.receipt(userId, commit.seq),
            receiptEntry.encode({
              c: d.conversationId,
              by: d.readerUserId,
              dev: d.readerDeviceId,
              ids: d.messageIds,
              at: d.at,
            }),
          );
          touch(tx, userId);
        }
      },
      GroupMessageSent: async ({ data: d }, commit, tx) => {
        const prefix = inboxKeys.groupMembers(d.groupId);
        for (const row of await tx.scanPrefix(prefix)) {
          const to = groupAddressee(d, Buffer.from(row.key.subarray(prefix.length)).toString('utf8'));
          put(tx, to.userId, commit.seq, to.entry);
        }
      },
    },
  });
}
