// Original file: proto/guardyn/messaging.proto

import type {
  Conversation as _guardyn_messaging_Conversation,
  Conversation__Output as _guardyn_messaging_Conversation__Output,
} from '../../guardyn/messaging/Conversation.ts';

export interface GetConversationsSuccess {
  conversations?: _guardyn_messaging_Conversation[];
  stale?: boolean;
}

export interface GetConversationsSuccess__Output {
  conversations: _guardyn_messaging_Conversation__Output[];
  stale: boolean;
}
