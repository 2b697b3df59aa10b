// Original file: proto/guardyn/messaging.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  AddGroupMemberRequest as _guardyn_messaging_AddGroupMemberRequest,
  AddGroupMemberRequest__Output as _guardyn_messaging_AddGroupMemberRequest__Output,
} from '../../guardyn/messaging/AddGroupMemberRequest.ts';
import type {
  AddGroupMemberResponse as _guardyn_messaging_AddGroupMemberResponse,
  AddGroupMemberResponse__Output as _guardyn_messaging_AddGroupMemberResponse__Output,
} from '../../guardyn/messaging/AddGroupMemberResponse.ts';
import type {
  ClearChatRequest as _guardyn_messaging_ClearChatRequest,
  ClearChatRequest__Output as _guardyn_messaging_ClearChatRequest__Output,
} from '../../guardyn/messaging/ClearChatRequest.ts';
import type {
  ClearChatResponse as _guardyn_messaging_ClearChatResponse,
  ClearChatResponse__Output as _guardyn_messaging_ClearChatResponse__Output,
} from '../../guardyn/messaging/ClearChatResponse.ts';
import type {
  CreateGroupRequest as _guardyn_messaging_CreateGroupRequest,
  CreateGroupRequest__Output as _guardyn_messaging_CreateGroupRequest__Output,
} from '../../guardyn/messaging/CreateGroupRequest.ts';
import type {
  CreateGroupResponse as _guardyn_messaging_CreateGroupResponse,
  CreateGroupResponse__Output as _guardyn_messaging_CreateGroupResponse__Output,
} from '../../guardyn/messaging/CreateGroupResponse.ts';
import type {
  DeleteMessageRequest as _guardyn_messaging_DeleteMessageRequest,
  DeleteMessageRequest__Output as _guardyn_messaging_DeleteMessageRequest__Output,
} from '../../guardyn/messaging/DeleteMessageRequest.ts';
import type {
  DeleteMessageResponse as _guardyn_messaging_DeleteMessageResponse,
  DeleteMessageResponse__Output as _guardyn_messaging_DeleteMessageResponse__Output,
} from '../../guardyn/messaging/DeleteMessageResponse.ts';
import type {
  GetConversationsRequest as _guardyn_messaging_GetConversationsRequest,
  GetConversationsRequest__Output as _guardyn_messaging_GetConversationsRequest__Output,
} from '../../guardyn/messaging/GetConversationsRequest.ts';
import type {
  GetConversationsResponse as _guardyn_messaging_GetConversationsResponse,
  GetConversationsResponse__Output as _guardyn_messaging_GetConversationsResponse__Output,
} from '../../guardyn/messaging/GetConversationsResponse.ts';
import type {
  GetGroupByIdRequest as _guardyn_messaging_GetGroupByIdRequest,
  GetGroupByIdRequest__Output as _guardyn_messaging_GetGroupByIdRequest__Output,
} from '../../guardyn/messaging/GetGroupByIdRequest.ts';
import type {
  GetGroupByIdResponse as _guardyn_messaging_GetGroupByIdResponse,
  GetGroupByIdResponse__Output as _guardyn_messaging_GetGroupByIdResponse__Output,
} from '../../guardyn/messaging/GetGroupByIdResponse.ts';
import type {
  GetGroupMessagesRequest as _guardyn_messaging_GetGroupMessagesRequest,
  GetGroupMessagesRequest__Output as _guardyn_messaging_GetGroupMessagesRequest__Output,
} from '../../guardyn/messaging/GetGroupMessagesRequest.ts';
import type {
  GetGroupMessagesResponse as _guardyn_messaging_GetGroupMessagesResponse,
  GetGroupMessagesResponse__Output as _guardyn_messaging_GetGroupMessagesResponse__Output,
} from '../../guardyn/messaging/GetGroupMessagesResponse.ts';
import type {
  GetGroupsRequest as _guardyn_messaging_GetGroupsRequest,
  GetGroupsRequest__Output as _guardyn_messaging_GetGroupsRequest__Output,
} from '../../guardyn/messaging/GetGroupsRequest.ts';
import type {
  GetGroupsResponse as _guardyn_messaging_GetGroupsResponse,
  GetGroupsResponse__Output as _guardyn_messaging_GetGroupsResponse__Output,
} from '../../guardyn/messaging/GetGroupsResponse.ts';
import type {
  GetMessagesRequest as _guardyn_messaging_GetMessagesRequest,
  GetMessagesRequest__Output as _guardyn_messaging_GetMessagesRequest__Output,
} from '../../guardyn/messaging/GetMessagesRequest.ts';
import type {
  GetMessagesResponse as _guardyn_messaging_GetMessagesResponse,
  GetMessagesResponse__Output as _guardyn_messaging_GetMessagesResponse__Output,
} from '../../guardyn/messaging/GetMessagesResponse.ts';
import type {
  HealthRequest as _guardyn_messaging_HealthRequest,
  HealthRequest__Output as _guardyn_messaging_HealthRequest__Output,
} from '../../guardyn/messaging/HealthRequest.ts';
import type {
  HealthStatus as _guardyn_common_HealthStatus,
  HealthStatus__Output as _guardyn_common_HealthStatus__Output,
} from '../../guardyn/common/HealthStatus.ts';
import type {
  LeaveGroupRequest as _guardyn_messaging_LeaveGroupRequest,
  LeaveGroupRequest__Output as _guardyn_messaging_LeaveGroupRequest__Output,
} from '../../guardyn/messaging/LeaveGroupRequest.ts';
import type {
  LeaveGroupResponse as _guardyn_messaging_LeaveGroupResponse,
  LeaveGroupResponse__Output as _guardyn_messaging_LeaveGroupResponse__Output,
} from '../../guardyn/messaging/LeaveGroupResponse.ts';
import type {
  MarkAsReadRequest as _guardyn_messaging_MarkAsReadRequest,
  MarkAsReadRequest__Output as _guardyn_messaging_MarkAsReadRequest__Output,
} from '../../guardyn/messaging/MarkAsReadRequest.ts';
import type {
  MarkAsReadResponse as _guardyn_messaging_MarkAsReadResponse,
  MarkAsReadResponse__Output as _guardyn_messaging_MarkAsReadResponse__Output,
} from '../../guardyn/messaging/MarkAsReadResponse.ts';
import type {
  Message as _guardyn_messaging_Message,
  Message__Output as _guardyn_messaging_Message__Output,
} from '../../guardyn/messaging/Message.ts';
import type {
  ReceiveMessagesRequest as _guardyn_messaging_ReceiveMessagesRequest,
  ReceiveMessagesRequest__Output as _guardyn_messaging_ReceiveMessagesRequest__Output,
} from '../../guardyn/messaging/ReceiveMessagesRequest.ts';
import type {
  RemoveGroupMemberRequest as _guardyn_messaging_RemoveGroupMemberRequest,
  RemoveGroupMemberRequest__Output as _guardyn_messaging_RemoveGroupMemberRequest__Output,
} from '../../guardyn/messaging/RemoveGroupMemberRequest.ts';
import type {
  RemoveGroupMemberResponse as _guardyn_messaging_RemoveGroupMemberResponse,
  RemoveGroupMemberResponse__Output as _guardyn_messaging_RemoveGroupMemberResponse__Output,
} from '../../guardyn/messaging/RemoveGroupMemberResponse.ts';
import type {
  SendGroupMessageRequest as _guardyn_messaging_SendGroupMessageRequest,
  SendGroupMessageRequest__Output as _guardyn_messaging_SendGroupMessageRequest__Output,
} from '../../guardyn/messaging/SendGroupMessageRequest.ts';
import type {
  SendGroupMessageResponse as _guardyn_messaging_SendGroupMessageResponse,
  SendGroupMessageResponse__Output as _guardyn_messaging_SendGroupMessageResponse__Output,
} from '../../guardyn/messaging/SendGroupMessageResponse.ts';
import type {
  SendMessageRequest as _guardyn_messaging_SendMessageRequest,
  SendMessageRequest__Output as _guardyn_messaging_SendMessageRequest__Output,
} from '../../guardyn/messaging/SendMessageRequest.ts';
import type {
  SendMessageResponse as _guardyn_messaging_SendMessageResponse,
  SendMessageResponse__Output as _guardyn_messaging_SendMessageResponse__Output,
} from '../../guardyn/messaging/SendMessageResponse.ts';
import type {
  TypingIndicatorRequest as _guardyn_messaging_TypingIndicatorRequest,
  TypingIndicatorRequest__Output as _guardyn_messaging_TypingIndicatorRequest__Output,
} from '../../guardyn/messaging/TypingIndicatorRequest.ts';
import type {
  TypingIndicatorResponse as _guardyn_messaging_TypingIndicatorResponse,
  TypingIndicatorResponse__Output as _guardyn_messaging_TypingIndicatorResponse__Output,
} from '../../guardyn/messaging/TypingIndicatorResponse.ts';

export interface MessagingServiceClient extends grpc.Client {
  AddGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  AddGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  AddGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  AddGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  addGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  addGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  addGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  addGroupMember(
    argument: _guardyn_messaging_AddGroupMemberRequest,
    callback: grpc.requestCallback<_guardyn_messaging_AddGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;

  ClearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;
  ClearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;
  ClearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;
  ClearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;
  clearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;
  clearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;
  clearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;
  clearChat(
    argument: _guardyn_messaging_ClearChatRequest,
    callback: grpc.requestCallback<_guardyn_messaging_ClearChatResponse__Output>,
  ): grpc.ClientUnaryCall;

  CreateGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  CreateGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  CreateGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  CreateGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  createGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  createGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  createGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  createGroup(
    argument: _guardyn_messaging_CreateGroupRequest,
    callback: grpc.requestCallback<_guardyn_messaging_CreateGroupResponse__Output>,
  ): grpc.ClientUnaryCall;

  DeleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  DeleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  deleteMessage(
    argument: _guardyn_messaging_DeleteMessageRequest,
    callback: grpc.requestCallback<_guardyn_messaging_DeleteMessageResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getConversations(
    argument: _guardyn_messaging_GetConversationsRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetConversationsResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupById(
    argument: _guardyn_messaging_GetGroupByIdRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupByIdResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroupMessages(
    argument: _guardyn_messaging_GetGroupMessagesRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getGroups(
    argument: _guardyn_messaging_GetGroupsRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetGroupsResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;
  getMessages(
    argument: _guardyn_messaging_GetMessagesRequest,
    callback: grpc.requestCallback<_guardyn_messaging_GetMessagesResponse__Output>,
  ): grpc.ClientUnaryCall;

  Health(
    argument: _guardyn_messaging_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_messaging_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_messaging_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_messaging_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_messaging_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_messaging_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_messaging_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_messaging_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;

  LeaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  LeaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  LeaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  LeaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;
  leaveGroup(
    argument: _guardyn_messaging_LeaveGroupRequest,
    callback: grpc.requestCallback<_guardyn_messaging_LeaveGroupResponse__Output>,
  ): grpc.ClientUnaryCall;

  MarkAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;
  MarkAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;
  MarkAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;
  MarkAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;
  markAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;
  markAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;
  markAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;
  markAsRead(
    argument: _guardyn_messaging_MarkAsReadRequest,
    callback: grpc.requestCallback<_guardyn_messaging_MarkAsReadResponse__Output>,
  ): grpc.ClientUnaryCall;

  ReceiveMessages(
    argument: _guardyn_messaging_ReceiveMessagesRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_messaging_Message__Output>;
  ReceiveMessages(
    argument: _guardyn_messaging_ReceiveMessagesRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_messaging_Message__Output>;
  receiveMessages(
    argument: _guardyn_messaging_ReceiveMessagesRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_messaging_Message__Output>;
  receiveMessages(
    argument: _guardyn_messaging_ReceiveMessagesRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_messaging_Message__Output>;

  RemoveGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  RemoveGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  RemoveGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  RemoveGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  removeGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  removeGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  removeGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;
  removeGroupMember(
    argument: _guardyn_messaging_RemoveGroupMemberRequest,
    callback: grpc.requestCallback<_guardyn_messaging_RemoveGroupMemberResponse__Output>,
  ): grpc.ClientUnaryCall;

  SendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendGroupMessage(
    argument: _guardyn_messaging_SendGroupMessageRequest,
    callback: grpc.requestCallback<_guardyn_messaging_SendGroupMessageResponse__Output>,
  ): grpc.ClientUnaryCall;

  SendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendMessage(
    argument: _guardyn_messaging_SendMessageRequest,
    callback: grpc.requestCallback<_guardyn_messaging_SendMessageResponse__Output>,
  ): grpc.ClientUnaryCall;

  SendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendTypingIndicator(
    argument: _guardyn_messaging_TypingIndicatorRequest,
    callback: grpc.requestCallback<_guardyn_messaging_TypingIndicatorResponse__Output>,
  ): grpc.ClientUnaryCall;
}

export interface MessagingServiceHandlers extends grpc.UntypedServiceImplementation {
  AddGroupMember: grpc.handleUnaryCall<
    _guardyn_messaging_AddGroupMemberRequest__Output,
    _guardyn_messaging_AddGroupMemberResponse
  >;

  ClearChat: grpc.handleUnaryCall<_guardyn_messaging_ClearChatRequest__Output, _guardyn_messaging_ClearChatResponse>;

  CreateGroup: grpc.handleUnaryCall<
    _guardyn_messaging_CreateGroupRequest__Output,
    _guardyn_messaging_CreateGroupResponse
  >;

  DeleteMessage: grpc.handleUnaryCall<
    _guardyn_messaging_DeleteMessageRequest__Output,
    _guardyn_messaging_DeleteMessageResponse
  >;

  GetConversations: grpc.handleUnaryCall<
    _guardyn_messaging_GetConversationsRequest__Output,
    _guardyn_messaging_GetConversationsResponse
  >;

  GetGroupById: grpc.handleUnaryCall<
    _guardyn_messaging_GetGroupByIdRequest__Output,
    _guardyn_messaging_GetGroupByIdResponse
  >;

  GetGroupMessages: grpc.handleUnaryCall<
    _guardyn_messaging_GetGroupMessagesRequest__Output,
    _guardyn_messaging_GetGroupMessagesResponse
  >;

  GetGroups: grpc.handleUnaryCall<_guardyn_messaging_GetGroupsRequest__Output, _guardyn_messaging_GetGroupsResponse>;

  GetMessages: grpc.handleUnaryCall<
    _guardyn_messaging_GetMessagesRequest__Output,
    _guardyn_messaging_GetMessagesResponse
  >;

  Health: grpc.handleUnaryCall<_guardyn_messaging_HealthRequest__Output, _guardyn_common_HealthStatus>;

  LeaveGroup: grpc.handleUnaryCall<_guardyn_messaging_LeaveGroupRequest__Output, _guardyn_messaging_LeaveGroupResponse>;

  MarkAsRead: grpc.handleUnaryCall<_guardyn_messaging_MarkAsReadRequest__Output, _guardyn_messaging_MarkAsReadResponse>;

  ReceiveMessages: grpc.handleServerStreamingCall<
    _guardyn_messaging_ReceiveMessagesRequest__Output,
    _guardyn_messaging_Message
  >;

  RemoveGroupMember: grpc.handleUnaryCall<
    _guardyn_messaging_RemoveGroupMemberRequest__Output,
    _guardyn_messaging_RemoveGroupMemberResponse
  >;

  SendGroupMessage: grpc.handleUnaryCall<
    _guardyn_messaging_SendGroupMessageRequest__Output,
    _guardyn_messaging_SendGroupMessageResponse
  >;

  SendMessage: grpc.handleUnaryCall<
    _guardyn_messaging_SendMessageRequest__Output,
    _guardyn_messaging_SendMessageResponse
  >;

  SendTypingIndicator: grpc.handleUnaryCall<
    _guardyn_messaging_TypingIndicatorRequest__Output,
    _guardyn_messaging_TypingIndicatorResponse
  >;
}

export interface MessagingServiceDefinition extends grpc.ServiceDefinition {
  AddGroupMember: MethodDefinition<
    _guardyn_messaging_AddGroupMemberRequest,
    _guardyn_messaging_AddGroupMemberResponse,
    _guardyn_messaging_AddGroupMemberRequest__Output,
    _guardyn_messaging_AddGroupMemberResponse__Output
  >;
  ClearChat: MethodDefinition<
    _guardyn_messaging_ClearChatRequest,
    _guardyn_messaging_ClearChatResponse,
    _guardyn_messaging_ClearChatRequest__Output,
    _guardyn_messaging_ClearChatResponse__Output
  >;
  CreateGroup: MethodDefinition<
    _guardyn_messaging_CreateGroupRequest,
    _guardyn_messaging_CreateGroupResponse,
    _guardyn_messaging_CreateGroupRequest__Output,
    _guardyn_messaging_CreateGroupResponse__Output
  >;
  DeleteMessage: MethodDefinition<
    _guardyn_messaging_DeleteMessageRequest,
    _guardyn_messaging_DeleteMessageResponse,
    _guardyn_messaging_DeleteMessageRequest__Output,
    _guardyn_messaging_DeleteMessageResponse__Output
  >;
  GetConversations: MethodDefinition<
    _guardyn_messaging_GetConversationsRequest,
    _guardyn_messaging_GetConversationsResponse,
    _guardyn_messaging_GetConversationsRequest__Output,
    _guardyn_messaging_GetConversationsResponse__Output
  >;
  GetGroupById: MethodDefinition<
    _guardyn_messaging_GetGroupByIdRequest,
    _guardyn_messaging_GetGroupByIdResponse,
    _guardyn_messaging_GetGroupByIdRequest__Output,
    _guardyn_messaging_GetGroupByIdResponse__Output
  >;
  GetGroupMessages: MethodDefinition<
    _guardyn_messaging_GetGroupMessagesRequest,
    _guardyn_messaging_GetGroupMessagesResponse,
    _guardyn_messaging_GetGroupMessagesRequest__Output,
    _guardyn_messaging_GetGroupMessagesResponse__Output
  >;
  GetGroups: MethodDefinition<
    _guardyn_messaging_GetGroupsRequest,
    _guardyn_messaging_GetGroupsResponse,
    _guardyn_messaging_GetGroupsRequest__Output,
    _guardyn_messaging_GetGroupsResponse__Output
  >;
  GetMessages: MethodDefinition<
    _guardyn_messaging_GetMessagesRequest,
    _guardyn_messaging_GetMessagesResponse,
    _guardyn_messaging_GetMessagesRequest__Output,
    _guardyn_messaging_GetMessagesResponse__Output
  >;
  Health: MethodDefinition<
    _guardyn_messaging_HealthRequest,
    _guardyn_common_HealthStatus,
    _guardyn_messaging_HealthRequest__Output,
    _guardyn_common_HealthStatus__Output
  >;
  LeaveGroup: MethodDefinition<
    _guardyn_messaging_LeaveGroupRequest,
    _guardyn_messaging_LeaveGroupResponse,
    _guardyn_messaging_LeaveGroupRequest__Output,
    _guardyn_messaging_LeaveGroupResponse__Output
  >;
  MarkAsRead: MethodDefinition<
    _guardyn_messaging_MarkAsReadRequest,
    _guardyn_messaging_MarkAsReadResponse,
    _guardyn_messaging_MarkAsReadRequest__Output,
    _guardyn_messaging_MarkAsReadResponse__Output
  >;
  ReceiveMessages: MethodDefinition<
    _guardyn_messaging_ReceiveMessagesRequest,
    _guardyn_messaging_Message,
    _guardyn_messaging_ReceiveMessagesRequest__Output,
    _guardyn_messaging_Message__Output
  >;
  RemoveGroupMember: MethodDefinition<
    _guardyn_messaging_RemoveGroupMemberRequest,
    _guardyn_messaging_RemoveGroupMemberResponse,
    _guardyn_messaging_RemoveGroupMemberRequest__Output,
    _guardyn_messaging_RemoveGroupMemberResponse__Output
  >;
  SendGroupMessage: MethodDefinition<
    _guardyn_messaging_SendGroupMessageRequest,
    _guardyn_messaging_SendGroupMessageResponse,
    _guardyn_messaging_SendGroupMessageRequest__Output,
    _guardyn_messaging_SendGroupMessageResponse__Output
  >;
  SendMessage: MethodDefinition<
    _guardyn_messaging_SendMessageRequest,
    _guardyn_messaging_SendMessageResponse,
    _guardyn_messaging_SendMessageRequest__Output,
    _guardyn_messaging_SendMessageResponse__Output
  >;
  SendTypingIndicator: MethodDefinition<
    _guardyn_messaging_TypingIndicatorRequest,
    _guardyn_messaging_TypingIndicatorResponse,
    _guardyn_messaging_TypingIndicatorRequest__Output,
    _guardyn_messaging_TypingIndicatorResponse__Output
  >;
}
