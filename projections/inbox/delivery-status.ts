/**
 * The delivery state of 1:1 messages as their sender sees it: READ once the
 * recipient marked it read, DELIVERED once a device of the recipient received
 * it through ReceiveMessages (its delivery cursor is past the message), SENT
 * once persisted.
 */
import type { ConversationsView } from '../conversations/queries.ts';
import type { InboxView } from './queries.ts';
import type { MessageRecord } from '../timeline/schema.ts';

export type DeliveryStatus = 'SENT' | 'DELIVERED' | 'READ';

export async function deliveryStatuses(
  messages: readonly MessageRecord[],
  views: { readonly conversations: ConversationsView; readonly inbox: InboxView },
): Promise<DeliveryStatus[]> {
  if (messages.length === 0) return [];
  const recipients = [...new Set(messages.map((m) => m.recipientUserId))];
  const [index, delivered] = await Promise.all([
    views.conversations.messagesById(messages.map((m) => m.messageId)),
    Promise.all(recipients.map(async (r) => [r, await views.inbox.deliveredUpTo(r)] as const)).then(
      (pairs) => new Map(pairs),
    ),
  ]);
  return messages.map((m, i) => {
    if (index[i]?.readAt !== undefined) return 'READ';
    return (delivered.get(m.recipientUserId) ?? 0) >= m.seq ? 'DELIVERED' : 'SENT';
  });
}
