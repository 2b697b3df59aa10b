// Original file: proto/guardyn/call.proto

export const CallEventKind = {
  CALL_EVENT_KIND_UNSPECIFIED: 'CALL_EVENT_KIND_UNSPECIFIED',
  CALL_RINGING: 'CALL_RINGING',
  CALL_ANSWERED: 'CALL_ANSWERED',
  CALL_ANSWERED_ELSEWHERE: 'CALL_ANSWERED_ELSEWHERE',
  CALL_REJECTED: 'CALL_REJECTED',
  CALL_MISSED: 'CALL_MISSED',
  CALL_ENDED: 'CALL_ENDED',
  CALL_SIGNAL: 'CALL_SIGNAL',
} as const;

export type CallEventKind =
  | 'CALL_EVENT_KIND_UNSPECIFIED'
  | 0
  | 'CALL_RINGING'
  | 1
  | 'CALL_ANSWERED'
  | 2
  | 'CALL_ANSWERED_ELSEWHERE'
  | 3
  | 'CALL_REJECTED'
  | 4
  | 'CALL_MISSED'
  | 5
  | 'CALL_ENDED'
  | 6
  | 'CALL_SIGNAL'
  | 7;

export type CallEventKind__Output = (typeof CallEventKind)[keyof typeof CallEventKind];
