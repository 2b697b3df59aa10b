// Original file: proto/guardyn/call.proto

export const CallDirection = {
  CALL_DIRECTION_UNSPECIFIED: 'CALL_DIRECTION_UNSPECIFIED',
  OUTGOING: 'OUTGOING',
  INCOMING: 'INCOMING',
} as const;

export type CallDirection = 'CALL_DIRECTION_UNSPECIFIED' | 0 | 'OUTGOING' | 1 | 'INCOMING' | 2;

export type CallDirection__Output = (typeof CallDirection)[keyof typeof CallDirection];
