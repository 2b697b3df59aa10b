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
  GetBulkStatusRequest as _guardyn_presence_GetBulkStatusRequest,
  GetBulkStatusRequest__Output as _guardyn_presence_GetBulkStatusRequest__Output,
} from './guardyn/presence/GetBulkStatusRequest.ts';
import type {
  GetBulkStatusResponse as _guardyn_presence_GetBulkStatusResponse,
  GetBulkStatusResponse__Output as _guardyn_presence_GetBulkStatusResponse__Output,
} from './guardyn/presence/GetBulkStatusResponse.ts';
import type {
  GetBulkStatusSuccess as _guardyn_presence_GetBulkStatusSuccess,
  GetBulkStatusSuccess__Output as _guardyn_presence_GetBulkStatusSuccess__Output,
} from './guardyn/presence/GetBulkStatusSuccess.ts';
import type {
  GetStatusRequest as _guardyn_presence_GetStatusRequest,
  GetStatusRequest__Output as _guardyn_presence_GetStatusRequest__Output,
} from './guardyn/presence/GetStatusRequest.ts';
import type {
  GetStatusResponse as _guardyn_presence_GetStatusResponse,
  GetStatusResponse__Output as _guardyn_presence_GetStatusResponse__Output,
} from './guardyn/presence/GetStatusResponse.ts';
import type {
  GetStatusSuccess as _guardyn_presence_GetStatusSuccess,
  GetStatusSuccess__Output as _guardyn_presence_GetStatusSuccess__Output,
} from './guardyn/presence/GetStatusSuccess.ts';
import type {
  HealthRequest as _guardyn_presence_HealthRequest,
  HealthRequest__Output as _guardyn_presence_HealthRequest__Output,
} from './guardyn/presence/HealthRequest.ts';
import type {
  PresenceServiceClient as _guardyn_presence_PresenceServiceClient,
  PresenceServiceDefinition as _guardyn_presence_PresenceServiceDefinition,
} from './guardyn/presence/PresenceService.ts';
import type {
  PresenceUpdate as _guardyn_presence_PresenceUpdate,
  PresenceUpdate__Output as _guardyn_presence_PresenceUpdate__Output,
} from './guardyn/presence/PresenceUpdate.ts';
import type {
  SetTypingRequest as _guardyn_presence_SetTypingRequest,
  SetTypingRequest__Output as _guardyn_presence_SetTypingRequest__Output,
} from './guardyn/presence/SetTypingRequest.ts';
import type {
  SetTypingResponse as _guardyn_presence_SetTypingResponse,
  SetTypingResponse__Output as _guardyn_presence_SetTypingResponse__Output,
} from './guardyn/presence/SetTypingResponse.ts';
import type {
  SetTypingSuccess as _guardyn_presence_SetTypingSuccess,
  SetTypingSuccess__Output as _guardyn_presence_SetTypingSuccess__Output,
} from './guardyn/presence/SetTypingSuccess.ts';
import type {
  SubscribeRequest as _guardyn_presence_SubscribeRequest,
  SubscribeRequest__Output as _guardyn_presence_SubscribeRequest__Output,
} from './guardyn/presence/SubscribeRequest.ts';
import type {
  UpdateLastSeenRequest as _guardyn_presence_UpdateLastSeenRequest,
  UpdateLastSeenRequest__Output as _guardyn_presence_UpdateLastSeenRequest__Output,
} from './guardyn/presence/UpdateLastSeenRequest.ts';
import type {
  UpdateLastSeenResponse as _guardyn_presence_UpdateLastSeenResponse,
  UpdateLastSeenResponse__Output as _guardyn_presence_UpdateLastSeenResponse__Output,
} from './guardyn/presence/UpdateLastSeenResponse.ts';
import type {
  UpdateLastSeenSuccess as _guardyn_presence_UpdateLastSeenSuccess,
  UpdateLastSeenSuccess__Output as _guardyn_presence_UpdateLastSeenSuccess__Output,
} from './guardyn/presence/UpdateLastSeenSuccess.ts';
import type {
  UpdateStatusRequest as _guardyn_presence_UpdateStatusRequest,
  UpdateStatusRequest__Output as _guardyn_presence_UpdateStatusRequest__Output,
} from './guardyn/presence/UpdateStatusRequest.ts';
import type {
  UpdateStatusResponse as _guardyn_presence_UpdateStatusResponse,
  UpdateStatusResponse__Output as _guardyn_presence_UpdateStatusResponse__Output,
} from './guardyn/presence/UpdateStatusResponse.ts';
import type {
  UpdateStatusSuccess as _guardyn_presence_UpdateStatusSuccess,
  UpdateStatusSuccess__Output as _guardyn_presence_UpdateStatusSuccess__Output,
} from './guardyn/presence/UpdateStatusSuccess.ts';
import type {
  UserPresence as _guardyn_presence_UserPresence,
  UserPresence__Output as _guardyn_presence_UserPresence__Output,
} from './guardyn/presence/UserPresence.ts';

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
    presence: {
      GetBulkStatusRequest: MessageTypeDefinition<
        _guardyn_presence_GetBulkStatusRequest,
        _guardyn_presence_GetBulkStatusRequest__Output
      >;
      GetBulkStatusResponse: MessageTypeDefinition<
        _guardyn_presence_GetBulkStatusResponse,
        _guardyn_presence_GetBulkStatusResponse__Output
      >;
      GetBulkStatusSuccess: MessageTypeDefinition<
        _guardyn_presence_GetBulkStatusSuccess,
        _guardyn_presence_GetBulkStatusSuccess__Output
      >;
      GetStatusRequest: MessageTypeDefinition<
        _guardyn_presence_GetStatusRequest,
        _guardyn_presence_GetStatusRequest__Output
      >;
      GetStatusResponse: MessageTypeDefinition<
        _guardyn_presence_GetStatusResponse,
        _guardyn_presence_GetStatusResponse__Output
      >;
      GetStatusSuccess: MessageTypeDefinition<
        _guardyn_presence_GetStatusSuccess,
        _guardyn_presence_GetStatusSuccess__Output
      >;
      HealthRequest: MessageTypeDefinition<_guardyn_presence_HealthRequest, _guardyn_presence_HealthRequest__Output>;
      PresenceService: SubtypeConstructor<typeof grpc.Client, _guardyn_presence_PresenceServiceClient> & {
        service: _guardyn_presence_PresenceServiceDefinition;
      };
      PresenceUpdate: MessageTypeDefinition<_guardyn_presence_PresenceUpdate, _guardyn_presence_PresenceUpdate__Output>;
      SetTypingRequest: MessageTypeDefinition<
        _guardyn_presence_SetTypingRequest,
        _guardyn_presence_SetTypingRequest__Output
      >;
      SetTypingResponse: MessageTypeDefinition<
        _guardyn_presence_SetTypingResponse,
        _guardyn_presence_SetTypingResponse__Output
      >;
      SetTypingSuccess: MessageTypeDefinition<
        _guardyn_presence_SetTypingSuccess,
        _guardyn_presence_SetTypingSuccess__Output
      >;
      SubscribeRequest: MessageTypeDefinition<
        _guardyn_presence_SubscribeRequest,
        _guardyn_presence_SubscribeRequest__Output
      >;
      UpdateLastSeenRequest: MessageTypeDefinition<
        _guardyn_presence_UpdateLastSeenRequest,
        _guardyn_presence_UpdateLastSeenRequest__Output
      >;
      UpdateLastSeenResponse: MessageTypeDefinition<
        _guardyn_presence_UpdateLastSeenResponse,
        _guardyn_presence_UpdateLastSeenResponse__Output
      >;
      UpdateLastSeenSuccess: MessageTypeDefinition<
        _guardyn_presence_UpdateLastSeenSuccess,
        _guardyn_presence_UpdateLastSeenSuccess__Output
      >;
      UpdateStatusRequest: MessageTypeDefinition<
        _guardyn_presence_UpdateStatusRequest,
        _guardyn_presence_UpdateStatusRequest__Output
      >;
      UpdateStatusResponse: MessageTypeDefinition<
        _guardyn_presence_UpdateStatusResponse,
        _guardyn_presence_UpdateStatusResponse__Output
      >;
      UpdateStatusSuccess: MessageTypeDefinition<
        _guardyn_presence_UpdateStatusSuccess,
        _guardyn_presence_UpdateStatusSuccess__Output
      >;
      UserPresence: MessageTypeDefinition<_guardyn_presence_UserPresence, _guardyn_presence_UserPresence__Output>;
      UserStatus: EnumTypeDefinition;
    };
  };
}
