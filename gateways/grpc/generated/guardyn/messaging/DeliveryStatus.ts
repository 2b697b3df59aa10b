// Original file: proto/guardyn/messaging.proto

export const DeliveryStatus = {
  PENDING: 'PENDING',
  SENT: 'SENT',
  DELIVERED: 'DELIVERED',
  READ: 'READ',
  FAILED: 'FAILED',
} as const;

export type DeliveryStatus = 'PENDING' | 0 | 'SENT' | 1 | 'DELIVERED' | 2 | 'READ' | 3 | 'FAILED' | 4;

export type DeliveryStatus__Output = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];
