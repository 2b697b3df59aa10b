// Original file: proto/guardyn/presence.proto

export const UserStatus = {
  OFFLINE: 'OFFLINE',
  ONLINE: 'ONLINE',
  AWAY: 'AWAY',
  DO_NOT_DISTURB: 'DO_NOT_DISTURB',
  INVISIBLE: 'INVISIBLE',
} as const;

export type UserStatus = 'OFFLINE' | 0 | 'ONLINE' | 1 | 'AWAY' | 2 | 'DO_NOT_DISTURB' | 3 | 'INVISIBLE' | 4;

export type UserStatus__Output = (typeof UserStatus)[keyof typeof UserStatus];
