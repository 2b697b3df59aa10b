/**
 * Delivery state of group messages as their sender sees it, from the views
 * only: the recipients of a message are the members who joined before it
 * (the sender aside); one is a delivery when a device of theirs received it
 * (its delivery cursor in the inbox view is past the message), a read when
 * their read position (GroupMessagesRead) is. The message is DELIVERED once
 * every recipient has it, READ once every recipient read it, SENT before.
 * Members who left since are not counted (the view keeps current members).
 */
import type { DeliveryStatus } from '../inbox/delivery-status.ts';
import type { InboxView } from '../inbox/queries.ts';
import type { GroupsView } from './queries.ts';

export interface GroupReceipt {
  readonly status: DeliveryStatus;
  readonly recipients: number;
  readonly delivered: number;
  readonly read: number;
}

/** How many members' delivery cursors are read at once. */
const CONCURRENCY = 64;

/** Receipts of the `messages` the caller sent, by seq (others' messages get none). */
export async function groupReceipts(
  groupId: string,
  callerUserId: string,
  messages: readonly { readonly seq: number; readonly senderUserId: string }[],
  views: { readonly groups: GroupsView; readonly inbox: InboxView },
): Promise<Map<number, GroupReceipt>> {
  const own = messages.filter((m) => m.senderUserId === callerUserId);
  const out = new Map<number, GroupReceipt>();
  if (own.length === 0) return out;
  const others = (await views.groups.members(groupId)).filter((m) => m.userId !== callerUserId);
  const delivered: number[] = [];
  for (let i = 0; i < others.length; i += CONCURRENCY) {
    delivered.push(
      ...(await Promise.all(others.slice(i, i + CONCURRENCY).map((m) => views.inbox.deliveredUpTo(m.userId)))),
    );
  }
  for (const m of own) {
    let recipients = 0;
    let got = 0;
    let read = 0;
    others.forEach((member, i) => {
      if (member.joinSeq >= m.seq) return;
      recipients++;
      if ((member.readUpTo ?? 0) >= m.seq) {
        read++;
        got++; // a member who read it has it
      } else if (delivered[i]! >= m.seq) got++;
    });
    const status: DeliveryStatus =
      recipients > 0 && read === recipients ? 'READ' : recipients > 0 && got === recipients ? 'DELIVERED' : 'SENT';
    out.set(m.seq, { status, recipients, delivered: got, read });
  }
  return out;
}
