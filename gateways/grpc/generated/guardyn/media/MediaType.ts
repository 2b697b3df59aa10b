// Original file: proto/guardyn/media.proto

export const MediaType = {
  MEDIA_TYPE_UNKNOWN: 'MEDIA_TYPE_UNKNOWN',
  MEDIA_TYPE_IMAGE: 'MEDIA_TYPE_IMAGE',
  MEDIA_TYPE_VIDEO: 'MEDIA_TYPE_VIDEO',
  MEDIA_TYPE_AUDIO: 'MEDIA_TYPE_AUDIO',
  MEDIA_TYPE_DOCUMENT: 'MEDIA_TYPE_DOCUMENT',
  MEDIA_TYPE_OTHER: 'MEDIA_TYPE_OTHER',
} as const;

export type MediaType =
  | 'MEDIA_TYPE_UNKNOWN'
  | 0
  | 'MEDIA_TYPE_IMAGE'
  | 1
  | 'MEDIA_TYPE_VIDEO'
  | 2
  | 'MEDIA_TYPE_AUDIO'
  | 3
  | 'MEDIA_TYPE_DOCUMENT'
  | 4
  | 'MEDIA_TYPE_OTHER'
  | 5;

export type MediaType__Output = (typeof MediaType)[keyof typeof MediaType];
