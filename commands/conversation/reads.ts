/**
 * What the conversation use cases read besides the aggregate: the narrow side
 * of the conversations view they need. The view implements it structurally
 * and bin/ passes it in; commands never import a view class. The shapes name only the fields the decisions use.
 */

/** A message as the message-id index holds it: the facts receipts, deletions and resends decide on. */
export interface IndexedMessage {
  readonly conversationId: string;
  /** The stream sequence of the message's commit. */
  readonly seq: number;
  readonly at: number;
  readonly senderUserId: string;
  /** Absent on messages indexed before the field existed (the participants tell). */
  readonly recipientUserId?: string;
  /** When the recipient read it (absent: unread). */
  readonly readAt?: number;
  /** Deleted for everyone. */
  readonly deleted?: boolean;
  /** Users who hid it for themselves. */
  readonly hiddenFor?: readonly string[];
}

/** The message-id index: SendMessage answers a resend from it. */
export interface MessageIndex {
  messageById(messageId: string): Promise<IndexedMessage | undefined>;
}

/** Receipts, deletions and ClearChat: the index, the participants and the caller's membership. */
export interface ConversationReads extends MessageIndex {
  /** Records in the order of `messageIds`; undefined where absent. */
  messagesById(messageIds: readonly string[]): Promise<(IndexedMessage | undefined)[]>;
  conversation(conversationId: string): Promise<{ readonly participants: readonly string[] } | undefined>;
  member(
    userId: string,
    conversationId: string,
  ): Promise<
    | {
        /** Sequence of the conversation's newest message. */
        readonly lastSeq: number;
        /** Messages this user still sees (absent on records written before the field). */
        readonly visible?: number;
      }
    | undefined
  >;
}
