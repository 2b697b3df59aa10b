// Original file: proto/guardyn/call.proto

export const RejectReason = {
  REJECT_REASON_UNSPECIFIED: 'REJECT_REASON_UNSPECIFIED',
  BUSY: 'BUSY',
  DECLINED: 'DECLINED',
} as const;

export type RejectReason = 'REJECT_REASON_UNSPECIFIED' | 0 | 'BUSY' | 1 | 'DECLINED' | 2;

export type RejectReason__Output = (typeof RejectReason)[keyof typeof RejectReason];
