/** guardyn.common.Timestamp <-> milliseconds. int64 seconds travel as decimal strings (proto-loader longs: String). */
import type { Timestamp__Output } from './generated/guardyn/common/Timestamp.ts';

export type TimestampMessage = Readonly<Timestamp__Output>;

export function toTimestamp(ms: number): TimestampMessage {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1_000_000 };
}

export function timestampToMs(ts: { readonly seconds: number; readonly nanos: number }): number {
  return ts.seconds * 1000 + Math.floor(ts.nanos / 1_000_000);
}

/** The client's own timestamp echoed exactly as it sent it. */
export function echoTimestamp(
  ts: { readonly seconds: number; readonly nanos: number } | null,
): TimestampMessage | null {
  return ts === null ? null : { seconds: String(ts.seconds), nanos: ts.nanos };
}
