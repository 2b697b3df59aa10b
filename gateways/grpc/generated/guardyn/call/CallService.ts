// Original file: proto/guardyn/call.proto

import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type {
  AnswerCallRequest as _guardyn_call_AnswerCallRequest,
  AnswerCallRequest__Output as _guardyn_call_AnswerCallRequest__Output,
} from '../../guardyn/call/AnswerCallRequest.ts';
import type {
  AnswerCallResponse as _guardyn_call_AnswerCallResponse,
  AnswerCallResponse__Output as _guardyn_call_AnswerCallResponse__Output,
} from '../../guardyn/call/AnswerCallResponse.ts';
import type {
  CallEvent as _guardyn_call_CallEvent,
  CallEvent__Output as _guardyn_call_CallEvent__Output,
} from '../../guardyn/call/CallEvent.ts';
import type {
  GetCallHistoryRequest as _guardyn_call_GetCallHistoryRequest,
  GetCallHistoryRequest__Output as _guardyn_call_GetCallHistoryRequest__Output,
} from '../../guardyn/call/GetCallHistoryRequest.ts';
import type {
  GetCallHistoryResponse as _guardyn_call_GetCallHistoryResponse,
  GetCallHistoryResponse__Output as _guardyn_call_GetCallHistoryResponse__Output,
} from '../../guardyn/call/GetCallHistoryResponse.ts';
import type {
  GetTurnCredentialsRequest as _guardyn_call_GetTurnCredentialsRequest,
  GetTurnCredentialsRequest__Output as _guardyn_call_GetTurnCredentialsRequest__Output,
} from '../../guardyn/call/GetTurnCredentialsRequest.ts';
import type {
  GetTurnCredentialsResponse as _guardyn_call_GetTurnCredentialsResponse,
  GetTurnCredentialsResponse__Output as _guardyn_call_GetTurnCredentialsResponse__Output,
} from '../../guardyn/call/GetTurnCredentialsResponse.ts';
import type {
  HangUpRequest as _guardyn_call_HangUpRequest,
  HangUpRequest__Output as _guardyn_call_HangUpRequest__Output,
} from '../../guardyn/call/HangUpRequest.ts';
import type {
  HangUpResponse as _guardyn_call_HangUpResponse,
  HangUpResponse__Output as _guardyn_call_HangUpResponse__Output,
} from '../../guardyn/call/HangUpResponse.ts';
import type {
  HealthRequest as _guardyn_call_HealthRequest,
  HealthRequest__Output as _guardyn_call_HealthRequest__Output,
} from '../../guardyn/call/HealthRequest.ts';
import type {
  HealthStatus as _guardyn_common_HealthStatus,
  HealthStatus__Output as _guardyn_common_HealthStatus__Output,
} from '../../guardyn/common/HealthStatus.ts';
import type {
  ReceiveCallEventsRequest as _guardyn_call_ReceiveCallEventsRequest,
  ReceiveCallEventsRequest__Output as _guardyn_call_ReceiveCallEventsRequest__Output,
} from '../../guardyn/call/ReceiveCallEventsRequest.ts';
import type {
  RejectCallRequest as _guardyn_call_RejectCallRequest,
  RejectCallRequest__Output as _guardyn_call_RejectCallRequest__Output,
} from '../../guardyn/call/RejectCallRequest.ts';
import type {
  RejectCallResponse as _guardyn_call_RejectCallResponse,
  RejectCallResponse__Output as _guardyn_call_RejectCallResponse__Output,
} from '../../guardyn/call/RejectCallResponse.ts';
import type {
  SendSignalRequest as _guardyn_call_SendSignalRequest,
  SendSignalRequest__Output as _guardyn_call_SendSignalRequest__Output,
} from '../../guardyn/call/SendSignalRequest.ts';
import type {
  SendSignalResponse as _guardyn_call_SendSignalResponse,
  SendSignalResponse__Output as _guardyn_call_SendSignalResponse__Output,
} from '../../guardyn/call/SendSignalResponse.ts';
import type {
  StartCallRequest as _guardyn_call_StartCallRequest,
  StartCallRequest__Output as _guardyn_call_StartCallRequest__Output,
} from '../../guardyn/call/StartCallRequest.ts';
import type {
  StartCallResponse as _guardyn_call_StartCallResponse,
  StartCallResponse__Output as _guardyn_call_StartCallResponse__Output,
} from '../../guardyn/call/StartCallResponse.ts';

export interface CallServiceClient extends grpc.Client {
  AnswerCall(
    argument: _guardyn_call_AnswerCallRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  AnswerCall(
    argument: _guardyn_call_AnswerCallRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  AnswerCall(
    argument: _guardyn_call_AnswerCallRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  AnswerCall(
    argument: _guardyn_call_AnswerCallRequest,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  answerCall(
    argument: _guardyn_call_AnswerCallRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  answerCall(
    argument: _guardyn_call_AnswerCallRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  answerCall(
    argument: _guardyn_call_AnswerCallRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  answerCall(
    argument: _guardyn_call_AnswerCallRequest,
    callback: grpc.requestCallback<_guardyn_call_AnswerCallResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;
  getCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;
  getCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;
  getCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;
  getCallHistory(
    argument: _guardyn_call_GetCallHistoryRequest,
    callback: grpc.requestCallback<_guardyn_call_GetCallHistoryResponse__Output>,
  ): grpc.ClientUnaryCall;

  GetTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;
  GetTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;
  getTurnCredentials(
    argument: _guardyn_call_GetTurnCredentialsRequest,
    callback: grpc.requestCallback<_guardyn_call_GetTurnCredentialsResponse__Output>,
  ): grpc.ClientUnaryCall;

  HangUp(
    argument: _guardyn_call_HangUpRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;
  HangUp(
    argument: _guardyn_call_HangUpRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;
  HangUp(
    argument: _guardyn_call_HangUpRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;
  HangUp(
    argument: _guardyn_call_HangUpRequest,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;
  hangUp(
    argument: _guardyn_call_HangUpRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;
  hangUp(
    argument: _guardyn_call_HangUpRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;
  hangUp(
    argument: _guardyn_call_HangUpRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;
  hangUp(
    argument: _guardyn_call_HangUpRequest,
    callback: grpc.requestCallback<_guardyn_call_HangUpResponse__Output>,
  ): grpc.ClientUnaryCall;

  Health(
    argument: _guardyn_call_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_call_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_call_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  Health(
    argument: _guardyn_call_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_call_HealthRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_call_HealthRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_call_HealthRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;
  health(
    argument: _guardyn_call_HealthRequest,
    callback: grpc.requestCallback<_guardyn_common_HealthStatus__Output>,
  ): grpc.ClientUnaryCall;

  ReceiveCallEvents(
    argument: _guardyn_call_ReceiveCallEventsRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_call_CallEvent__Output>;
  ReceiveCallEvents(
    argument: _guardyn_call_ReceiveCallEventsRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_call_CallEvent__Output>;
  receiveCallEvents(
    argument: _guardyn_call_ReceiveCallEventsRequest,
    metadata: grpc.Metadata,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_call_CallEvent__Output>;
  receiveCallEvents(
    argument: _guardyn_call_ReceiveCallEventsRequest,
    options?: grpc.CallOptions,
  ): grpc.ClientReadableStream<_guardyn_call_CallEvent__Output>;

  RejectCall(
    argument: _guardyn_call_RejectCallRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  RejectCall(
    argument: _guardyn_call_RejectCallRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  RejectCall(
    argument: _guardyn_call_RejectCallRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  RejectCall(
    argument: _guardyn_call_RejectCallRequest,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  rejectCall(
    argument: _guardyn_call_RejectCallRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  rejectCall(
    argument: _guardyn_call_RejectCallRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  rejectCall(
    argument: _guardyn_call_RejectCallRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  rejectCall(
    argument: _guardyn_call_RejectCallRequest,
    callback: grpc.requestCallback<_guardyn_call_RejectCallResponse__Output>,
  ): grpc.ClientUnaryCall;

  SendSignal(
    argument: _guardyn_call_SendSignalRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendSignal(
    argument: _guardyn_call_SendSignalRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendSignal(
    argument: _guardyn_call_SendSignalRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;
  SendSignal(
    argument: _guardyn_call_SendSignalRequest,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendSignal(
    argument: _guardyn_call_SendSignalRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendSignal(
    argument: _guardyn_call_SendSignalRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendSignal(
    argument: _guardyn_call_SendSignalRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;
  sendSignal(
    argument: _guardyn_call_SendSignalRequest,
    callback: grpc.requestCallback<_guardyn_call_SendSignalResponse__Output>,
  ): grpc.ClientUnaryCall;

  StartCall(
    argument: _guardyn_call_StartCallRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  StartCall(
    argument: _guardyn_call_StartCallRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  StartCall(
    argument: _guardyn_call_StartCallRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  StartCall(
    argument: _guardyn_call_StartCallRequest,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  startCall(
    argument: _guardyn_call_StartCallRequest,
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  startCall(
    argument: _guardyn_call_StartCallRequest,
    metadata: grpc.Metadata,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  startCall(
    argument: _guardyn_call_StartCallRequest,
    options: grpc.CallOptions,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
  startCall(
    argument: _guardyn_call_StartCallRequest,
    callback: grpc.requestCallback<_guardyn_call_StartCallResponse__Output>,
  ): grpc.ClientUnaryCall;
}

export interface CallServiceHandlers extends grpc.UntypedServiceImplementation {
  AnswerCall: grpc.handleUnaryCall<_guardyn_call_AnswerCallRequest__Output, _guardyn_call_AnswerCallResponse>;

  GetCallHistory: grpc.handleUnaryCall<
    _guardyn_call_GetCallHistoryRequest__Output,
    _guardyn_call_GetCallHistoryResponse
  >;

  GetTurnCredentials: grpc.handleUnaryCall<
    _guardyn_call_GetTurnCredentialsRequest__Output,
    _guardyn_call_GetTurnCredentialsResponse
  >;

  HangUp: grpc.handleUnaryCall<_guardyn_call_HangUpRequest__Output, _guardyn_call_HangUpResponse>;

  Health: grpc.handleUnaryCall<_guardyn_call_HealthRequest__Output, _guardyn_common_HealthStatus>;

  ReceiveCallEvents: grpc.handleServerStreamingCall<
    _guardyn_call_ReceiveCallEventsRequest__Output,
    _guardyn_call_CallEvent
  >;

  RejectCall: grpc.handleUnaryCall<_guardyn_call_RejectCallRequest__Output, _guardyn_call_RejectCallResponse>;

  SendSignal: grpc.handleUnaryCall<_guardyn_call_SendSignalRequest__Output, _guardyn_call_SendSignalResponse>;

  StartCall: grpc.handleUnaryCall<_guardyn_call_StartCallRequest__Output, _guardyn_call_StartCallResponse>;
}

export interface CallServiceDefinition extends grpc.ServiceDefinition {
  AnswerCall: MethodDefinition<
    _guardyn_call_AnswerCallRequest,
    _guardyn_call_AnswerCallResponse,
    _guardyn_call_AnswerCallRequest__Output,
    _guardyn_call_AnswerCallResponse__Output
  >;
  GetCallHistory: MethodDefinition<
    _guardyn_call_GetCallHistoryRequest,
    _guardyn_call_GetCallHistoryResponse,
    _guardyn_call_GetCallHistoryRequest__Output,
    _guardyn_call_GetCallHistoryResponse__Output
  >;
  GetTurnCredentials: MethodDefinition<
    _guardyn_call_GetTurnCredentialsRequest,
    _guardyn_call_GetTurnCredentialsResponse,
    _guardyn_call_GetTurnCredentialsRequest__Output,
    _guardyn_call_GetTurnCredentialsResponse__Output
  >;
  HangUp: MethodDefinition<
    _guardyn_call_HangUpRequest,
    _guardyn_call_HangUpResponse,
    _guardyn_call_HangUpRequest__Output,
    _guardyn_call_HangUpResponse__Output
  >;
  Health: MethodDefinition<
    _guardyn_call_HealthRequest,
    _guardyn_common_HealthStatus,
    _guardyn_call_HealthRequest__Output,
    _guardyn_common_HealthStatus__Output
  >;
  ReceiveCallEvents: MethodDefinition<
    _guardyn_call_ReceiveCallEventsRequest,
    _guardyn_call_CallEvent,
    _guardyn_call_ReceiveCallEventsRequest__Output,
    _guardyn_call_CallEvent__Output
  >;
  RejectCall: MethodDefinition<
    _guardyn_call_RejectCallRequest,
    _guardyn_call_RejectCallResponse,
    _guardyn_call_RejectCallRequest__Output,
    _guardyn_call_RejectCallResponse__Output
  >;
  SendSignal: MethodDefinition<
    _guardyn_call_SendSignalRequest,
    _guardyn_call_SendSignalResponse,
    _guardyn_call_SendSignalRequest__Output,
    _guardyn_call_SendSignalResponse__Output
  >;
  StartCall: MethodDefinition<
    _guardyn_call_StartCallRequest,
    _guardyn_call_StartCallResponse,
    _guardyn_call_StartCallRequest__Output,
    _guardyn_call_StartCallResponse__Output
  >;
}
