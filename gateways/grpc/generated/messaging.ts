import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  ConsistencyToken as _guardyn_common_ConsistencyToken,
  ConsistencyToken__Output as _guardyn_common_ConsistencyToken__Output,
} from './guardyn/common/ConsistencyToken.ts';
import type {
  DeviceId as _guardyn_common_DeviceId,
  DeviceId__Output as _guardyn_common_DeviceId__Output,
} from './guardyn/common/DeviceId.ts';
import type {
  ErrorResponse as _guardyn_common_ErrorResponse,
  ErrorResponse__Output as _guardyn_common_ErrorResponse__Output,
} from './guardyn/common/ErrorResponse.ts';
import type {
  HealthStatus as _guardyn_common_HealthStatus,
  HealthStatus__Output as _guardyn_common_HealthStatus__Output,
} from './guardyn/common/HealthStatus.ts';
import type {
  KeyBundle as _guardyn_common_KeyBundle,
  KeyBundle__Output as _guardyn_common_KeyBundle__Output,
} from './guardyn/common/KeyBundle.ts';
import type {
  PaginationRequest as _guardyn_common_PaginationRequest,
  PaginationRequest__Output as _guardyn_common_PaginationRequest__Output,
} from './guardyn/common/PaginationRequest.ts';
import type {
  PaginationResponse as _guardyn_common_PaginationResponse,
  PaginationResponse__Output as _guardyn_common_PaginationResponse__Output,
} from './guardyn/common/PaginationResponse.ts';
import type {
  Timestamp as _guardyn_common_Timestamp,
  Timestamp__Output as _guardyn_common_Timestamp__Output,
} from './guardyn/common/Timestamp.ts';
import type {
  UserId as _guardyn_common_UserId,
  UserId__Output as _guardyn_common_UserId__Output,
} from './guardyn/common/UserId.ts';
import type {
  AddGroupMemberRequest as _guardyn_messaging_AddGroupMemberRequest,
  AddGroupMemberRequest__Output as _guardyn_messaging_AddGroupMemberRequest__Output,
} from './guardyn/messaging/AddGroupMemberRequest.ts';
import type {
  AddGroupMemberResponse as _guardyn_messaging_AddGroupMemberResponse,
  AddGroupMemberResponse__Output as _guardyn_messaging_AddGroupMemberResponse__Output,
} from './guardyn/messaging/AddGroupMemberResponse.ts';
import type {
  AddGroupMemberSuccess as _guardyn_messaging_AddGroupMemberSuccess,
  AddGroupMemberSuccess__Output as _guardyn_messaging_AddGroupMemberSuccess__Output,
} from './guardyn/messaging/AddGroupMemberSuccess.ts';
import type {
  ClearChatRequest as _guardyn_messaging_ClearChatRequest,
  ClearChatRequest__Output as _guardyn_messaging_ClearChatRequest__Output,
} from './guardyn/messaging/ClearChatRequest.ts';
import type {
  ClearChatResponse as _guardyn_messaging_ClearChatResponse,
  ClearChatResponse__Output as _guardyn_messaging_ClearChatResponse__Output,
} from './guardyn/messaging/ClearChatResponse.ts';
import type {
  ClearChatSuccess as _guardyn_messaging_ClearChatSuccess,
  ClearChatSuccess__Output as _guardyn_messaging_ClearChatSuccess__Output,
} from './guardyn/messaging/ClearChatSuccess.ts';
import type {
  Conversation as _guardyn_messaging_Conversation,
  Conversation__Output as _guardyn_messaging_Conversation__Output,
} from './guardyn/messaging/Conversation.ts';
import type {
  CreateGroupRequest as _guardyn_messaging_CreateGroupRequest,
  CreateGroupRequest__Output as _guardyn_messaging_CreateGroupRequest__Output,
} from './guardyn/messaging/CreateGroupRequest.ts';
import type {
  CreateGroupResponse as _guardyn_messaging_CreateGroupResponse,
  CreateGroupResponse__Output as _guardyn_messaging_CreateGroupResponse__Output,
} from './guardyn/messaging/CreateGroupResponse.ts';
import type {
  CreateGroupSuccess as _guardyn_messaging_CreateGroupSuccess,
  CreateGroupSuccess__Output as _guardyn_messaging_CreateGroupSuccess__Output,
} from './guardyn/messaging/CreateGroupSuccess.ts';
import type {
  DeleteMessageRequest as _guardyn_messaging_DeleteMessageRequest,
  DeleteMessageRequest__Output as _guardyn_messaging_DeleteMessageRequest__Output,
} from './guardyn/messaging/DeleteMessageRequest.ts';
import type {
  DeleteMessageResponse as _guardyn_messaging_DeleteMessageResponse,
  DeleteMessageResponse__Output as _guardyn_messaging_DeleteMessageResponse__Output,
} from './guardyn/messaging/DeleteMessageResponse.ts';
import type {
  DeleteMessageSuccess as _guardyn_messaging_DeleteMessageSuccess,
  DeleteMessageSuccess__Output as _guardyn_messaging_DeleteMessageSuccess__Output,
} from './guardyn/messaging/DeleteMessageSuccess.ts';
import type {
  GetConversationsRequest as _guardyn_messaging_GetConversationsRequest,
  GetConversationsRequest__Output as _guardyn_messaging_GetConversationsRequest__Output,
} from './guardyn/messaging/GetConversationsRequest.ts';
import type {
  GetConversationsResponse as _guardyn_messaging_GetConversationsResponse,
  GetConversationsResponse__Output as _guardyn_messaging_GetConversationsResponse__Output,
} from './guardyn/messaging/GetConversationsResponse.ts';
import type {
  GetConversationsSuccess as _guardyn_messaging_GetConversationsSuccess,
  GetConversationsSuccess__Output as _guardyn_messaging_GetConversationsSuccess__Output,
} from './guardyn/messaging/GetConversationsSuccess.ts';
import type {
  GetGroupByIdRequest as _guardyn_messaging_GetGroupByIdRequest,
  GetGroupByIdRequest__Output as _guardyn_messaging_GetGroupByIdRequest__Output,
} from './guardyn/messaging/GetGroupByIdRequest.ts';
import type {
  GetGroupByIdResponse as _guardyn_messaging_GetGroupByIdResponse,
  GetGroupByIdResponse__Output as _guardyn_messaging_GetGroupByIdResponse__Output,
} from './guardyn/messaging/GetGroupByIdResponse.ts';
import type {
  GetGroupByIdSuccess as _guardyn_messaging_GetGroupByIdSuccess,
  GetGroupByIdSuccess__Output as _guardyn_messaging_GetGroupByIdSuccess__Output,
} from './guardyn/messaging/GetGroupByIdSuccess.ts';
import type {
  GetGroupMessagesRequest as _guardyn_messaging_GetGroupMessagesRequest,
  GetGroupMessagesRequest__Output as _guardyn_messaging_GetGroupMessagesRequest__Output,
} from './guardyn/messaging/GetGroupMessagesRequest.ts';
import type {
  GetGroupMessagesResponse as _guardyn_messaging_GetGroupMessagesResponse,
  GetGroupMessagesResponse__Output as _guardyn_messaging_GetGroupMessagesResponse__Output,
} from './guardyn/messaging/GetGroupMessagesResponse.ts';
import type {
  GetGroupMessagesSuccess as _guardyn_messaging_GetGroupMessagesSuccess,
  GetGroupMessagesSuccess__Output as _guardyn_messaging_GetGroupMessagesSuccess__Output,
} from './guardyn/messaging/GetGroupMessagesSuccess.ts';
import type {
  GetGroupsRequest as _guardyn_messaging_GetGroupsRequest,
  GetGroupsRequest__Output as _guardyn_messaging_GetGroupsRequest__Output,
} from './guardyn/messaging/GetGroupsRequest.ts';
import type {
  GetGroupsResponse as _guardyn_messaging_GetGroupsResponse,
  GetGroupsResponse__Output as _guardyn_messaging_GetGroupsResponse__Output,
} from './guardyn/messaging/GetGroupsResponse.ts';
import type {
  GetGroupsSuccess as _guardyn_messaging_GetGroupsSuccess,
  GetGroupsSuccess__Output as _guardyn_messaging_GetGroupsSuccess__Output,
} from './guardyn/messaging/GetGroupsSuccess.ts';
import type {
  GetMessagesRequest as _guardyn_messaging_GetMessagesRequest,
  GetMessagesRequest__Output as _guardyn_messaging_GetMessagesRequest__Output,
} from './guardyn/messaging/GetMessagesRequest.ts';
import type {
  GetMessagesResponse as _guardyn_messaging_GetMessagesResponse,
  GetMessagesResponse__Output as _guardyn_messaging_GetMessagesResponse__Output,
} from './guardyn/messaging/GetMessagesResponse.ts';
import type {
  GetMessagesSuccess as _guardyn_messaging_GetMessagesSuccess,
  GetMessagesSuccess__Output as _guardyn_messaging_GetMessagesSuccess__Output,
} from './guardyn/messaging/GetMessagesSuccess.ts';
import type {
  GroupInfo as _guardyn_messaging_GroupInfo,
  GroupInfo__Output as _guardyn_messaging_GroupInfo__Output,
} from './guardyn/messaging/GroupInfo.ts';
import type {
  GroupMemberInfo as _guardyn_messaging_GroupMemberInfo,
  GroupMemberInfo__Output as _guardyn_messaging_GroupMemberInfo__Output,
} from './guardyn/messaging/GroupMemberInfo.ts';
import type {
  GroupMessage as _guardyn_messaging_GroupMessage,
  GroupMessage__Output as _guardyn_messaging_GroupMessage__Output,
} from './guardyn/messaging/GroupMessage.ts';
import type {
  HealthRequest as _guardyn_messaging_HealthRequest,
  HealthRequest__Output as _guardyn_messaging_HealthRequest__Output,
} from './guardyn/messaging/HealthRequest.ts';
import type {
  LeaveGroupRequest as _guardyn_messaging_LeaveGroupRequest,
  LeaveGroupRequest__Output as _guardyn_messaging_LeaveGroupRequest__Output,
} from './guardyn/messaging/LeaveGroupRequest.ts';
import type {
  LeaveGroupResponse as _guardyn_messaging_LeaveGroupResponse,
  LeaveGroupResponse__Output as _guardyn_messaging_LeaveGroupResponse__Output,
} from './guardyn/messaging/LeaveGroupResponse.ts';
import type {
  LeaveGroupSuccess as _guardyn_messaging_LeaveGroupSuccess,
  LeaveGroupSuccess__Output as _guardyn_messaging_LeaveGroupSuccess__Output,
} from './guardyn/messaging/LeaveGroupSuccess.ts';
import type {
  MarkAsReadRequest as _guardyn_messaging_MarkAsReadRequest,
  MarkAsReadRequest__Output as _guardyn_messaging_MarkAsReadRequest__Output,
} from './guardyn/messaging/MarkAsReadRequest.ts';
import type {
  MarkAsReadResponse as _guardyn_messaging_MarkAsReadResponse,
  MarkAsReadResponse__Output as _guardyn_messaging_MarkAsReadResponse__Output,
} from './guardyn/messaging/MarkAsReadResponse.ts';
import type {
  MarkAsReadSuccess as _guardyn_messaging_MarkAsReadSuccess,
  MarkAsReadSuccess__Output as _guardyn_messaging_MarkAsReadSuccess__Output,
} from './guardyn/messaging/MarkAsReadSuccess.ts';
import type {
  Message as _guardyn_messaging_Message,
  Message__Output as _guardyn_messaging_Message__Output,
} from './guardyn/messaging/Message.ts';
import type {
  MessagingServiceClient as _guardyn_messaging_MessagingServiceClient,
  MessagingServiceDefinition as _guardyn_messaging_MessagingServiceDefinition,
} from './guardyn/messaging/MessagingService.ts';
import type {
  ReceiveMessagesRequest as _guardyn_messaging_ReceiveMessagesRequest,
  ReceiveMessagesRequest__Output as _guardyn_messaging_ReceiveMessagesRequest__Output,
} from './guardyn/messaging/ReceiveMessagesRequest.ts';
import type {
  RemoveGroupMemberRequest as _guardyn_messaging_RemoveGroupMemberRequest,
  RemoveGroupMemberRequest__Output as _guardyn_messaging_RemoveGroupMemberRequest__Output,
} from './guardyn/messaging/RemoveGroupMemberRequest.ts';
import type {
  RemoveGroupMemberResponse as _guardyn_messaging_RemoveGroupMemberResponse,
  RemoveGroupMemberResponse__Output as _guardyn_messaging_RemoveGroupMemberResponse__Output,
} from './guardyn/messaging/RemoveGroupMemberResponse.ts';
import type {
  RemoveGroupMemberSuccess as _guardyn_messaging_RemoveGroupMemberSuccess,
  RemoveGroupMemberSuccess__Output as _guardyn_messaging_RemoveGroupMemberSuccess__Output,
} from './guardyn/messaging/RemoveGroupMemberSuccess.ts';
import type {
  SendGroupMessageRequest as _guardyn_messaging_SendGroupMessageRequest,
  SendGroupMessageRequest__Output as _guardyn_messaging_SendGroupMessageRequest__Output,
} from './guardyn/messaging/SendGroupMessageRequest.ts';
import type {
  SendGroupMessageResponse as _guardyn_messaging_SendGroupMessageResponse,
  SendGroupMessageResponse__Output as _guardyn_messaging_SendGroupMessageResponse__Output,
} from './guardyn/messaging/SendGroupMessageResponse.ts';
import type {
  SendGroupMessageSuccess as _guardyn_messaging_SendGroupMessageSuccess,
  SendGroupMessageSuccess__Output as _guardyn_messaging_SendGroupMessageSuccess__Output,
} from './guardyn/messaging/SendGroupMessageSuccess.ts';
import type {
  SendMessageRequest as _guardyn_messaging_SendMessageRequest,
  SendMessageRequest__Output as _guardyn_messaging_SendMessageRequest__Output,
} from './guardyn/messaging/SendMessageRequest.ts';
import type {
  SendMessageResponse as _guardyn_messaging_SendMessageResponse,
  SendMessageResponse__Output as _guardyn_messaging_SendMessageResponse__Output,
} from './guardyn/messaging/SendMessageResponse.ts';
import type {
  SendMessageSuccess as _guardyn_messaging_SendMessageSuccess,
  SendMessageSuccess__Output as _guardyn_messaging_SendMessageSuccess__Output,
} from './guardyn/messaging/SendMessageSuccess.ts';
import type {
  TypingIndicatorRequest as _guardyn_messaging_TypingIndicatorRequest,
  TypingIndicatorRequest__Output as _guardyn_messaging_TypingIndicatorRequest__Output,
} from './guardyn/messaging/TypingIndicatorRequest.ts';
import type {
  TypingIndicatorResponse as _guardyn_messaging_TypingIndicatorResponse,
  TypingIndicatorResponse__Output as _guardyn_messaging_TypingIndicatorResponse__Output,
} from './guardyn/messaging/TypingIndicatorResponse.ts';
import type {
  TypingIndicatorSuccess as _guardyn_messaging_TypingIndicatorSuccess,
  TypingIndicatorSuccess__Output as _guardyn_messaging_TypingIndicatorSuccess__Output,
} from './guardyn/messaging/TypingIndicatorSuccess.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  guardyn: {
    common: {
      ConsistencyToken: MessageTypeDefinition<
        _guardyn_common_ConsistencyToken,
        _guardyn_common_ConsistencyToken__Output
      >;
      DeviceId: MessageTypeDefinition<_guardyn_common_DeviceId, _guardyn_common_DeviceId__Output>;
      ErrorResponse: MessageTypeDefinition<_guardyn_common_ErrorResponse, _guardyn_common_ErrorResponse__Output>;
      HealthStatus: MessageTypeDefinition<_guardyn_common_HealthStatus, _guardyn_common_HealthStatus__Output>;
      KeyBundle: MessageTypeDefinition<_guardyn_common_KeyBundle, _guardyn_common_KeyBundle__Output>;
      PaginationRequest: MessageTypeDefinition<
        _guardyn_common_PaginationRequest,
        _guardyn_common_PaginationRequest__Output
      >;
      PaginationResponse: MessageTypeDefinition<
        _guardyn_common_PaginationResponse,
        _guardyn_common_PaginationResponse__Output
      >;
      Timestamp: MessageTypeDefinition<_guardyn_common_Timestamp, _guardyn_common_Timestamp__Output>;
      UserId: MessageTypeDefinition<_guardyn_common_UserId, _guardyn_common_UserId__Output>;
    };
    messaging: {
      AddGroupMemberRequest: MessageTypeDefinition<
        _guardyn_messaging_AddGroupMemberRequest,
        _guardyn_messaging_AddGroupMemberRequest__Output
      >;
      AddGroupMemberResponse: MessageTypeDefinition<
        _guardyn_messaging_AddGroupMemberResponse,
        _guardyn_messaging_AddGroupMemberResponse__Output
      >;
      AddGroupMemberSuccess: MessageTypeDefinition<
        _guardyn_messaging_AddGroupMemberSuccess,
        _guardyn_messaging_AddGroupMemberSuccess__Output
      >;
      ClearChatRequest: MessageTypeDefinition<
        _guardyn_messaging_ClearChatRequest,
        _guardyn_messaging_ClearChatRequest__Output
      >;
      ClearChatResponse: MessageTypeDefinition<
        _guardyn_messaging_ClearChatResponse,
        _guardyn_messaging_ClearChatResponse__Output
      >;
      ClearChatSuccess: MessageTypeDefinition<
        _guardyn_messaging_ClearChatSuccess,
        _guardyn_messaging_ClearChatSuccess__Output
      >;
      Conversation: MessageTypeDefinition<_guardyn_messaging_Conversation, _guardyn_messaging_Conversation__Output>;
      CreateGroupRequest: MessageTypeDefinition<
        _guardyn_messaging_CreateGroupRequest,
        _guardyn_messaging_CreateGroupRequest__Output
      >;
      CreateGroupResponse: MessageTypeDefinition<
        _guardyn_messaging_CreateGroupResponse,
        _guardyn_messaging_CreateGroupResponse__Output
      >;
      CreateGroupSuccess: MessageTypeDefinition<
        _guardyn_messaging_CreateGroupSuccess,
        _guardyn_messaging_CreateGroupSuccess__Output
      >;
      DeleteMessageRequest: MessageTypeDefinition<
        _guardyn_messaging_DeleteMessageRequest,
        _guardyn_messaging_DeleteMessageRequest__Output
      >;
      DeleteMessageResponse: MessageTypeDefinition<
        _guardyn_messaging_DeleteMessageResponse,
        _guardyn_messaging_DeleteMessageResponse__Output
      >;
      DeleteMessageSuccess: MessageTypeDefinition<
        _guardyn_messaging_DeleteMessageSuccess,
        _guardyn_messaging_DeleteMessageSuccess__Output
      >;
      DeliveryStatus: EnumTypeDefinition;
      GetConversationsRequest: MessageTypeDefinition<
        _guardyn_messaging_GetConversationsRequest,
        _guardyn_messaging_GetConversationsRequest__Output
      >;
      GetConversationsResponse: MessageTypeDefinition<
        _guardyn_messaging_GetConversationsResponse,
        _guardyn_messaging_GetConversationsResponse__Output
      >;
      GetConversationsSuccess: MessageTypeDefinition<
        _guardyn_messaging_GetConversationsSuccess,
        _guardyn_messaging_GetConversationsSuccess__Output
      >;
      GetGroupByIdRequest: MessageTypeDefinition<
        _guardyn_messaging_GetGroupByIdRequest,
        _guardyn_messaging_GetGroupByIdRequest__Output
      >;
      GetGroupByIdResponse: MessageTypeDefinition<
        _guardyn_messaging_GetGroupByIdResponse,
        _guardyn_messaging_GetGroupByIdResponse__Output
      >;
      GetGroupByIdSuccess: MessageTypeDefinition<
        _guardyn_messaging_GetGroupByIdSuccess,
        _guardyn_messaging_GetGroupByIdSuccess__Output
      >;
      GetGroupMessagesRequest: MessageTypeDefinition<
        _guardyn_messaging_GetGroupMessagesRequest,
        _guardyn_messaging_GetGroupMessagesRequest__Output
      >;
      GetGroupMessagesResponse: MessageTypeDefinition<
        _guardyn_messaging_GetGroupMessagesResponse,
        _guardyn_messaging_GetGroupMessagesResponse__Output
      >;
      GetGroupMessagesSuccess: MessageTypeDefinition<
        _guardyn_messaging_GetGroupMessagesSuccess,
        _guardyn_messaging_GetGroupMessagesSuccess__Output
      >;
      GetGroupsRequest: MessageTypeDefinition<
        _guardyn_messaging_GetGroupsRequest,
        _guardyn_messaging_GetGroupsRequest__Output
      >;
      GetGroupsResponse: MessageTypeDefinition<
        _guardyn_messaging_GetGroupsResponse,
        _guardyn_messaging_GetGroupsResponse__Output
      >;
      GetGroupsSuccess: MessageTypeDefinition<
        _guardyn_messaging_GetGroupsSuccess,
        _guardyn_messaging_GetGroupsSuccess__Output
      >;
      GetMessagesRequest: MessageTypeDefinition<
        _guardyn_messaging_GetMessagesRequest,
        _guardyn_messaging_GetMessagesRequest__Output
      >;
      GetMessagesResponse: MessageTypeDefinition<
        _guardyn_messaging_GetMessagesResponse,
        _guardyn_messaging_GetMessagesResponse__Output
      >;
      GetMessagesSuccess: MessageTypeDefinition<
        _guardyn_messaging_GetMessagesSuccess,
        _guardyn_messaging_GetMessagesSuccess__Output
      >;
      GroupInfo: MessageTypeDefinition<_guardyn_messaging_GroupInfo, _guardyn_messaging_GroupInfo__Output>;
      GroupMemberInfo: MessageTypeDefinition<
        _guardyn_messaging_GroupMemberInfo,
        _guardyn_messaging_GroupMemberInfo__Output
      >;
      GroupMessage: MessageTypeDefinition<_guardyn_messaging_GroupMessage, _guardyn_messaging_GroupMessage__Output>;
      HealthRequest: MessageTypeDefinition<_guardyn_messaging_HealthRequest, _guardyn_messaging_HealthRequest__Output>;
      LeaveGroupRequest: MessageTypeDefinition<
        _guardyn_messaging_LeaveGroupRequest,
        _guardyn_messaging_LeaveGroupRequest__Output
      >;
      LeaveGroupResponse: MessageTypeDefinition<
        _guardyn_messaging_LeaveGroupResponse,
        _guardyn_messaging_LeaveGroupResponse__Output
      >;
      LeaveGroupSuccess: MessageTypeDefinition<
        _guardyn_messaging_LeaveGroupSuccess,
        _guardyn_messaging_LeaveGroupSuccess__Output
      >;
      MarkAsReadRequest: MessageTypeDefinition<
        _guardyn_messaging_MarkAsReadRequest,
        _guardyn_messaging_MarkAsReadRequest__Output
      >;
      MarkAsReadResponse: MessageTypeDefinition<
        _guardyn_messaging_MarkAsReadResponse,
        _guardyn_messaging_MarkAsReadResponse__Output
      >;
      MarkAsReadSuccess: MessageTypeDefinition<
        _guardyn_messaging_MarkAsReadSuccess,
        _guardyn_messaging_MarkAsReadSuccess__Output
      >;
      Message: MessageTypeDefinition<_guardyn_messaging_Message, _guardyn_messaging_Message__Output>;
      MessageType: EnumTypeDefinition;
      MessagingService: SubtypeConstructor<typeof grpc.Client, _guardyn_messaging_MessagingServiceClient> & {
        service: _guardyn_messaging_MessagingServiceDefinition;
      };
      ReceiveMessagesRequest: MessageTypeDefinition<
        _guardyn_messaging_ReceiveMessagesRequest,
        _guardyn_messaging_ReceiveMessagesRequest__Output
      >;
      RemoveGroupMemberRequest: MessageTypeDefinition<
        _guardyn_messaging_RemoveGroupMemberRequest,
        _guardyn_messaging_RemoveGroupMemberRequest__Output
      >;
      RemoveGroupMemberResponse: MessageTypeDefinition<
        _guardyn_messaging_RemoveGroupMemberResponse,
        _guardyn_messaging_RemoveGroupMemberResponse__Output
      >;
      RemoveGroupMemberSuccess: MessageTypeDefinition<
        _guardyn_messaging_RemoveGroupMemberSuccess,
        _guardyn_messaging_RemoveGroupMemberSuccess__Output
      >;
      SendGroupMessageRequest: MessageTypeDefinition<
        _guardyn_messaging_SendGroupMessageRequest,
        _guardyn_messaging_SendGroupMessageRequest__Output
      >;
      SendGroupMessageResponse: MessageTypeDefinition<
        _guardyn_messaging_SendGroupMessageResponse,
        _guardyn_messaging_SendGroupMessageResponse__Output
      >;
      SendGroupMessageSuccess: MessageTypeDefinition<
        _guardyn_messaging_SendGroupMessageSuccess,
        _guardyn_messaging_SendGroupMessageSuccess__Output
      >;
      SendMessageRequest: MessageTypeDefinition<
        _guardyn_messaging_SendMessageRequest,
        _guardyn_messaging_SendMessageRequest__Output
      >;
      SendMessageResponse: MessageTypeDefinition<
        _guardyn_messaging_SendMessageResponse,
        _guardyn_messaging_SendMessageResponse__Output
      >;
      SendMessageSuccess: MessageTypeDefinition<
        _guardyn_messaging_SendMessageSuccess,
        _guardyn_messaging_SendMessageSuccess__Output
      >;
      TypingIndicatorRequest: MessageTypeDefinition<
        _guardyn_messaging_TypingIndicatorRequest,
        _guardyn_messaging_TypingIndicatorRequest__Output
      >;
      TypingIndicatorResponse: MessageTypeDefinition<
        _guardyn_messaging_TypingIndicatorResponse,
        _guardyn_messaging_TypingIndicatorResponse__Output
      >;
      TypingIndicatorSuccess: MessageTypeDefinition<
        _guardyn_messaging_TypingIndicatorSuccess,
        _guardyn_messaging_TypingIndicatorSuccess__Output
      >;
    };
  };
}
