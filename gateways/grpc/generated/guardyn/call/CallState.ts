// Original file: proto/guardyn/call.proto

export const CallState = {
  CALL_STATE_UNSPECIFIED: 'CALL_STATE_UNSPECIFIED',
  RINGING: 'RINGING',
  ACTIVE: 'ACTIVE',
  ENDED: 'ENDED',
} as const;

export type CallState = 'CALL_STATE_UNSPECIFIED' | 0 | 'RINGING' | 1 | 'ACTIVE' | 2 | 'ENDED' | 3;

export type CallState__Output = (typeof CallState)[keyof typeof CallState];
