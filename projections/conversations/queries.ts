/** Reads of the conversations view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import {
  conversationIdOfRecentKey,
  conversationRecord,
  conversationsKeys as keys,
  memberRecord,
  messageIndexRecord,
  type ConversationRecord,
  type MemberRecord,
  type MessageIndexRecord,
} from './schema.ts';

export class ConversationsView {
  constructor(private readonly kv: KvStore) {}

  async conversation(conversationId: string): Promise<ConversationRecord | undefined> {
    const raw = await this.kv.get(keys.conversation(conversationId));
    return raw ? conversationRecord.decode(raw) : undefined;
  }

  /** Whether each conversation exists (has a first message), in the order of `conversationIds`. */
  async exist(conversationIds: readonly string[]): Promise<boolean[]> {
    if (conversationIds.length === 0) return [];
    const raws = await this.kv.getMany(conversationIds.map((id) => keys.conversation(id)));
    return raws.map((raw) => raw !== undefined);
  }

  async member(userId: string, conversationId: string): Promise<MemberRecord | undefined> {
    const raw = await this.kv.get(keys.member(userId, conversationId));
    return raw ? memberRecord.decode(raw) : undefined;
  }

  /** A conversation and the user's member record of it, in one read. */
  async conversationOf(
    userId: string,
    conversationId: string,
  ): Promise<{ conversation: ConversationRecord | undefined; member: MemberRecord | undefined }> {
    const [conv, member] = await this.kv.getMany([
      keys.conversation(conversationId),
      keys.member(userId, conversationId),
    ]);
    return {
      conversation: conv ? conversationRecord.decode(conv) : undefined,
      member: member ? memberRecord.decode(member) : undefined,
    };
  }

  async messageById(messageId: string): Promise<MessageIndexRecord | undefined> {
    const raw = await this.kv.get(keys.message(messageId));
    return raw ? messageIndexRecord.decode(raw) : undefined;
  }

  /** Index records of several messages, in the order of `messageIds`; undefined where unknown. */
  async messagesById(messageIds: readonly string[]): Promise<(MessageIndexRecord | undefined)[]> {
    if (messageIds.length === 0) return [];
    const raws = await this.kv.getMany(messageIds.map((id) => keys.message(id)));
    return raws.map((raw) => (raw ? messageIndexRecord.decode(raw) : undefined));
  }

  /** The user's conversations, newest activity first, with the user's member records. */
  async recentOf(userId: string, limit: number): Promise<MemberRecord[]> {
    const prefix = keys.recentOf(userId);
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit, reverse: true });
    if (rows.length === 0) return [];
    const ids = rows.map((r) => conversationIdOfRecentKey(userId, r.key));
    const raws = await this.kv.getMany(ids.map((id) => keys.member(userId, id)));
    const out: MemberRecord[] = [];
    for (const raw of raws) if (raw) out.push(memberRecord.decode(raw));
    return out;
  }
}
