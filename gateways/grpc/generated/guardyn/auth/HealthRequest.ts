// Original file: proto/guardyn/auth.proto

export interface HealthRequest {}

export interface HealthRequest__Output {}
