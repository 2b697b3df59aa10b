// Original file: proto/guardyn/messaging.proto

export interface HealthRequest {}

export interface HealthRequest__Output {}
