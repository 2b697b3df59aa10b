import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

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
