// Original file: proto/guardyn/call.proto

export const CallMedia = {
  CALL_MEDIA_UNSPECIFIED: 'CALL_MEDIA_UNSPECIFIED',
  AUDIO: 'AUDIO',
  VIDEO: 'VIDEO',
} as const;

export type CallMedia = 'CALL_MEDIA_UNSPECIFIED' | 0 | 'AUDIO' | 1 | 'VIDEO' | 2;

export type CallMedia__Output = (typeof CallMedia)[keyof typeof CallMedia];
