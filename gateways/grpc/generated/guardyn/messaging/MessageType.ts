// Original file: proto/guardyn/messaging.proto

export const MessageType = {
  TEXT: 'TEXT',
  IMAGE: 'IMAGE',
  VIDEO: 'VIDEO',
  AUDIO: 'AUDIO',
  FILE: 'FILE',
  VOICE_NOTE: 'VOICE_NOTE',
  LOCATION: 'LOCATION',
} as const;

export type MessageType =
  | 'TEXT'
  | 0
  | 'IMAGE'
  | 1
  | 'VIDEO'
  | 2
  | 'AUDIO'
  | 3
  | 'FILE'
  | 4
  | 'VOICE_NOTE'
  | 5
  | 'LOCATION'
  | 6;

export type MessageType__Output = (typeof MessageType)[keyof typeof MessageType];
