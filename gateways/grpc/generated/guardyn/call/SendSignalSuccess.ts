// Original file: proto/guardyn/call.proto

export interface SendSignalSuccess {
  relayed?: boolean;
}

export interface SendSignalSuccess__Output {
  relayed: boolean;
}
