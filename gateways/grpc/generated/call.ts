import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type {
  AnswerCallRequest as _guardyn_call_AnswerCallRequest,
  AnswerCallRequest__Output as _guardyn_call_AnswerCallRequest__Output,
} from './guardyn/call/AnswerCallRequest.ts';
import type {
  AnswerCallResponse as _guardyn_call_AnswerCallResponse,
  AnswerCallResponse__Output as _guardyn_call_AnswerCallResponse__Output,
} from './guardyn/call/AnswerCallResponse.ts';
import type {
  AnswerCallSuccess as _guardyn_call_AnswerCallSuccess,
  AnswerCallSuccess__Output as _guardyn_call_AnswerCallSuccess__Output,
} from './guardyn/call/AnswerCallSuccess.ts';
import type {
  CallEnded as _guardyn_call_CallEnded,
  CallEnded__Output as _guardyn_call_CallEnded__Output,
} from './guardyn/call/CallEnded.ts';
import type {
  CallEvent as _guardyn_call_CallEvent,
  CallEvent__Output as _guardyn_call_CallEvent__Output,
} from './guardyn/call/CallEvent.ts';
import type {
  CallRecord as _guardyn_call_CallRecord,
  CallRecord__Output as _guardyn_call_CallRecord__Output,
} from './guardyn/call/CallRecord.ts';
import type {
  CallServiceClient as _guardyn_call_CallServiceClient,
  CallServiceDefinition as _guardyn_call_CallServiceDefinition,
} from './guardyn/call/CallService.ts';
import type {
  GetCallHistoryRequest as _guardyn_call_GetCallHistoryRequest,
  GetCallHistoryRequest__Output as _guardyn_call_GetCallHistoryRequest__Output,
} from './guardyn/call/GetCallHistoryRequest.ts';
import type {
  GetCallHistoryResponse as _guardyn_call_GetCallHistoryResponse,
  GetCallHistoryResponse__Output as _guardyn_call_GetCallHistoryResponse__Output,
} from './guardyn/call/GetCallHistoryResponse.ts';
import type {
  GetCallHistorySuccess as _guardyn_call_GetCallHistorySuccess,
  GetCallHistorySuccess__Output as _guardyn_call_GetCallHistorySuccess__Output,
} from './guardyn/call/GetCallHistorySuccess.ts';
import type {
  GetTurnCredentialsRequest as _guardyn_call_GetTurnCredentialsRequest,
  GetTurnCredentialsRequest__Output as _guardyn_call_GetTurnCredentialsRequest__Output,
} from './guardyn/call/GetTurnCredentialsRequest.ts';
import type {
  GetTurnCredentialsResponse as _guardyn_call_GetTurnCredentialsResponse,
  GetTurnCredentialsResponse__Output as _guardyn_call_GetTurnCredentialsResponse__Output,
} from './guardyn/call/GetTurnCredentialsResponse.ts';
import type {
  HangUpRequest as _guardyn_call_HangUpRequest,
  HangUpRequest__Output as _guardyn_call_HangUpRequest__Output,
} from './guardyn/call/HangUpRequest.ts';
import type {
  HangUpResponse as _guardyn_call_HangUpResponse,
  HangUpResponse__Output as _guardyn_call_HangUpResponse__Output,
} from './guardyn/call/HangUpResponse.ts';
import type {
  HealthRequest as _guardyn_call_HealthRequest,
  HealthRequest__Output as _guardyn_call_HealthRequest__Output,
} from './guardyn/call/HealthRequest.ts';
import type {
  ReceiveCallEventsRequest as _guardyn_call_ReceiveCallEventsRequest,
  ReceiveCallEventsRequest__Output as _guardyn_call_ReceiveCallEventsRequest__Output,
} from './guardyn/call/ReceiveCallEventsRequest.ts';
import type {
  RejectCallRequest as _guardyn_call_RejectCallRequest,
  RejectCallRequest__Output as _guardyn_call_RejectCallRequest__Output,
} from './guardyn/call/RejectCallRequest.ts';
import type {
  RejectCallResponse as _guardyn_call_RejectCallResponse,
  RejectCallResponse__Output as _guardyn_call_RejectCallResponse__Output,
} from './guardyn/call/RejectCallResponse.ts';
import type {
  SendSignalRequest as _guardyn_call_SendSignalRequest,
  SendSignalRequest__Output as _guardyn_call_SendSignalRequest__Output,
} from './guardyn/call/SendSignalRequest.ts';
import type {
  SendSignalResponse as _guardyn_call_SendSignalResponse,
  SendSignalResponse__Output as _guardyn_call_SendSignalResponse__Output,
} from './guardyn/call/SendSignalResponse.ts';
import type {
  SendSignalSuccess as _guardyn_call_SendSignalSuccess,
  SendSignalSuccess__Output as _guardyn_call_SendSignalSuccess__Output,
} from './guardyn/call/SendSignalSuccess.ts';
import type {
  StartCallRequest as _guardyn_call_StartCallRequest,
  StartCallRequest__Output as _guardyn_call_StartCallRequest__Output,
} from './guardyn/call/StartCallRequest.ts';
import type {
  StartCallResponse as _guardyn_call_StartCallResponse,
  StartCallResponse__Output as _guardyn_call_StartCallResponse__Output,
} from './guardyn/call/StartCallResponse.ts';
import type {
  StartCallSuccess as _guardyn_call_StartCallSuccess,
  StartCallSuccess__Output as _guardyn_call_StartCallSuccess__Output,
} from './guardyn/call/StartCallSuccess.ts';
import type {
  TurnCredentials as _guardyn_call_TurnCredentials,
  TurnCredentials__Output as _guardyn_call_TurnCredentials__Output,
} from './guardyn/call/TurnCredentials.ts';
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

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new (...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  guardyn: {
    call: {
      AnswerCallRequest: MessageTypeDefinition<
        _guardyn_call_AnswerCallRequest,
        _guardyn_call_AnswerCallRequest__Output
      >;
      AnswerCallResponse: MessageTypeDefinition<
        _guardyn_call_AnswerCallResponse,
        _guardyn_call_AnswerCallResponse__Output
      >;
      AnswerCallSuccess: MessageTypeDefinition<
        _guardyn_call_AnswerCallSuccess,
        _guardyn_call_AnswerCallSuccess__Output
      >;
      CallDirection: EnumTypeDefinition;
      CallEnded: MessageTypeDefinition<_guardyn_call_CallEnded, _guardyn_call_CallEnded__Output>;
      CallEvent: MessageTypeDefinition<_guardyn_call_CallEvent, _guardyn_call_CallEvent__Output>;
      CallEventKind: EnumTypeDefinition;
      CallMedia: EnumTypeDefinition;
      CallRecord: MessageTypeDefinition<_guardyn_call_CallRecord, _guardyn_call_CallRecord__Output>;
      CallService: SubtypeConstructor<typeof grpc.Client, _guardyn_call_CallServiceClient> & {
        service: _guardyn_call_CallServiceDefinition;
      };
      CallState: EnumTypeDefinition;
      EndReason: EnumTypeDefinition;
      GetCallHistoryRequest: MessageTypeDefinition<
        _guardyn_call_GetCallHistoryRequest,
        _guardyn_call_GetCallHistoryRequest__Output
      >;
      GetCallHistoryResponse: MessageTypeDefinition<
        _guardyn_call_GetCallHistoryResponse,
        _guardyn_call_GetCallHistoryResponse__Output
      >;
      GetCallHistorySuccess: MessageTypeDefinition<
        _guardyn_call_GetCallHistorySuccess,
        _guardyn_call_GetCallHistorySuccess__Output
      >;
      GetTurnCredentialsRequest: MessageTypeDefinition<
        _guardyn_call_GetTurnCredentialsRequest,
        _guardyn_call_GetTurnCredentialsRequest__Output
      >;
      GetTurnCredentialsResponse: MessageTypeDefinition<
        _guardyn_call_GetTurnCredentialsResponse,
        _guardyn_call_GetTurnCredentialsResponse__Output
      >;
      HangUpRequest: MessageTypeDefinition<_guardyn_call_HangUpRequest, _guardyn_call_HangUpRequest__Output>;
      HangUpResponse: MessageTypeDefinition<_guardyn_call_HangUpResponse, _guardyn_call_HangUpResponse__Output>;
      HealthRequest: MessageTypeDefinition<_guardyn_call_HealthRequest, _guardyn_call_HealthRequest__Output>;
      ReceiveCallEventsRequest: MessageTypeDefinition<
        _guardyn_call_ReceiveCallEventsRequest,
        _guardyn_call_ReceiveCallEventsRequest__Output
      >;
      RejectCallRequest: MessageTypeDefinition<
        _guardyn_call_RejectCallRequest,
        _guardyn_call_RejectCallRequest__Output
      >;
      RejectCallResponse: MessageTypeDefinition<
        _guardyn_call_RejectCallResponse,
        _guardyn_call_RejectCallResponse__Output
      >;
      RejectReason: EnumTypeDefinition;
      SendSignalRequest: MessageTypeDefinition<
        _guardyn_call_SendSignalRequest,
        _guardyn_call_SendSignalRequest__Output
      >;
      SendSignalResponse: MessageTypeDefinition<
        _guardyn_call_SendSignalResponse,
        _guardyn_call_SendSignalResponse__Output
      >;
      SendSignalSuccess: MessageTypeDefinition<
        _guardyn_call_SendSignalSuccess,
        _guardyn_call_SendSignalSuccess__Output
      >;
      StartCallRequest: MessageTypeDefinition<_guardyn_call_StartCallRequest, _guardyn_call_StartCallRequest__Output>;
      StartCallResponse: MessageTypeDefinition<
        _guardyn_call_StartCallResponse,
        _guardyn_call_StartCallResponse__Output
      >;
      StartCallSuccess: MessageTypeDefinition<_guardyn_call_StartCallSuccess, _guardyn_call_StartCallSuccess__Output>;
      TurnCredentials: MessageTypeDefinition<_guardyn_call_TurnCredentials, _guardyn_call_TurnCredentials__Output>;
    };
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
  };
}
