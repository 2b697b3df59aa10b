// Original file: proto/guardyn/call.proto

import type {
  CallRecord as _guardyn_call_CallRecord,
  CallRecord__Output as _guardyn_call_CallRecord__Output,
} from '../../guardyn/call/CallRecord.ts';

export interface GetCallHistorySuccess {
  calls?: _guardyn_call_CallRecord[];
  next_cursor?: string;
}

export interface GetCallHistorySuccess__Output {
  calls: _guardyn_call_CallRecord__Output[];
  next_cursor: string;
}
