// Original file: proto/guardyn/presence.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  GetBulkStatusRequest as _guardyn_presence_GetBulkStatusRequest,
  GetBulkStatusRequest__Output as _guardyn_presence_GetBulkStatusRequest__Output,
} from '../../guardyn/presence/GetBulkStatusRequest.ts';
import type {
  GetBulkStatusResponse as _guardyn_presence_GetBulkStatusResponse,
  GetBulkStatusResponse__Output as _guardyn_presence_GetBulkStatusResponse__Output,
} from '../../guardyn/presence/GetBulkStatusResponse.ts';
import type {
  GetStatusRequest as _guardyn_presence_GetStatusRequest,
  GetStatusRequest__Output as _guardyn_presence_GetStatusRequest__Output,
} from '../../guardyn/presence/GetStatusRequest.ts';
import type {
  GetStatusResponse as _guardyn_presence_GetStatusResponse,
  GetStatusResponse__Output as _guardyn_presence_GetStatusResponse__Output,
} from '../../guardyn/presence/GetStatusResponse.ts';
import type {
  HealthRequest as _guardyn_presence_HealthRequest,
  HealthRequest__Output as _guardyn_presence_HealthRequest__Output,
} from '../../guardyn/presence/HealthRequest.ts';
import type {
  HealthStatus as _guardyn_common_HealthStatus,
  HealthStatus__Output as _guardyn_common_HealthStatus__Output,
} from '../../guardyn/common/HealthStatus.ts';
import type {
  PresenceUpdate as _guardyn_presence_PresenceUpdate,
  PresenceUpdate__Output as _guardyn_presence_PresenceUpdate__Output,
} from '../../guardyn/presence/PresenceUpdate.ts';
import type {
  SetTypingRequest as _guardyn_presence_SetTypingRequest,
  SetTypingRequest__Output as _guardyn_presence_SetTypingRequest__Output,
} from '../../guardyn/presence/SetTypingRequest.ts';
import type {
  SetTypingResponse as _guardyn_presence_SetTypingResponse,
  SetTypingResponse__Output as _guardyn_presence_SetTypingResponse__Output,
} from '../../guardyn/presence/SetTypingResponse.ts';
import type {
  SubscribeRequest as _guardyn_presence_SubscribeRequest,
  SubscribeRequest__Output as _guardyn_presence_SubscribeRequest__Output,
} from '../../guardyn/presence/SubscribeRequest.ts';
import type {
  UpdateLastSeenRequest as _guardyn_presence_UpdateLastSeenRequest,
  UpdateLastSeenRequest__Output as _guardyn_presence_UpdateLastSeenRequest__Output,
} from '../../guardyn/presence/UpdateLastSeenRequest.ts';
import type {
  UpdateLastSeenResponse as _guardyn_presence_UpdateLastSeenResponse,
  UpdateLastSeenResponse__Output as _guardyn_presence_UpdateLastSeenResponse__Output,
} from '../../guardyn/presence/UpdateLastSeenResponse.ts';
import type {
  UpdateStatusRequest as _guardyn_presence_UpdateStatusRequest,
  UpdateStatusRequest__Output as _guardyn_presence_UpdateStatusRequest__Output,
} from '../../guardyn/presence/UpdateStatusRequest.ts';
import type {
  UpdateStatusResponse as _guardyn_presence_UpdateStatusResponse,
  UpdateStatusResponse__Output as _guardyn_presence_UpdateStatusResponse__Output,
} from '../../guardyn/presence/UpdateStatusResponse.ts';

export interface PresenceServiceClient extends grpc.Client {
  GetBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getBulkStatus(
    argument: _guardyn_presence_GetBulkStatusRequest,
    callback: grpc.requestCallback<_guardyn_presence_GetBulkStatusResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetStatus(
    argument: _guardyn_presence_GetStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetStatus(
    argument: _guardyn_presence_GetStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetStatus(
    argument: _guardyn_presence_GetStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetStatus(
    argument: _guardyn_presence_GetStatusRequest,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getStatus(
    argument: _guardyn_presence_GetStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getStatus(
    argument: _guardyn_presence_GetStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getStatus(
    argument: _guardyn_presence_GetStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  getStatus(
    argument: _guardyn_presence_GetStatusRequest,
    callback: grpc.requestCallback<_guardyn_presence_GetStatusResponse__Output>,
  ): grpc.ClientUnaryCall;

  Health(
    argument: _guardyn_presence_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_presence_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_presence_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_presence_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_presence_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_presence_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_presence_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_presence_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;

  SetTyping(
    argument: _guardyn_presence_SetTypingRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;
  SetTyping(
    argument: _guardyn_presence_SetTypingRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;
  SetTyping(
    argument: _guardyn_presence_SetTypingRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;
  SetTyping(
    argument: _guardyn_presence_SetTypingRequest,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;
  setTyping(
    argument: _guardyn_presence_SetTypingRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;
  setTyping(
    argument: _guardyn_presence_SetTypingRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;
  setTyping(
    argument: _guardyn_presence_SetTypingRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;
  setTyping(
    argument: _guardyn_presence_SetTypingRequest,
    callback: grpc.requestCallback<_guardyn_presence_SetTypingResponse__Output>,
  ): grpc.ClientUnaryCall;

  Subscribe(
    argument: _guardyn_presence_SubscribeRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_presence_PresenceUpdate__Output>;
  Subscribe(
    argument: _guardyn_presence_SubscribeRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_presence_PresenceUpdate__Output>;
  subscribe(
    argument: _guardyn_presence_SubscribeRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_presence_PresenceUpdate__Output>;
  subscribe(
    argument: _guardyn_presence_SubscribeRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_presence_PresenceUpdate__Output>;

  UpdateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;
  UpdateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;
  UpdateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;
  UpdateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateLastSeen(
    argument: _guardyn_presence_UpdateLastSeenRequest,
    callback: grpc.requestCallback<_guardyn_presence_UpdateLastSeenResponse__Output>,
  ): grpc.ClientUnaryCall;

  UpdateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  UpdateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  UpdateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  UpdateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
  updateStatus(
    argument: _guardyn_presence_UpdateStatusRequest,
    callback: grpc.requestCallback<_guardyn_presence_UpdateStatusResponse__Output>,
  ): grpc.ClientUnaryCall;
}

export interface PresenceServiceHandlers extends grpc.UntypedServiceImplementation {
  GetBulkStatus: grpc.handleUnaryCall<
    _guardyn_presence_GetBulkStatusRequest__Output,
    _guardyn_presence_GetBulkStatusResponse
  >;

  GetStatus: grpc.handleUnaryCall<_guardyn_presence_GetStatusRequest__Output, _guardyn_presence_GetStatusResponse>;

  Health: grpc.handleUnaryCall<_guardyn_presence_HealthRequest__Output, _guardyn_common_HealthStatus>;

  SetTyping: grpc.handleUnaryCall<_guardyn_presence_SetTypingRequest__Output, _guardyn_presence_SetTypingResponse>;

  Subscribe: grpc.handleServerStreamingCall<
    _guardyn_presence_SubscribeRequest__Output,
    _guardyn_presence_PresenceUpdate
  >;

  UpdateLastSeen: grpc.handleUnaryCall<
    _guardyn_presence_UpdateLastSeenRequest__Output,
    _guardyn_presence_UpdateLastSeenResponse
  >;

  UpdateStatus: grpc.handleUnaryCall<
    _guardyn_presence_UpdateStatusRequest__Output,
    _guardyn_presence_UpdateStatusResponse
  >;
}

export interface PresenceServiceDefinition extends grpc.ServiceDefinition {
  GetBulkStatus: MethodDefinition<
    _guardyn_presence_GetBulkStatusRequest,
    _guardyn_presence_GetBulkStatusResponse,
    _guardyn_presence_GetBulkStatusRequest__Output,
    _guardyn_presence_GetBulkStatusResponse__Output
  >;
  GetStatus: MethodDefinition<
    _guardyn_presence_GetStatusRequest,
    _guardyn_presence_GetStatusResponse,
    _guardyn_presence_GetStatusRequest__Output,
    _guardyn_presence_GetStatusResponse__Output
  >;
  Health: MethodDefinition<
    _guardyn_presence_HealthRequest,
    _guardyn_common_HealthStatus,
    _guardyn_presence_HealthRequest__Output,
    _guardyn_common_HealthStatus__Output
  >;
  SetTyping: MethodDefinition<
    _guardyn_presence_SetTypingRequest,
    _guardyn_presence_SetTypingResponse,
    _guardyn_presence_SetTypingRequest__Output,
    _guardyn_presence_SetTypingResponse__Output
  >;
  Subscribe: MethodDefinition<
    _guardyn_presence_SubscribeRequest,
    _guardyn_presence_PresenceUpdate,
    _guardyn_presence_SubscribeRequest__Output,
    _guardyn_presence_PresenceUpdate__Output
  >;
  UpdateLastSeen: MethodDefinition<
    _guardyn_presence_UpdateLastSeenRequest,
    _guardyn_presence_UpdateLastSeenResponse,
    _guardyn_presence_UpdateLastSeenRequest__Output,
    _guardyn_presence_UpdateLastSeenResponse__Output
  >;
  UpdateStatus: MethodDefinition<
    _guardyn_presence_UpdateStatusRequest,
    _guardyn_presence_UpdateStatusResponse,
    _guardyn_presence_UpdateStatusRequest__Output,
    _guardyn_presence_UpdateStatusResponse__Output
  >;
}
