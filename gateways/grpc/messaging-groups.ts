/** MessagingService RPCs: CreateGroup, AddGroupMember, RemoveGroupMember, LeaveGroup, GetGroups, GetGroupById, SendGroupMessage, GetGroupMessages. */
import type * as grpc from '@grpc/grpc-js';
import type { MessagingServiceDeps } from './messaging.ts';

export function groupRpcs(_deps: MessagingServiceDeps): grpc.UntypedServiceImplementation {
  return {};
}
