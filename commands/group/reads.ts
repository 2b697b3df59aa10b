/**
 * What the group use cases read besides the aggregate: the narrow side of the
 * groups view they need. The view implements it structurally and bin/ passes
 * it in; commands never import a view class.
 */

/** A group message as the message-id index holds it. */
export interface IndexedGroupMessage {
  readonly groupId: string;
  /** The stream sequence of the message's commit. */
  readonly seq: number;
  readonly at: number;
  readonly senderUserId: string;
  /** Deleted for everyone by the sender. */
  readonly deleted?: boolean;
  /** Members who deleted it for themselves. */
  readonly hiddenFor?: readonly string[];
}

/** The message-id index: SendGroupMessage answers a resend from it. */
export interface GroupMessageIndex {
  messageById(messageId: string): Promise<IndexedGroupMessage | undefined>;
}

/** Group receipts and deletions: the index and the caller's membership facts. */
export interface GroupReads extends GroupMessageIndex {
  member(
    groupId: string,
    userId: string,
  ): Promise<
    | {
        /** Sequence of the commit that made the user a member. */
        readonly joinSeq: number;
        /** The member's read position (absent: nothing read yet). */
        readonly readUpTo?: number;
      }
    | undefined
  >;
}
