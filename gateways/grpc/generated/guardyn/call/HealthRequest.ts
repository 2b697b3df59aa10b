// Original file: proto/guardyn/call.proto

export interface HealthRequest {}

export interface HealthRequest__Output {}
