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
import type { ConversationEvent } from '../../commands/conversation.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import type { ParkedCommit, Projection } from '../projection.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../kv-target.ts';
import type { GroupEvent } from '../../commands/group.ts';
import { inboxEntry, inboxKeys, receiptEntry, type InboxEntry } from './schema.ts';
import { directAddressees, groupAddressee, receiptAddressees } from './addressing.ts';

/** Announces that users have new inbox entries up to `seq` (called after the commit; streams/inbox-wakeups.ts inboxAnnouncer). */
export type InboxAnnouncer = (userIds: ReadonlySet<string>, seq: number) => void;

/** The users each open transaction wrote entries for. */
const touched = new WeakMap<KvTx, Set<string>>();

class InboxTarget extends KvProjectionTarget {
  constructor(store: KvStore, private readonly announce: InboxAnnouncer | undefined) {
    super(store, inboxKeys.prefixes);
  }

  override async commit(name: string, tx: KvTx, seq: number, parked: readonly ParkedCommit[], fence?: number): Promise<void> {
    await super.commit(name, tx, seq, parked, fence);
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

/**
 * Group events: the inbox keeps who is a member at each point of the stream,
 * and a group message gets an entry under every member at that point (the
 * sender's entry is the sync copy for its other devices).
 */
async function projectGroupEvent(event: ConversationEvent | GroupEvent, seq: number, tx: KvTx): Promise<void> {
  switch (event.type) {
    case 'GroupCreated':
      for (const m of event.data.members) tx.put(inboxKeys.groupMember(event.data.groupId, m.userId), PRESENT);
      return;
    case 'GroupMemberAdded':
      tx.put(inboxKeys.groupMember(event.data.groupId, event.data.userId), PRESENT);
      return;
    case 'GroupMemberRemoved':
    case 'GroupMemberLeft':
      tx.delete(inboxKeys.groupMember(event.data.groupId, event.data.userId));
      return;
    case 'MessagesRead': {
      // A receipt for the other participants (the senders of what was read).
      const d = event.data;
      for (const userId of receiptAddressees(d)) {
        tx.put(inboxKeys.receipt(userId, seq), receiptEntry.encode({ c: d.conversationId, by: d.readerUserId, dev: d.readerDeviceId, ids: d.messageIds, at: d.at }));
        touch(tx, userId);
      }
      return;
    }
    case 'GroupMessageSent': {
      const d = event.data;
      const prefix = inboxKeys.groupMembers(d.groupId);
      for (const row of await tx.scanPrefix(prefix)) {
        const to = groupAddressee(d, Buffer.from(row.key.subarray(prefix.length)).toString('utf8'));
        put(tx, to.userId, seq, to.entry);
      }
      return;
    }
    default:
      return;
  }
}

export function inboxProjection(store: KvStore, announce?: InboxAnnouncer): Projection<KvTx> {
  return {
    name: 'inbox',
    stream: STREAMS.messages,
    filterSubject: 'messages.>',
    target: new InboxTarget(store, announce),
    async project(commit: StoredCommit, tx: KvTx) {
      for (const event of commit.events as readonly (ConversationEvent | GroupEvent)[]) {
        if (event.type !== 'MessageSent') {
          await projectGroupEvent(event, commit.seq, tx);
          continue;
        }
        for (const to of directAddressees(event.data)) put(tx, to.userId, commit.seq, to.entry);
      }
    },
  };
}
