/** Reads of the conversations view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { conversationRecord, conversationsKeys as keys, memberRecord, messageIndexRecord, type ConversationRecord, type MemberRecord, type MessageIndexRecord } from './schema.ts';

export class ConversationsView {
  constructor(private readonly kv: KvStore) {}

  async conversation(conversationId: string): Promise<ConversationRecord | undefined> {
    const raw = await this.kv.get(keys.conversation(conversationId));
    return raw ? conversationRecord.decode(raw) : undefined;
  }

  async member(userId: string, conversationId: string): Promise<MemberRecord | undefined> {
    const raw = await this.kv.get(keys.member(userId, conversationId));
    return raw ? memberRecord.decode(raw) : undefined;
  }

  async messageById(messageId: string): Promise<MessageIndexRecord | undefined> {
    const raw = await this.kv.get(keys.message(messageId));
    return raw ? messageIndexRecord.decode(raw) : undefined;
  }
}
