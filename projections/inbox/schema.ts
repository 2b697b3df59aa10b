/**
 * The inbox view: per user, every message that some device of the user should
 * receive, ordered by stream sequence. An entry is a pointer, not a copy: the
 * ciphertext stays once in the timeline (partition `p`, position = the key's
 * seq), so a message to a user costs one small row per user here, and a
 * deletion the timeline records is seen by the stream too.
 *
 *   inbox/<userId>/<seq>  → { p, only?, not?, sync }
 *
 * - `only`: the one device the message is for (recipient_device_id was set).
 * - `not`: a device that must not get it (the device that sent it).
 * - `sync`: a copy for the sender's other devices (not a message to the user).
 *
 *   inboxrcpt/<userId>/<seq> → { c, by, dev, ids, at }
 *
 * - a read receipt for the user: `by` (on device `dev`) read the messages
 *   `ids` of conversation `c` (the MessagesRead commit at `seq`). Kept apart
 *   from the message entries so readers of messages never meet it; the
 *   WebSocket gateway merges both by seq into one feed per device.
 *
 * Beside the view, but not part of it: per-device delivery cursors written by
 * the gateway (`inboxcur/<userId>/<deviceId>` → seq). They say how far the
 * ReceiveMessages stream has handed messages to a device; they are operational
 * state like a consumer's ack floor, not truth, and are never rebuilt from the
 * log (see docs/adr/0026-receivemessages-an-inbox-of-pointers-a-per-device-cursor.md).
 */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const InboxEntry = t.intersection([
  t.type({ p: t.string, sync: t.boolean }),
  t.partial({ only: t.string, not: t.string }),
]);
export type InboxEntry = t.TypeOf<typeof InboxEntry>;

export const inboxEntry = recordCodec('inbox entry', InboxEntry);

/** A read receipt addressed to a user (see above). */
export const ReceiptEntry = t.type({ c: t.string, by: t.string, dev: t.string, ids: t.array(t.string), at: t.number });
export type ReceiptEntry = t.TypeOf<typeof ReceiptEntry>;

export const receiptEntry = recordCodec('inbox receipt', ReceiptEntry);

export const inboxKeys = {
  prefixes: [childPrefix('inbox'), childPrefix('inboxgrp'), childPrefix('inboxrcpt')],
  receipt: (userId: string, seq: number) => key('inboxrcpt', userId, seq),
  receiptsOf: (userId: string) => childPrefix('inboxrcpt', userId),
  /** The inbox's own copy of group membership, to address group messages. */
  groupMember: (groupId: string, userId: string) => key('inboxgrp', groupId, userId),
  groupMembers: (groupId: string) => childPrefix('inboxgrp', groupId),
  entry: (userId: string, seq: number) => key('inbox', userId, seq),
  of: (userId: string) => childPrefix('inbox', userId),
  cursor: (userId: string, deviceId: string) => key('inboxcur', userId, deviceId),
  cursorsOf: (userId: string) => childPrefix('inboxcur', userId),
};

/** Whether an entry is for `deviceId` (a device of the entry's user). */
export function isForDevice(entry: InboxEntry, deviceId: string): boolean {
  if (entry.not !== undefined && entry.not === deviceId) return false;
  return entry.only === undefined || entry.only === deviceId;
}
