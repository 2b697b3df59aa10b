/**
 * Admitting a server stream under the per-user and per-device stream limits
 * (gateways/limits/stream-slots.ts): after authentication, before the stream
 * holds anything. An admitted stream gets its response headers at once (so a
 * client knows the stream is open before the first message) and gives its
 * slot back when it ends, whichever way: finished, failed, cancelled, or the
 * client gone. A refused one is answered RATE_LIMITED, which a stream carries
 * as gRPC status RESOURCE_EXHAUSTED (stream-errors.ts), naming the variable.
 */
import * as grpc from '@grpc/grpc-js';
import { Counter } from 'prom-client';
import { metricsRegistry } from '../../runtime/metrics.ts';
import type { StreamSlots } from '../limits/stream-slots.ts';
import { errorResponse, type ErrorResponseShape } from '../shared/errors.ts';

const refusals = new Counter({
  name: 'guardyn_grpc_streams_refused_total',
  help: 'gRPC streams refused for the per-user or per-device stream limit',
  labelNames: ['scope'] as const,
  registers: [metricsRegistry],
});

/** The slot of an admitted stream (released on its own when the stream ends), or the refusal. */
export function admitStream(
  call: grpc.ServerWritableStream<unknown, unknown>,
  slots: StreamSlots,
  who: { readonly userId: string; readonly deviceId: string },
): { readonly release: () => void } | { readonly error: ErrorResponseShape } {
  const slot = slots.acquire(who.userId, who.deviceId);
  if (slot.refused) {
    refusals.inc({ scope: slot.scope });
    return {
      error: errorResponse(
        'RATE_LIMITED',
        `too many open streams: at most ${slot.limit} per ${slot.scope} on this server (${slot.variable}); end one first`,
        { limit: slot.variable },
      ),
    };
  }
  const release = () => slot.release();
  for (const event of ['cancelled', 'finish', 'close', 'error']) call.once(event, release);
  if (call.cancelled) release();
  try {
    call.sendMetadata(new grpc.Metadata());
  } catch {
    // the call is gone (and its slot with it)
  }
  return { release };
}
