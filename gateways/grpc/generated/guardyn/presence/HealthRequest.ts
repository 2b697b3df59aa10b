// Original file: proto/guardyn/presence.proto

export interface HealthRequest {}

export interface HealthRequest__Output {}
