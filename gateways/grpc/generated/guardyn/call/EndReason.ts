// Original file: proto/guardyn/call.proto

export const EndReason = {
  END_REASON_UNSPECIFIED: 'END_REASON_UNSPECIFIED',
  HUNG_UP: 'HUNG_UP',
  CANCELLED: 'CANCELLED',
  REJECTED_DECLINED: 'REJECTED_DECLINED',
  REJECTED_BUSY: 'REJECTED_BUSY',
  MISSED: 'MISSED',
} as const;

export type EndReason =
  | 'END_REASON_UNSPECIFIED'
  | 0
  | 'HUNG_UP'
  | 1
  | 'CANCELLED'
  | 2
  | 'REJECTED_DECLINED'
  | 3
  | 'REJECTED_BUSY'
  | 4
  | 'MISSED'
  | 5;

export type EndReason__Output = (typeof EndReason)[keyof typeof EndReason];
