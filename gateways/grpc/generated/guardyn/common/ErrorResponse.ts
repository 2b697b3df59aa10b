// Original file: proto/guardyn/common.proto

// Original file: proto/guardyn/common.proto

export const _guardyn_common_ErrorResponse_ErrorCode = {
  UNKNOWN: 'UNKNOWN',
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
} as const;

export type _guardyn_common_ErrorResponse_ErrorCode =
  | 'UNKNOWN'
  | 0
  | 'INVALID_REQUEST'
  | 1
  | 'UNAUTHORIZED'
  | 2
  | 'FORBIDDEN'
  | 3
  | 'NOT_FOUND'
  | 4
  | 'CONFLICT'
  | 5
  | 'INTERNAL_ERROR'
  | 6
  | 'SERVICE_UNAVAILABLE'
  | 7
  | 'RATE_LIMITED'
  | 8;

export type _guardyn_common_ErrorResponse_ErrorCode__Output =
  (typeof _guardyn_common_ErrorResponse_ErrorCode)[keyof typeof _guardyn_common_ErrorResponse_ErrorCode];

export interface ErrorResponse {
  code?: _guardyn_common_ErrorResponse_ErrorCode;
  message?: string;
  details?: { [key: string]: string };
}

export interface ErrorResponse__Output {
  code: _guardyn_common_ErrorResponse_ErrorCode__Output;
  message: string;
  details: { [key: string]: string };
}
