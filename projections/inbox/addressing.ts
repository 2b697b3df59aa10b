/**
 * Who gets a message: the one rule shared by the inbox projection (which
 * writes a pointer per addressee) and live delivery (which hands the commit to
 * the connected devices of each addressee), so a backlog read from the inbox
 * and a live delivery from the commit always reach the same devices.
 *
 * - 1:1 (MessageSent): the recipient (all of its devices, or the one targeted)
 *   and, for an untargeted message, the sender's other devices (a sync copy).
 *   A message to oneself goes to one's other devices.
 * - group (GroupMessageSent): every member at the message's point of the
 *   stream; the sender's entry is the sync copy for its other devices.
 * - read receipt (MessagesRead): every participant but the reader.
 */
import type { InboxEntry } from './schema.ts';

export interface Addressee {
  readonly userId: string;
  readonly entry: InboxEntry;
}

/** The addressees of a 1:1 message. */
export function directAddressees(d: {
  readonly senderUserId: string;
  readonly senderDeviceId: string;
  readonly recipientUserId: string;
  readonly recipientDeviceId: string;
  readonly conversationId: string;
}): Addressee[] {
  const self = d.senderUserId === d.recipientUserId;
  const toRecipient: InboxEntry = { p: d.conversationId, sync: false };
  if (d.recipientDeviceId !== '') toRecipient.only = d.recipientDeviceId;
  if (self) toRecipient.not = d.senderDeviceId;
  const out: Addressee[] = [{ userId: d.recipientUserId, entry: toRecipient }];
  if (!self && d.recipientDeviceId === '')
    out.push({ userId: d.senderUserId, entry: { p: d.conversationId, sync: true, not: d.senderDeviceId } });
  return out;
}

/** The addressee entry of one group member for a group message. */
export function groupAddressee(
  d: { readonly groupId: string; readonly senderUserId: string; readonly senderDeviceId: string },
  member: string,
): Addressee {
  return member === d.senderUserId
    ? { userId: member, entry: { p: d.groupId, sync: true, not: d.senderDeviceId } }
    : { userId: member, entry: { p: d.groupId, sync: false } };
}

/** The users a read receipt is for: every participant but the reader. */
export function receiptAddressees(d: {
  readonly participants: readonly string[];
  readonly readerUserId: string;
}): string[] {
  return d.participants.filter((u) => u !== d.readerUserId);
}
