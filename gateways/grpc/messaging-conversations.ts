/** MessagingService RPCs: MarkAsRead, DeleteMessage, ClearChat, GetConversations, SendTypingIndicator. */
import type * as grpc from '@grpc/grpc-js';
import type { MessagingServiceDeps } from './messaging.ts';

export function conversationRpcs(_deps: MessagingServiceDeps): grpc.UntypedServiceImplementation {
  return {};
}
